"""The HTTP status of each result code: the doc gives none, so the spec assumes RFC 9110's
(200, 400, 401, 404, 409, ...) unless the target declares its own in status_map. A target
that differs is reported as a finding about the assumption (a warning), not as noise."""

from conformance.apis.imiconnect_profile.suite import imi
from conformance.suite import after_suite, expect, req


@after_suite  # judges the answers to every call the API's other tests made
@req("IMI-CON-006")
def test_status_of_each_result_code(api):
    customerid, _ = imi.new_customer(api)
    imi.call(api, "getProfile", params={"customerid": customerid}, key=None)  # 7002
    imi.call(api, "getProfile", params={"customerid": customerid}, key="cfx-wrong-" + api.run.run_id)  # 7001
    imi.call(api, "createProfile", raw="{")  # 7000
    imi.call(api, "getProfile", params={})  # 7003
    imi.call(api, "getProfile", params={"customerid": customerid, "showinwardlinks": 2})  # 7004
    imi.call(api, "getProfile", params={"customerid": api.unique("nobody")})  # 7014
    imi.call(api, "createProfile", body={"profiles": [{"customerid": customerid}]})  # 7015
    imi.call(api, "deleteProfile", params={"customerid": api.unique("nobody")})  # 7203
    wrong = set()
    for op, response in api.state.seen:
        code = imi.code_of(api, response)
        if code in imi.STATUS and response.status_code != imi.expected_status(api, code):
            wrong.add(f"{op} result {code} came with HTTP {response.status_code}, "
                      f"assumed {imi.expected_status(api, code)}")
    expect(not wrong, "; ".join(sorted(wrong)[:10]) +
           " (set status_map in the target file if this is the vendor's choice)")
