"""Property-based: schemathesis generates valid and invalid requests for the nine operations.

Reads and creates get valid and invalid data; what a create made is deleted at the end of the
run (imi.setup tracks it). Updates and deletes get valid data only, on customerids under the
run's prefix: any other customerid could name (and change or delete) a real customer of a
vendor sandbox.
"""

from schemathesis import GenerationMode

from conformance.apis.imiconnect_profile.suite import imi
from conformance.suite import contract, current, req

API = "imiconnect-profile"
EXAMPLES = {"quick": 15, "full": 100}


def _aim(methods, *, only_ours):
    def aim(api, spec):
        for path in list(spec["paths"]):
            item = spec["paths"][path]
            for method in list(item):
                if method not in methods:
                    del item[method]
            if not item:
                del spec["paths"][path]
        ours = {"type": "string", "pattern": f"^{api.run.prefix}-ct-[a-z0-9]{{1,6}}$"}
        apps = [a for a in (api.setting("appid"), api.setting("other_appid")) if a]
        params = spec["components"]["parameters"]
        schemas = spec["components"]["schemas"]
        if only_ours:  # valid data only (see above): the prefix keeps it on the run's own customers
            params["CustomerId"]["schema"] = ours
            schemas["MasterProfile"]["properties"]["customerid"] = ours
            schemas["AppProfile"]["properties"]["customerid"] = ours
        if apps:
            params["AppId"]["schema"] = {"enum": apps}
            schemas["AppProfile"]["properties"]["appid"] = {"enum": apps}
        # Master profile attributes: only the keys the client defines are valid data (L55).
        keys = list(api.setting("attribute_keys"))
        schemas["MasterProfile"]["properties"]["attributes"] = {
            "type": "object", "additionalProperties": False,
            "properties": {k: {"type": "string"} for k in keys},
        }
        # The envelope's field names, as the target names them.
        code, text = api.setting("code_field"), api.setting("description_field")
        result = schemas["Result"]
        result["required"] = [code, text]
        result["properties"] = {code: {"$ref": "#/components/schemas/ResultCode"}, text: {"type": "string"}}
        schemas["ItemResult"]["required"] = [code]
        schemas["ItemResult"]["properties"][code] = schemas["ItemResult"]["properties"].pop("code")
    return aim


reads = contract.schema_for(API, _aim({"get", "post"}, only_ours=False), header="key", scheme="", examples=EXAMPLES,
                            status_of=imi.assumed_status)
writes = contract.schema_for(API, _aim({"put", "delete"}, only_ours=True), header="key", scheme="", examples=EXAMPLES,
                             status_of=imi.assumed_status)
writes.config.generation.update(modes=[GenerationMode.POSITIVE])


def _partial(api):
    """A batch mixing valid and invalid profiles is rightly answered 1002 Partial success with
    HTTP 200 (L34): the invalid profiles were refused, not accepted."""
    return lambda response: ("negative_data_rejection",) if imi.code_of(api, response) == 1002 else ()


@reads.parametrize()
@req("IMI-CON-001", "IMI-CON-002", "IMI-CON-003", "IMI-CON-004", "IMI-CON-005", "IMI-AUTH-002")
def test_contract_reads_and_creates(case, api):
    contract.check(api, case, exempt=_partial(api))


@writes.parametrize()
@req("IMI-CON-001", "IMI-CON-002", "IMI-CON-003", "IMI-CON-004", "IMI-CON-005", "IMI-AUTH-002")
def test_contract_updates_and_deletes(case, api):
    contract.check(api, case)


# Last in this module: property checks that only ever saw refusals verified nothing.
@req("IMI-CON-001", "IMI-CON-002", "IMI-CON-003", "IMI-CON-004", "IMI-CON-005")
def test_property_requests_were_served(api):
    contract.served(api, current())
