"""Searches and group queries (doc L7431-L14160): each criterion narrows the result the way the
doc says, and results hold only active elements. Every value the suite searches for is
run-unique, so other data of a real account cannot match."""

from __future__ import annotations

import pytest

from conformance.apis.mypreferences.suite import mp
from conformance.suite import expect, ids_of, req


def address(city: str, address1: str, *, kind: str = "Home", postal: str = "62701", **extra) -> dict:
    return {"AddressType": kind, "Address1": address1, "City": city, "StateProvince": "IL", "PostalCode": postal,
            "IsActive": True, **extra}


class World:
    """The profiles the searches run against, created once for this module. A profile that cannot be
    made fails the city + state row; the other tests are blocked by it."""

    def __init__(self, api) -> None:
        self.api = api
        made = ids_of(test_address_by_city_and_state)
        self.u = api.unique("srch")
        self.city = f"{self.u}-City"
        self.ids: dict[str, int] = {}
        self.alts: dict[str, dict] = {}
        self.phone = mp.digits(self.u)
        self.phone2 = mp.digits(self.u + "-2")
        self.group_phone = mp.digits(self.u + "-g")
        u = self.u
        pending = {
            # address search (SRCH-001..006)
            # camden also carries tag t3 (created before gold: a tag search that matches "any" would find it first)
            "camden": dict(Addresses=[address(self.city, "12 Camden Lane")], ProfileTags=[{"Name": f"{u}-t3"}],
                           CustomerName={"FirstName": "Bill", "LastName": f"{u}Dayton"}),
            "camdenisk": dict(Addresses=[address(self.city, "134 Camdenisk Way", postal="62702")],
                              CustomerName={"FirstName": "Billy", "LastName": f"{u}Day"}),
            "cameron": dict(Addresses=[address(self.city, "Cameron", kind="Work")],
                            CustomerName={"FirstName": "Will", "LastName": f"{u}Day"}),
            "camdin": dict(Addresses=[address(self.city, "1453 Camdin Rd", Address2="Suite 100")],
                           CustomerName={"FirstName": "Bill", "LastName": f"{u}David"}),
            # names (SRCH-012, 013)
            "smith": dict(CustomerName={"FirstName": f"{u}First", "LastName": f"{u}Smith"}),
            "smilla": dict(CustomerName={"FirstName": f"{u}First", "LastName": f"{u}Smilla"}),
            "small": dict(CustomerName={"FirstName": f"{u}Other", "LastName": f"{u}Small"}),
            "sampson": dict(CustomerName={"FirstName": f"{u}First", "LastName": f"{u}Sampson"}),
            # custom fields, emails, phones, attributes, tags
            "gold": dict(CustomFields=[{"Name": f"{u}-tier", "Value": "gold", "IsActive": True},
                                       {"Name": f"{u}-since", "Value": "2020", "IsActive": True},
                                       {"Name": f"{u}-rooms", "Value": "couch:chair:table", "IsActive": True}],
                         Emails=[mp.email(f"{u}-shared@example.com", "Personal")],
                         PhoneNumbers=[{"PhoneNumber": self.formatted(self.phone), "PhoneType": "Mobile",
                                        "IsActive": True}],
                         ProfilePreferences=[mp.preference("Offers", f"{u}-F", PreferenceAttributes=[
                             {"Key": f"{u}-size", "Value": "L"}, {"Key": f"{u}-color", "Value": "red"}])],
                         ProfileTags=[{"Name": f"{u}-t1"}, {"Name": f"{u}-t2"}, {"Name": f"{u}-t3"}]),
            "gold2": dict(CustomFields=[{"Name": f"{u}-tier", "Value": "gold", "IsActive": True},
                                        {"Name": f"{u}-since", "Value": "2021", "IsActive": True}],
                          Emails=[mp.email(f"{u}-shared@example.com", "Work")],
                          PhoneNumbers=[{"PhoneNumber": self.phone, "PhoneType": "Home", "IsActive": True}],
                          ProfilePreferences=[mp.preference("Offers", f"{u}-F", PreferenceAttributes=[
                              {"Key": f"{u}-size", "Value": "L"}])],
                          ProfileTags=[{"Name": f"{u}-t1"}]),
            "silver": dict(CustomFields=[{"Name": f"{u}-tier", "Value": "silver", "IsActive": True},
                                         {"Name": f"{u}-rooms", "Value": "bed:lamp", "IsActive": True}],
                           Emails=[mp.email(f"{u}-other@example.com", "Personal")],
                           PhoneNumbers=[{"PhoneNumber": self.phone2, "PhoneType": "Mobile", "IsActive": True}],
                           ProfilePreferences=[mp.preference("Offers", f"{u}-F", PreferenceAttributes=[
                               {"Key": f"{u}-size", "Value": "S"}])],
                           ProfileTags=[{"Name": f"{u}-t2"}]),
            # inactive elements of a matching profile (SRCH-028)
            "faded": dict(Emails=[mp.email(f"{u}-faded@example.com"), mp.email(f"{u}-gone@example.com", IsActive=False)],
                          CustomFields=[{"Name": f"{u}-old", "Value": "x", "IsActive": False}],
                          PhoneNumbers=[{"PhoneNumber": self.phone2, "PhoneType": "Home", "IsActive": True}]),
            # a group: primary, two members, and a group of another type (SRCH-022..027)
            "primary": dict(Groups=[{"GroupType": "Household", "GroupName": f"{u}-fam", "IsPrimary": True,
                                     "IsActive": True}],
                            Emails=[mp.email(f"{u}-primary@example.com")],
                            PhoneNumbers=[{"PhoneNumber": self.group_phone, "PhoneType": "Mobile", "IsActive": True}]),
            "member1": dict(Groups=[{"GroupType": "Household", "GroupName": f"{u}-fam", "IsPrimary": False,
                                     "IsActive": True}]),
            "member2": dict(Groups=[{"GroupType": "Household", "GroupName": f"{u}-fam", "IsPrimary": False,
                                     "IsActive": True}]),
            "business": dict(Groups=[{"GroupType": "Business", "GroupName": f"{u}-fam", "IsPrimary": True,
                                      "IsActive": True}]),
        }
        for label, extra in pending.items():
            body = mp.new_profile(api, label, **extra)
            self.alts[label] = mp.alt_of(body)
            self.ids[label] = mp.create(api, body, wait=False, ids=made)
        for profile_id in self.ids.values():
            mp.wait_complete(api, profile_id, ids=made)

    @staticmethod
    def formatted(number: str) -> str:
        return f"({number[:3]}) {number[3:6]}-{number[6:]}"

    def found(self, operation: str, params: dict, **path) -> set[str]:
        """The labels of this module's profiles a search (an operationId) returns."""
        response = self.api.call(operation, params=params, **path)
        if response.status_code == 404:  # no match: the doc documents 404 on every search (spec x-doc-note,
            self.last = []               # MP-SRCH-029); a search that should match then fails on `same`
            return set()
        results = self.api.conforms(response, status=200)
        expect(isinstance(results, list), f"a search answered {type(results).__name__}, not an array")
        self.last = results
        by_id = {v: k for k, v in self.ids.items()}
        return {by_id[p.get("ProfileId")] for p in results if p.get("ProfileId") in by_id}


