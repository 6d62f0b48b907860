"""Search parameters and result contents the doc states per search section, each checked on the
searches it is stated for: emailType / phoneType on the group queries (L12622, L13648), partial
matching on every name field (L10027), middleName in the exact name and address searches (L9512,
L7435), and "only active elements" in every search's result (L7437 and its repeats). Every value
searched for is run-unique."""

from __future__ import annotations

import pytest

from conformance.apis.mypreferences.suite import mp
from conformance.suite import expect, ids_of, req


def home(city: str, address1: str, **extra) -> dict:
    return {"AddressType": "Home", "Address1": address1, "City": city, "StateProvince": "IL", "PostalCode": "62701",
            "IsActive": True, **extra}


class Fields:
    """The profiles of this module, created once. A profile that cannot be made fails the group
    contact-type row; the other tests are blocked by it."""

    def __init__(self, api) -> None:
        self.api = api
        made = ids_of(test_group_queries_filter_on_the_contact_type)
        u = self.u = api.unique("sf")
        self.city = f"{u}-City"
        self.hub_city = f"{u}-Hub"
        self.phone = mp.digits(u + "-p")
        self.hub_phone = mp.digits(u + "-hub")
        self.member_phone = mp.digits(u + "-memb")
        self.ids: dict[str, int] = {}
        self.alts: dict[str, dict] = {}
        group = {"GroupType": "Household", "GroupName": f"{u}-grp", "IsActive": True}
        hub_group = {"GroupType": "Household", "GroupName": f"{u}-hubgrp", "IsActive": True}
        self.off = {"email": f"{u}-hub-off@example.com", "phone": mp.digits(u + "-hub-off"),
                    "address": f"9 {u} Old Road", "field": f"{u}-oldfield", "group": f"{u}-oldgrp",
                    "consent": "cfxOffConsent"}
        pending = {
            # a group whose primary has a Personal email and a Mobile phone (SRCH-101)
            "primary": dict(Groups=[dict(group, IsPrimary=True)], Emails=[mp.email(f"{u}-prim@example.com", "Personal")],
                            PhoneNumbers=[{"PhoneNumber": self.phone, "PhoneType": "Mobile", "IsActive": True}]),
            "member": dict(Groups=[dict(group, IsPrimary=False)], Emails=[mp.email(f"{u}-memb@example.com")],
                           PhoneNumbers=[{"PhoneNumber": self.member_phone, "PhoneType": "Mobile", "IsActive": True}]),
            # names (SRCH-102, SRCH-103): same last name and address city, different first / middle names
            "ann": dict(CustomerName={"FirstName": f"{u}Ann", "MiddleName": f"{u}Marie", "LastName": f"{u}Stone"},
                        Addresses=[home(self.city, f"1 {u} Elm")]),
            "anna": dict(CustomerName={"FirstName": f"{u}Ann", "MiddleName": f"{u}Mariella", "LastName": f"{u}Stone"},
                         Addresses=[home(self.city, f"2 {u} Elm")]),
            "bob": dict(CustomerName={"FirstName": f"{u}Bob", "MiddleName": f"{u}Jo", "LastName": f"{u}Stone"},
                        Addresses=[home(self.city, f"3 {u} Elm")]),
            # one profile every search finds, with an inactive element in every collection (SRCH-104)
            "hub": dict(
                CustomerName={"FirstName": "Hub", "LastName": f"{u}Hubble"},
                Addresses=[home(self.hub_city, f"1 {u} Hub Street"),
                           dict(home(self.hub_city, self.off["address"]), AddressType="Work", IsActive=False)],
                Emails=[mp.email(f"{u}-hub@example.com"), mp.email(self.off["email"], "Work", IsActive=False)],
                PhoneNumbers=[{"PhoneNumber": self.hub_phone, "PhoneType": "Mobile", "IsActive": True},
                              {"PhoneNumber": self.off["phone"], "PhoneType": "Home", "IsActive": False}],
                CustomFields=[{"Name": f"{u}-cf", "Value": "couch", "IsActive": True},
                              {"Name": self.off["field"], "Value": "old", "IsActive": False}],
                Groups=[dict(hub_group, IsPrimary=True),
                        {"GroupType": "Club", "GroupName": self.off["group"], "IsPrimary": False, "IsActive": False}],
                Consents=[mp.consent("cfxOnConsent"), mp.consent(self.off["consent"], IsActive=False)],
                ProfilePreferences=[mp.preference("Offers", f"{u}-F", PreferenceAttributes=[
                    {"Key": f"{u}-key", "Value": "v"}])],
                ProfileTags=[{"Name": f"{u}-hubtag"}]),
        }
        for label, extra in pending.items():
            body = mp.new_profile(api, label, **extra)
            self.alts[label] = mp.alt_of(body)
            self.ids[label] = mp.create(api, body, wait=False, ids=made)
        for profile_id in self.ids.values():
            mp.wait_complete(api, profile_id, ids=made)

    def results(self, operation: str, params: dict, **path) -> list[dict]:
        results = mp.search(self.api, operation, params, **path)  # a 404 is no match (issue 12)
        expect(isinstance(results, list),
               f"{' '.join(self.api.path_of(operation))} answered {type(results).__name__}, not an array")
        return results

    def found(self, operation: str, params: dict, **path) -> set[str]:
        by_id = {v: k for k, v in self.ids.items()}
        return {by_id[p.get("ProfileId")] for p in self.results(operation, params, **path)
                if p.get("ProfileId") in by_id}


