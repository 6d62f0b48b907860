"""The 50-profile ceiling of every search and group query (doc L7433 and the same sentence on
each search): more than 50 matches answer 403 Forbidden, exactly 50 answer all 50.
A run-unique "crowd" of 51 profiles matches every search; 50 of them carry a marker field."""

from __future__ import annotations

import pytest

from conformance.apis.mypreferences.suite import mp
from conformance.apis.mypreferences.suite.test_search import (
    ADDRESS, ATTRIBUTES, CUSTOM, EMAIL, GROUP_ALT, GROUP_EMAIL, GROUP_NAME, GROUP_PHONE, GROUP_PRIMARY, NAME, PARTIAL,
    PHONE, SELECT, TAGS, digits_of,
)
from conformance.suite.outcome import expect

req = pytest.mark.req

CROWD = 51


class Crowd:
    def __init__(self, api) -> None:
        self.api = api
        u = self.u = api.unique("crowd")
        self.phone = digits_of(u)
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
            self.ids.append(mp.create(api, body, "MP-LIM-015", wait=False))
        for profile_id in self.ids:
            mp.wait_complete(api, profile_id, "MP-LIM-015")

    def searches(self) -> list[tuple[str, str, dict, dict]]:
        """(requirement, path template, query, path parameters): each matches all 51 profiles."""
        u = self.u
        return [
            ("MP-LIM-001", ADDRESS, {"city": f"{u}-City", "stateProvince": "IL"}, {}),
            ("MP-LIM-002", CUSTOM, {"customFields[0].Name": f"{u}-cf", "customFields[0].Value": "yes"}, {}),
            ("MP-LIM-003", SELECT, {"customFields[0].OperatorId": 1, "customFields[0].Name": f"{u}-sel",
                                    "customFields[0].Value": "a:b"}, {}),
            ("MP-LIM-004", EMAIL, {"emailAddress": f"{u}@example.com"}, {}),
            ("MP-LIM-005", NAME, {"lastName": f"{u}Crowd"}, {}),
            ("MP-LIM-006", PARTIAL, {"lastName": f"{u}Crow"}, {}),
            ("MP-LIM-007", PHONE, {"phoneNumber": self.phone}, {}),
            ("MP-LIM-008", ATTRIBUTES, {"attributes[0].Key": f"{u}-k", "attributes[0].Value": "v"}, {}),
            ("MP-LIM-009", TAGS, {"tag[0]": f"{u}-tag", "multipleProfiles": "true"}, {}),
            ("MP-LIM-010", GROUP_ALT, {"groupType": "Household", **self.alts[0]}, {}),
            ("MP-LIM-011", GROUP_EMAIL, {"groupType": "Household", "emailAddress": f"{u}@example.com"}, {}),
            ("MP-LIM-012", GROUP_NAME, {"groupType": "Household", "groupName": f"{u}-grp"}, {}),
            ("MP-LIM-013", GROUP_PHONE, {"groupType": "Household", "phoneNumber": self.phone}, {}),
            ("MP-LIM-014", GROUP_PRIMARY, {"groupType": "Household"}, {"profileId": self.ids[0]}),
        ]


@pytest.fixture(scope="module")
def crowd(api):
    return Crowd(api)


@pytest.mark.parametrize("index", [pytest.param(i, marks=req(f"MP-LIM-{i + 1:03d}"), id=f"MP-LIM-{i + 1:03d}")
                                   for i in range(14)])
def test_more_than_50_matches_are_forbidden(crowd, index):
    rid, template, params, path = crowd.searches()[index]
    response = mp.call(crowd.api, "GET", template, params=params, **path)
    api = crowd.api
    if response.status_code == 403:
        api.conforms(response, "GET", template, rid, status=403)
        return
    detail = ""
    if response.status_code == 200:
        try:
            detail = f" with {len(response.json())} profiles"
        except ValueError:
            pass
    expect(False, rid, f"a search matching {CROWD} profiles answered {response.status_code}{detail}, expected 403")


@req("MP-LIM-015")
def test_exactly_50_matches_are_all_returned(crowd):
    params = {"customFields[0].Name": f"{crowd.u}-fifty", "customFields[0].Value": "yes"}
    results = mp.search(crowd.api, CUSTOM, "MP-LIM-015", params)
    got = {p.get("ProfileId") for p in results}
    expect(got == set(crowd.ids[:-1]), "MP-LIM-015",
           f"a search matching exactly 50 profiles returned {len(results)} of them"
           f" ({len(set(crowd.ids[:-1]) - got)} missing)")


@req("MP-ERR-018")
def test_403_body_is_a_json_object(crowd):
    # The 403 sample of MP-ERR-018 (the other statuses are sampled in test_errors): a search over 50 matches.
    _rid, template, params, path = crowd.searches()[0]
    response = mp.call(crowd.api, "GET", template, params=params, **path)
    expect(response.status_code == 403, "MP-ERR-018", f"expected a 403 sample, got {response.status_code}")
    try:
        payload = response.json()
    except ValueError:
        payload = None
    expect(isinstance(payload, dict), "MP-ERR-018", f"the 403 body is not a JSON object: {response.text[:120]!r}")


@req("MP-LIM-016")
def test_no_answer_holds_more_than_50(crowd):
    sizes = {}
    for _rid, template, params, path in crowd.searches():
        response = mp.call(crowd.api, "GET", template, params=params, **path)
        if response.status_code == 200:
            try:
                sizes[template] = len(response.json())
            except (ValueError, TypeError):
                continue
    over = {t: n for t, n in sizes.items() if n > 50}
    expect(not over, "MP-LIM-016", f"answers holding more than 50 profiles: {over}")
