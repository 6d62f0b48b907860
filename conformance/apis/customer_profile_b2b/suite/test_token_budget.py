"""How many tokens the run has created (doc 003, L56: 100 a day per tenant).

Runs after every other test of the API (after_suite); the count it judges is of the tokens
created before the first disruptive test: everything the suite did to the target short of the
mock-only limit and clock tests.
"""

from conformance.apis.customer_profile_b2b.suite import b2b
from conformance.suite import after_suite, expect, req


@req("B2B-LIM-005")
@after_suite
def test_token_reused_and_budget_kept(api):
    token = api.tokens.get()
    who = b2b.customer(api)
    for resource in ("basic", "segments", "optIn"):
        b2b.found(api, b2b.get(api, resource, {"gcrId": who["gcrId"]}, token=token), who,
                  f"the suite's token reused on {resource}")
    created = api.state.created_before_disruptive
    budget = int(api.setting("token_budget"))
    print(f"customer-profile-b2b: this run created {created} token(s) before its disruptive tests "
          f"({api.state.tokens_created} in all; budget {budget}, tenant soft limit "
          f"{api.setting('daily_token_limit')} a day); the token cache fetched {api.tokens.issued}")
    expect(created <= budget, f"the suite created {created} tokens, more than its budget of {budget}")