@pytest.fixture(scope="module")
def fields(api):
    return Fields(api)


def same(got: set, wanted: set, what: str) -> None:
    expect(got == wanted, f"{what} returned {sorted(got)}, expected {sorted(wanted)}")


GROUP = {"primary", "member"}


@req("MP-SRCH-101")
def test_group_queries_filter_on_the_contact_type(fields):
    u = fields.u
    email = {"groupType": "Household", "emailAddress": f"{u}-prim@example.com"}
    same(fields.found("getGroupProfilesByEmail", {**email, "emailType": "Personal"}), GROUP,
         "the group by the primary's email with its emailType Personal")
    same(fields.found("getGroupProfilesByEmail", {**email, "emailType": "Work"}), set(),
         "the group by the primary's email with emailType Work (the email is Personal)")
    phone = {"groupType": "Household", "phoneNumber": fields.phone}
    same(fields.found("getGroupProfilesByPhone", {**phone, "phoneType": "Mobile"}), GROUP,
         "the group by the primary's phone with its phoneType Mobile")
    same(fields.found("getGroupProfilesByPhone", {**phone, "phoneType": "Home"}), set(),
         "the group by the primary's phone with phoneType Home (the phone is Mobile)")


@req("MP-SRCH-102")
def test_partial_name_matches_every_name_field(fields):
    u = fields.u
    last = f"{u}Sto"
    same(fields.found("searchProfilesByPartialName", {"lastName": last, "firstName": "Ann"}), {"ann", "anna"},
         f"partial lastName {last!r} with firstName 'Ann' (contained in '{u}Ann')")
    same(fields.found("searchProfilesByPartialName", {"lastName": last, "firstName": "Bo"}), {"bob"},
         f"partial lastName {last!r} with firstName 'Bo'")
    same(fields.found("searchProfilesByPartialName", {"lastName": last, "middleName": "ella"}), {"anna"},
         f"partial lastName {last!r} with middleName 'ella' (contained in '{u}Mariella')")
    same(fields.found("searchProfilesByPartialName", {"lastName": last, "firstName": "Zed"}), set(),
         f"partial lastName {last!r} with firstName 'Zed' (in no first name)")


@req("MP-SRCH-103")
def test_middle_name_narrows_name_and_address_searches(fields):
    u = fields.u
    same(fields.found("searchProfilesByName", {"lastName": f"{u}Stone"}), {"ann", "anna", "bob"},
         f"lastName '{u}Stone'")
    same(fields.found("searchProfilesByName", {"lastName": f"{u}Stone", "middleName": f"{u}Marie"}), {"ann"},
         f"lastName '{u}Stone' with middleName '{u}Marie' (exact: not '{u}Mariella')")
    params = {"city": fields.city, "stateProvince": "IL", "lastName": f"{u}Stone", "middleName": f"{u}Jo"}
    same(fields.found("searchProfilesByAddress", params), {"bob"}, f"the address search with middleName '{u}Jo'")
    params["middleName"] = f"{u}Marie"
    same(fields.found("searchProfilesByAddress", params), {"ann"}, f"the address search with middleName '{u}Marie'")


