"""Property-based, the Schemathesis checks the doc supports beyond the main contract test's (issue
15), each on its own row: unsupported_method (the coverage phase's probes of the methods the
table of L9-L19 does not give a path) and positive_data_acceptance (valid requests of the nine
operations). The catalogue's x-not-checked says why the others do not fit this API.

Valid data is aimed as test_contract.py aims it: the client's attribute keys (L55), its linked
applications, and for updates and deletes only customerids under the run's prefix."""

from schemathesis import GenerationMode

from conformance.apis.imiconnect_profile.suite import imi
from conformance.suite import contract, req

API = "imiconnect-profile"
PHASES = {"quick": ("coverage",), "full": ("coverage",)}
EXAMPLES = {"quick": 10, "full": 60}


def _valid(api, spec):
    ours = {"type": "string", "pattern": f"^{api.run.prefix}-cv-[a-z0-9]{{1,6}}$"}
    params = spec["components"]["parameters"]
    schemas = spec["components"]["schemas"]
    params["CustomerId"]["schema"] = ours  # writes reach the run's own customers only
    schemas["MasterProfile"]["properties"]["customerid"] = ours
    schemas["AppProfile"]["properties"]["customerid"] = ours
    apps = [a for a in (api.setting("appid"), api.setting("other_appid")) if a]
    if apps:
        params["AppId"]["schema"] = {"enum": apps}
        schemas["AppProfile"]["properties"]["appid"] = {"enum": apps}
    schemas["MasterProfile"]["properties"]["attributes"] = {
        "type": "object", "additionalProperties": False,
        "properties": {k: {"type": "string"} for k in api.setting("attribute_keys")},
    }
    code, text = api.setting("code_field"), api.setting("description_field")
    schemas["Result"]["required"] = [code, text]
    schemas["Result"]["properties"] = {code: {"$ref": "#/components/schemas/ResultCode"}, text: {"type": "string"}}
    schemas["ItemResult"]["required"] = [code]
    schemas["ItemResult"]["properties"][code] = schemas["ItemResult"]["properties"].pop("code")


methods = contract.schema_for(API, header="key", scheme="", phases=PHASES, status_of=imi.assumed_status)
valid = contract.schema_for(API, _valid, header="key", scheme="", examples=EXAMPLES, status_of=imi.assumed_status)
valid.config.generation.update(modes=[GenerationMode.POSITIVE])


@methods.parametrize()
@req("IMI-CON-007")
def test_unlisted_methods_are_refused_with_allow(case, api):
    contract.check_rows(api, case)


@valid.parametrize()
@req("IMI-CON-008")
def test_valid_requests_are_not_refused(case, api):
    contract.check_rows(api, case)