@pytest.fixture(scope="module")
def world(api):
    return World(api)


def same(got: set, wanted: set, what: str) -> None:
    expect(got == wanted, f"{what} returned {sorted(got)}, expected {sorted(wanted)}")


# --- address ------------------------------------------------------------------------------------
@req("MP-SRCH-001")
def test_address_by_city_and_state(world):
    got = world.found("searchProfilesByAddress", {"city": world.city, "stateProvince": "IL"})
    same(got, {"camden", "camdenisk", "cameron", "camdin"}, "city + state")


@req("MP-SRCH-002")
def test_address_matches_every_field_given(world):
    params = {"city": world.city, "stateProvince": "IL", "postalCode": "62702"}
    same(world.found("searchProfilesByAddress", params), {"camdenisk"}, "postalCode 62702")
    params = {"city": world.city, "stateProvince": "IL", "address1": "12 Camden Lane"}
    same(world.found("searchProfilesByAddress", params), {"camden"}, "address1 '12 Camden Lane'")


@req("MP-SRCH-003")
def test_partial_address1(world):
    params = {"city": world.city, "stateProvince": "IL", "address1": "Camden", "partialAddress1Match": "true"}
    same(world.found("searchProfilesByAddress", params), {"camden", "camdenisk"},
         "address1 'Camden' with partialAddress1Match=true")