@req("MP-SRCH-104")
def test_every_search_returns_only_active_elements(fields):
    u, off = fields.u, fields.off
    hub_id = fields.ids["hub"]
    searches = (
        ("address", "searchProfilesByAddress", {"city": fields.hub_city, "stateProvince": "IL"}, {}),
        ("custom fields", "searchProfilesByCustomFields",
         {"customFields[0].Name": f"{u}-cf", "customFields[0].Value": "couch"}, {}),
        ("SelectList", "searchProfilesBySelectListCustomFields",
         {"customFields[0].OperatorId": 3, "customFields[0].Name": f"{u}-cf",  # as L8502
          "customFields[0].Value": "couch"}, {}),
        ("email", "searchProfilesByEmail", {"emailAddress": f"{u}-hub@example.com"}, {}),
        ("name", "searchProfilesByName", {"lastName": f"{u}Hubble"}, {}),
        ("partial name", "searchProfilesByPartialName", {"lastName": f"{u}Hubb"}, {}),
        ("phone", "searchProfilesByPhone", {"phoneNumber": fields.hub_phone}, {}),
        ("preference attributes", "searchProfilesByPreferenceAttributes",
         {"attributes[0].Key": f"{u}-key", "attributes[0].Value": "v"}, {}),
        ("tags", "searchProfilesByTags", {"tag[0]": f"{u}-hubtag"}, {}),
        ("group by alternate id", "getGroupProfilesByAlternateId",
         {"groupType": "Household", **fields.alts["hub"]}, {}),
        ("group by email", "getGroupProfilesByEmail",
         {"groupType": "Household", "emailAddress": f"{u}-hub@example.com"}, {}),
        ("group by name", "getGroupProfilesByGroupName", {"groupType": "Household", "groupName": f"{u}-hubgrp"}, {}),
        ("group by phone", "getGroupProfilesByPhone", {"groupType": "Household", "phoneNumber": fields.hub_phone}, {}),
        ("group by primary profile id", "getGroupProfilesByProfileId", {"groupType": "Household"},
         {"profileId": hub_id}),
    )
    for label, operation, params, path in searches:
        mine = [p for p in fields.results(operation, params, **path) if p.get("ProfileId") == hub_id]
        expect(len(mine) == 1, f"the {label} search did not return the profile it matches")
        profile = mine[0]
        shown = []
        for collection, member, value in (("Emails", "EmailAddress", off["email"]),
                                          ("PhoneNumbers", "PhoneNumber", off["phone"]),
                                          ("Addresses", "Address1", off["address"]),
                                          ("CustomFields", "Name", off["field"]),
                                          ("Groups", "GroupName", off["group"]),
                                          ("Consents", "ConsentType", off["consent"])):
            if value in [item.get(member) for item in profile.get(collection) or []]:
                shown.append(f"{collection} {value!r}")
        expect(not shown, f"the {label} search result holds inactive elements: {', '.join(shown)}")


@req("MP-SRCH-105")
def test_a_members_identifier_finds_no_group(fields):
    u = fields.u
    queries = (
        ("alternate id", "getGroupProfilesByAlternateId", {"groupType": "Household", **fields.alts["member"]}, {}),
        ("email", "getGroupProfilesByEmail", {"groupType": "Household", "emailAddress": f"{u}-memb@example.com"}, {}),
        ("phone", "getGroupProfilesByPhone", {"groupType": "Household", "phoneNumber": fields.member_phone}, {}),
        ("ProfileId", "getGroupProfilesByProfileId", {"groupType": "Household"}, {"profileId": fields.ids["member"]}),
    )
    for label, operation, params, path in queries:
        response = fields.api.call(operation, params=params, **path)
        if response.status_code == 404:
            continue  # no group has this profile as its primary: "not found" is a fair answer too
        results = fields.api.conforms(response, status=200)
        got = {p.get("ProfileId") for p in results} & {fields.ids["primary"], fields.ids["member"]} \
            if isinstance(results, list) else set()
        expect(not got, f"the group query by a member's (not the primary's) {label} returned the group's "
               f"profiles {sorted(got)}")


@req("MP-SRCH-106")
def test_partial_name_match_covers_middle_name_in_the_address_search(fields):
    u = fields.u
    base = {"city": fields.city, "stateProvince": "IL", "lastName": f"{u}Stone", "middleName": "Mari"}
    same(fields.found("searchProfilesByAddress", {**base, "partialNameMatch": "true"}), {"ann", "anna"},
         f"the address search with middleName 'Mari' (in '{u}Marie', '{u}Mariella') and partialNameMatch=true")
    same(fields.found("searchProfilesByAddress", base), set(),
         "the address search with middleName 'Mari' without partialNameMatch (exact by default)")
