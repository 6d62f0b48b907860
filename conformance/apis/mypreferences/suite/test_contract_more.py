"""Property-based, the Schemathesis checks the doc supports beyond the main contract test's (issue
15), each on its own row: unsupported_method (the coverage phase's probes of the methods the spec
does not give a path), positive_data_acceptance (valid requests) and, in the stateful phase over
the spec's links, use_after_free (a profile read after its DELETE answered 204). The catalogue's
x-not-checked says why the other checks, and positive_data_acceptance on the other operations, do
not fit this API yet."""

from hypothesis import settings

from conformance.suite import contract, req

API = "mypreferences"
AUTH = {"header": "Authorization", "scheme": ""}
EXAMPLES = {"quick": 6, "full": 60}
PHASES = {"quick": ("examples", "fuzzing"), "full": ("examples", "coverage", "fuzzing")}


def _own_account(api, spec):
    # The target's account: any other clientId answers 404 before anything else is judged (L202).
    for item in spec["paths"].values():
        for holder in [item, *(op for op in item.values() if isinstance(op, dict))]:
            for param in holder.get("parameters", []):
                if param.get("name") == "clientId":
                    param["schema"] = {"const": api.setting("client_id")}


def _patches_that_apply(api, spec):
    """Valid data for positive_data_acceptance: a schema-valid RFC 6902 operation may name a member
    the profile lacks, and such a patch is refused (RFC 6902 §4.2/§5, the MP-PATCH rows). Only the
    empty patch applies to every profile, so that is the valid PATCH body here."""
    _own_account(api, spec)
    spec["components"]["schemas"]["JsonPatch"]["maxItems"] = 0
    spec["components"]["schemas"]["JsonPatchRequest"]["properties"]["Operations"]["maxItems"] = 0


def _bodies_left_open(api, spec):
    """For the probes of other methods only: the body a probe carries is never read (the method is
    refused first), and walking the large Profile body in the coverage phase takes ~30 s."""
    _own_account(api, spec)
    for item in spec["paths"].values():
        for op in item.values():
            body = op.get("requestBody") if isinstance(op, dict) else None
            if isinstance(body, dict) and "content" in body:
                body["content"] = {media: {"schema": {}} for media in body["content"]}


methods = contract.method_probes(API, _bodies_left_open, **AUTH)
valid = contract.valid_data(API, _patches_that_apply, examples=EXAMPLES, phases=PHASES, **AUTH)
# The stateful phase over the links from a create's receipt to the delete and the read of its profile.
# (Only these three: with every operation the receipt links, a read after a delete becomes rare.)
# Positive: sequences over real profiles.
links = contract.valid_data(API, _own_account, **AUTH).include(operation_id=["createProfile", "deleteProfile", "getProfile"])
Workflow = contract.state_machine(links, contract.context(API), rows_only=True)


@methods.parametrize()
@req("MP-CON-013")
def test_unlisted_methods_are_refused_with_allow(case, api):
    contract.check_rows(api, case)


@valid.parametrize()
@req("MP-CON-014")
def test_valid_requests_are_not_refused(case, api):
    contract.check_rows(api, case)


@req("MP-LIFE-006")
class TestNoReadAfterDelete(Workflow.TestCase):
    settings = settings(max_examples=20, stateful_step_count=6, deadline=None, database=None)