@req("MP-SRCH-004")
def test_address1_exact_by_default_and_address2_always_exact(world):
    params = {"city": world.city, "stateProvince": "IL", "address1": "Camden"}
    same(world.found("searchProfilesByAddress", params), set(), "address1 'Camden' (default exact)")
    params = {"city": world.city, "stateProvince": "IL", "address2": "Suite", "partialAddress1Match": "true"}
    same(world.found("searchProfilesByAddress", params), set(),
         "address2 'Suite' with partialAddress1Match=true")
    params = {"city": world.city, "stateProvince": "IL", "address2": "Suite 100"}
    same(world.found("searchProfilesByAddress", params), {"camdin"}, "address2 'Suite 100'")


@req("MP-SRCH-005")
def test_partial_name_in_address_search(world):
    base = {"city": world.city, "stateProvince": "IL", "firstName": "Bill", "lastName": f"{world.u}Day"}
    same(world.found("searchProfilesByAddress", {**base, "partialNameMatch": "true"}),
         {"camden", "camdenisk"}, "firstName 'Bill' lastName 'Day' with partialNameMatch=true")
    same(world.found("searchProfilesByAddress", base), set(),
         "firstName 'Bill' lastName 'Day' (default exact)")


@req("MP-SRCH-006")
def test_address_type(world):
    params = {"city": world.city, "stateProvince": "IL", "addressType": "Work"}
    same(world.found("searchProfilesByAddress", params), {"cameron"}, "addressType Work")


# --- custom fields ------------------------------------------------------------------------------
@req("MP-SRCH-007")
def test_custom_field(world):
    params = {"customFields[0].Name": f"{world.u}-tier", "customFields[0].Value": "gold"}
    same(world.found("searchProfilesByCustomFields", params), {"gold", "gold2"}, "tier = gold")


@req("MP-SRCH-008")
def test_two_custom_fields(world):
    params = {"customFields[0].Name": f"{world.u}-tier", "customFields[0].Value": "gold",
              "customFields[1].Name": f"{world.u}-since", "customFields[1].Value": "2021"}
    same(world.found("searchProfilesByCustomFields", params), {"gold2"}, "tier = gold and since = 2021")


@req("MP-SRCH-009")
def test_select_list_example_form(world):
    # gold's field holds exactly the searched values: it matches whichever operator 3 is (Equals, All of or
    # Any of, L8493); silver's field ("bed:lamp") shares none of them, so no operator matches it.
    params = {"customFields[0].OperatorId": 3, "customFields[0].Name": f"{world.u}-rooms",
              "customFields[0].Value": "couch:chair:table"}
    same(world.found("searchProfilesBySelectListCustomFields", params), {"gold"},
         "rooms couch:chair:table (OperatorId 3)")


# --- email, name, phone -------------------------------------------------------------------------
@req("MP-SRCH-011")
def test_email(world):
    address_ = f"{world.u}-shared@example.com"
    same(world.found("searchProfilesByEmail", {"emailAddress": address_}), {"gold", "gold2"},
         "the shared email")
    same(world.found("searchProfilesByEmail", {"emailAddress": address_, "emailType": "Work"}),
         {"gold2"}, "the shared email with emailType Work")


