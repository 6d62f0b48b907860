"""How many tokens the run has created (doc 003, L56: 100 a day per tenant).

Named to run after every other non-disruptive test (disruptive ones run last anyway): the count
covers everything the suite did to the target short of the mock-only limit and clock tests.
"""

import pytest

from conformance.apis.customer_profile_b2b.suite import b2b
from conformance.suite.outcome import expect

req = pytest.mark.req


@req("B2B-LIM-005")
def test_token_reused_and_budget_kept(api):
    rid = "B2B-LIM-005"
    token = api.tokens.get()
    who = b2b.customer(api)
    for resource in ("basic", "segments", "optIn"):
        b2b.found(api, rid, b2b.get(api, resource, {"gcrId": who["gcrId"]}, token=token), who,
                  f"the suite's token reused on {resource}")
    created = getattr(api, "b2b_tokens_created", 0)
    budget = int(b2b.setting(api, "token_budget"))
    print(f"customer-profile-b2b: this run created {created} token(s) so far "
          f"(budget {budget}, tenant soft limit {b2b.setting(api, 'daily_token_limit')} a day); "
          f"the token cache fetched {api.tokens.issued}")
    expect(created <= budget, rid, f"the suite created {created} tokens, more than its budget of {budget}")
