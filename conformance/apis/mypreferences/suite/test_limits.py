"""The 50-profile ceiling of every search and group query (doc L7433 and the same sentence on
each search): more than 50 matches answer 403 Forbidden, exactly 50 answer all 50.
A run-unique "crowd" of 51 profiles matches every search; 50 of them carry a marker field."""

from __future__ import annotations

import pytest

from conformance.apis.mypreferences.suite import mp
from conformance.suite import expect, ids_of, req

CROWD = 51


class Crowd:
    """The 51 profiles every search matches, created once for this module. A profile that cannot be
    made fails the exactly-50 row; the other tests are blocked by it."""

    def __init__(self, api) -> None:
        self.api = api
        made = ids_of(test_exactly_50_matches_are_all_returned)
        u = self.u = api.unique("crowd")
        self.phone = mp.digits(u)
        self.ids: list[int] = []
        self.alts: list[dict] = []
        for i in range(CROWD):
            body = mp.new_profile(
                api, "crowd",
                CustomerName={"FirstName": "Ann", "LastName": f"{u}Crowd"},
                Addresses=[{"AddressType": "Home", "Address1": "1 Main St", "City": f"{u}-City", "StateProvince": "IL",
                            "PostalCode": "62701", "IsActive": True}],
                CustomFields=[{"Name": f"{u}-cf", "Value": "yes", "IsActive": True},
                              {"Name": f"{u}-sel", "Value": "a:b", "IsActive": True}]
                + ([{"Name": f"{u}-fifty", "Value": "yes", "IsActive": True}] if i < CROWD - 1 else []),
                Emails=[mp.email(f"{u}@example.com")],
                PhoneNumbers=[{"PhoneNumber": self.phone, "PhoneType": "Mobile", "IsActive": True}],
                ProfilePreferences=[mp.preference("Offers", f"{u}-F",
                                                  PreferenceAttributes=[{"Key": f"{u}-k", "Value": "v"}])],
                ProfileTags=[{"Name": f"{u}-tag"}],
                Groups=[{"GroupType": "Household", "GroupName": f"{u}-grp", "IsPrimary": i == 0, "IsActive": True}],
            )
            self.alts.append(mp.alt_of(body))
            self.ids.append(mp.create(api, body, wait=False, ids=made))
        for profile_id in self.ids:
            mp.wait_complete(api, profile_id, ids=made)

    def searches(self) -> dict[str, tuple[dict, dict]]:
        """operationId -> (query, path parameters): each search matches all 51 profiles."""
        u = self.u
        return {
            "searchProfilesByAddress": ({"city": f"{u}-City", "stateProvince": "IL"}, {}),
            "searchProfilesByCustomFields": ({"customFields[0].Name": f"{u}-cf", "customFields[0].Value": "yes"}, {}),
            "searchProfilesBySelectListCustomFields": (
                {"customFields[0].OperatorId": 1, "customFields[0].Name": f"{u}-sel", "customFields[0].Value": "a:b"},
                {}),
            "searchProfilesByEmail": ({"emailAddress": f"{u}@example.com"}, {}),
            "searchProfilesByName": ({"lastName": f"{u}Crowd"}, {}),
            "searchProfilesByPartialName": ({"lastName": f"{u}Crow"}, {}),
            "searchProfilesByPhone": ({"phoneNumber": self.phone}, {}),
            "searchProfilesByPreferenceAttributes": ({"attributes[0].Key": f"{u}-k", "attributes[0].Value": "v"}, {}),
            "searchProfilesByTags": ({"tag[0]": f"{u}-tag", "multipleProfiles": "true"}, {}),
            "getGroupProfilesByAlternateId": ({"groupType": "Household", **self.alts[0]}, {}),
            "getGroupProfilesByEmail": ({"groupType": "Household", "emailAddress": f"{u}@example.com"}, {}),
            "getGroupProfilesByGroupName": ({"groupType": "Household", "groupName": f"{u}-grp"}, {}),
            "getGroupProfilesByPhone": ({"groupType": "Household", "phoneNumber": self.phone}, {}),
            "getGroupProfilesByProfileId": ({"groupType": "Household"}, {"profileId": self.ids[0]}),
        }


@pytest.fixture(scope="module")
def crowd(api):
    return Crowd(api)


@pytest.mark.parametrize("operation", [
    pytest.param("searchProfilesByAddress", marks=req("MP-LIM-001")),
    pytest.param("searchProfilesByCustomFields", marks=req("MP-LIM-002")),
    pytest.param("searchProfilesBySelectListCustomFields", marks=req("MP-LIM-003")),
    pytest.param("searchProfilesByEmail", marks=req("MP-LIM-004")),
    pytest.param("searchProfilesByName", marks=req("MP-LIM-005")),
    pytest.param("searchProfilesByPartialName", marks=req("MP-LIM-006")),
    pytest.param("searchProfilesByPhone", marks=req("MP-LIM-007")),
    pytest.param("searchProfilesByPreferenceAttributes", marks=req("MP-LIM-008")),
    pytest.param("searchProfilesByTags", marks=req("MP-LIM-009")),
    pytest.param("getGroupProfilesByAlternateId", marks=req("MP-LIM-010")),
    pytest.param("getGroupProfilesByEmail", marks=req("MP-LIM-011")),
    pytest.param("getGroupProfilesByGroupName", marks=req("MP-LIM-012")),
    pytest.param("getGroupProfilesByPhone", marks=req("MP-LIM-013")),
    pytest.param("getGroupProfilesByProfileId", marks=req("MP-LIM-014")),
])
def test_more_than_50_matches_are_forbidden(crowd, operation):
    params, path = crowd.searches()[operation]
    api = crowd.api
    response = api.call(operation, params=params, **path)
    if response.status_code == 403:
        api.conforms(response, status=403)
        return
    detail = ""
    if response.status_code == 200:
        try:
            detail = f" with {len(response.json())} profiles"
        except ValueError:
            pass
    expect(False, f"a search matching {CROWD} profiles answered {response.status_code}{detail}, expected 403")


@req("MP-LIM-015")
def test_exactly_50_matches_are_all_returned(crowd):
    params = {"customFields[0].Name": f"{crowd.u}-fifty", "customFields[0].Value": "yes"}
    results = mp.search(crowd.api, "searchProfilesByCustomFields", params)
    got = {p.get("ProfileId") for p in results}
    expect(got == set(crowd.ids[:-1]),
           f"a search matching exactly 50 profiles returned {len(results)} of them"
           f" ({len(set(crowd.ids[:-1]) - got)} missing)")


@req("MP-ERR-018")
def test_403_body_is_a_json_object(crowd):
    # The row's 403 sample (the other statuses are sampled in test_errors): a search over 50 matches.
    params, path = crowd.searches()["searchProfilesByAddress"]
    response = crowd.api.call("searchProfilesByAddress", params=params, **path)
    expect(response.status_code == 403, f"expected a 403 sample, got {response.status_code}")
    try:
        payload = response.json()
    except ValueError:
        payload = None
    expect(isinstance(payload, dict), f"the 403 body is not a JSON object: {response.text[:120]!r}")


@req("MP-LIM-016")
def test_no_answer_holds_more_than_50(crowd):
    sizes = {}
    for operation, (params, path) in crowd.searches().items():
        response = crowd.api.call(operation, params=params, **path)
        if response.status_code == 200:
            try:
                sizes[crowd.api.path_of(operation)[1]] = len(response.json())
            except (ValueError, TypeError):
                continue
    over = {t: n for t, n in sizes.items() if n > 50}
    expect(not over, f"answers holding more than 50 profiles: {over}")