@req("MP-SRCH-012")
def test_name_is_exact(world):
    u = world.u
    same(world.found("searchProfilesByName", {"lastName": f"{u}Smith"}), {"smith"}, "lastName Smith")
    same(world.found("searchProfilesByName", {"lastName": f"{u}Smi"}), set(), "lastName 'Smi'")
    same(world.found("searchProfilesByName", {"lastName": f"{u}Small", "firstName": f"{u}First"}),
         set(), "lastName Small with another firstName")


@req("MP-SRCH-013")
def test_partial_name_is_containment(world):
    u = world.u
    same(world.found("searchProfilesByPartialName", {"lastName": f"{u}Smi"}), {"smith", "smilla"},
         "partial lastName 'Smi'")
    same(world.found("searchProfilesByPartialName", {"lastName": "mit", "firstName": f"{u}First"}),
         {"smith"}, "partial lastName 'mit'")


@req("MP-SRCH-014")
def test_phone(world):
    same(world.found("searchProfilesByPhone", {"phoneNumber": world.phone2}), {"silver", "faded"},
         "the shared phone number")
    same(world.found("searchProfilesByPhone", {"phoneNumber": world.phone2, "phoneType": "Home"}),
         {"faded"}, "the shared phone number with phoneType Home")


@req("MP-SRCH-015")
def test_phone_matches_digits(world):
    got = world.found("searchProfilesByPhone", {"phoneNumber": world.phone, "phoneType": "Mobile"})
    same(got, {"gold"}, f"digits {world.phone} (stored as {world.formatted(world.phone)!r})")


# --- preference attributes, tags ------------------------------------------------------------------
@req("MP-SRCH-016")
def test_attribute(world):
    params = {"attributes[0].Key": f"{world.u}-size", "attributes[0].Value": "L"}
    same(world.found("searchProfilesByPreferenceAttributes", params), {"gold", "gold2"}, "size = L")


@req("MP-SRCH-017")
def test_two_attributes(world):
    params = {"attributes[0].Key": f"{world.u}-size", "attributes[0].Value": "L",
              "attributes[1].Key": f"{world.u}-color", "attributes[1].Value": "red"}
    same(world.found("searchProfilesByPreferenceAttributes", params), {"gold"}, "size = L and color = red")


@req("MP-SRCH-018")
def test_tags_all_by_default(world):
    # Only gold carries t1 and t3; camden (t3) and gold2 (t1) carry one of them.
    params = {"tag[0]": f"{world.u}-t1", "tag[1]": f"{world.u}-t3"}
    same(world.found("searchProfilesByTags", params), {"gold"},
         "tags t1 and t3 (exactMatch and multipleProfiles default)")


@req("MP-SRCH-031")
def test_tags_all_by_default_with_multiple_profiles(world):
    params = {"tag[0]": f"{world.u}-t1", "tag[1]": f"{world.u}-t2", "multipleProfiles": "true"}
    same(world.found("searchProfilesByTags", params), {"gold"},
         "tags t1 and t2 with multipleProfiles=true (exactMatch default)")


@req("MP-SRCH-019")
def test_tags_any(world):
    params = {"tag[0]": f"{world.u}-t1", "tag[1]": f"{world.u}-t2", "exactMatch": "false", "multipleProfiles": "true"}
    same(world.found("searchProfilesByTags", params), {"gold", "gold2", "silver"},
         "tags t1 or t2 (exactMatch=false)")


@req("MP-SRCH-020")
def test_tags_multiple_profiles(world):
    params = {"tag[0]": f"{world.u}-t1", "multipleProfiles": "true"}
    same(world.found("searchProfilesByTags", params), {"gold", "gold2"}, "tag t1 with multipleProfiles")


@req("MP-SRCH-021")
def test_tags_single_profile_by_default(world):
    got = world.found("searchProfilesByTags", {"tag[0]": f"{world.u}-t1"})
    expect(len(world.last) <= 1,
           f"tag t1 without multipleProfiles returned {len(world.last)} profiles, expected at most one")
    expect(got <= {"gold", "gold2"}, f"tag t1 returned {sorted(got)}")


# --- groups -------------------------------------------------------------------------------------
FAMILY = {"primary", "member1", "member2"}


@req("MP-SRCH-022")
def test_group_by_alternate_id(world):
    params = {"groupType": "Household", **world.alts["primary"]}
    same(world.found("getGroupProfilesByAlternateId", params), FAMILY, "the primary's alternate id")


@req("MP-SRCH-023")
def test_group_by_email(world):
    params = {"groupType": "Household", "emailAddress": f"{world.u}-primary@example.com"}
    same(world.found("getGroupProfilesByEmail", params), FAMILY, "the primary's email")


@req("MP-SRCH-024")
def test_group_by_name(world):
    params = {"groupType": "Household", "groupName": f"{world.u}-fam"}
    same(world.found("getGroupProfilesByGroupName", params), FAMILY, "the group's name and type")


@req("MP-SRCH-025")
def test_group_by_phone(world):
    params = {"groupType": "Household", "phoneNumber": world.group_phone}
    same(world.found("getGroupProfilesByPhone", params), FAMILY, "the primary's phone")


@req("MP-SRCH-026")
def test_group_by_primary_profile_id(world):
    got = world.found("getGroupProfilesByProfileId", {"groupType": "Household"}, profileId=world.ids["primary"])
    same(got, FAMILY, "the primary's ProfileId")


@req("MP-SRCH-027")
def test_group_type_must_match(world):
    params = {"groupType": "Business", **world.alts["primary"]}
    same(world.found("getGroupProfilesByAlternateId", params), set(),
         "the primary's alternate id with groupType Business")
    got = world.found("getGroupProfilesByProfileId", {"groupType": "Business"}, profileId=world.ids["primary"])
    same(got, set(), "the primary's ProfileId with groupType Business")
    params = {"groupType": "Business", "emailAddress": f"{world.u}-primary@example.com"}
    same(world.found("getGroupProfilesByEmail", params), set(),
         "the primary's email with groupType Business")
    params = {"groupType": "Business", "phoneNumber": world.group_phone}
    same(world.found("getGroupProfilesByPhone", params), set(),
         "the primary's phone with groupType Business")
    # By name, a Business group of the same name exists (the "business" profile): none of the Household
    # group's profiles may be in it.
    params = {"groupType": "Business", "groupName": f"{world.u}-fam"}
    same(world.found("getGroupProfilesByGroupName", params) & FAMILY, set(),
         "the group's name with groupType Business")


# --- what results hold --------------------------------------------------------------------------
@req("MP-SRCH-028")
def test_results_hold_only_active_elements(world):
    searches = (("searchProfilesByEmail", {"emailAddress": f"{world.u}-faded@example.com"}, "email"),
                ("searchProfilesByPhone", {"phoneNumber": world.phone2, "phoneType": "Home"}, "phone"))
    for operation, params, label in searches:
        world.found(operation, params)
        profiles = [p for p in world.last if p.get("ProfileId") == world.ids["faded"]]
        expect(len(profiles) == 1, f"the {label} search did not return the profile")
        profile = profiles[0]
        addresses = [e.get("EmailAddress") for e in profile.get("Emails") or []]
        expect(f"{world.u}-gone@example.com" not in addresses,
               f"the {label} search result holds the inactive email: {addresses}")
        fields = [f.get("Name") for f in profile.get("CustomFields") or []]
        expect(f"{world.u}-old" not in fields, f"the {label} search result holds the inactive custom field: {fields}")


@req("MP-SRCH-029")
def test_no_match_is_an_empty_array(world):
    world.found("searchProfilesByEmail", {"emailAddress": f"{world.u}-nobody@example.com"})
    expect(world.last == [], f"an email no profile has returned {len(world.last)} profiles")
