"""Reads show only active elements (doc L761 by alternate id, L2409 by profileId): "Inactive data
elements across all objects are not returned" — checked on every object, on both reads."""

from __future__ import annotations

import pytest

from conformance.apis.mypreferences.suite import mp
from conformance.suite import expect, req


@pytest.fixture(scope="module")
def mixed(api):
    """A profile with an active and an inactive element in every collection that has IsActive."""
    uid = api.unique("act")
    body = mp.new_profile(api, "act")
    on = {"email": f"{uid}-on@example.com", "field": "cfxOnField", "group": f"{uid}-on", "consent": "cfxOnConsent"}
    off = {"alt": f"{uid}-oldalt", "email": f"{uid}-off@example.com", "phone": mp.digits(uid + "-off"),
           "address": f"9 {uid} Old Road", "field": "cfxOffField", "group": f"{uid}-off", "consent": "cfxOffConsent",
           "email_consent": "cfxOffEmailConsent"}
    body["AlternateIds"].append({"AlternateIdType": mp.alt_type(api), "AlternateId": off["alt"], "IsActive": False})
    body["Emails"] = [mp.email(on["email"], Consents=[mp.consent("cfxOnEmailConsent"),
                                                       mp.consent(off["email_consent"], IsActive=False)]),
                      mp.email(off["email"], "Work", IsActive=False)]
    body["PhoneNumbers"] = [{"PhoneNumber": mp.digits(uid + "-on"), "PhoneType": "Mobile", "IsActive": True},
                            {"PhoneNumber": off["phone"], "PhoneType": "Home", "IsActive": False}]
    body["Addresses"] = [{"AddressType": "Home", "Address1": f"1 {uid} Road", "City": "Springfield",
                          "StateProvince": "IL", "PostalCode": "62701", "IsActive": True},
                         {"AddressType": "Work", "Address1": off["address"], "City": "Springfield",
                          "StateProvince": "IL", "PostalCode": "62701", "IsActive": False}]
    body["CustomFields"] = [{"Name": on["field"], "Value": "on", "IsActive": True},
                            {"Name": off["field"], "Value": "off", "IsActive": False}]
    body["Groups"] = [{"GroupType": "Household", "GroupName": on["group"], "IsPrimary": True, "IsActive": True},
                      {"GroupType": "Club", "GroupName": off["group"], "IsPrimary": False, "IsActive": False}]
    body["Consents"] = [mp.consent(on["consent"]), mp.consent(off["consent"], IsActive=False)]
    profile_id = mp.create(api, body)
    return profile_id, body, on, off


def inactive_in(profile: dict, on: dict, off: dict) -> list[str]:
    """What of the inactive elements the read shows (and what of the active ones it lost)."""
    def values(collection, member):
        return [item.get(member) for item in profile.get(collection) or []]

    found = []
    checks = (("AlternateIds", "AlternateId", off["alt"]), ("Emails", "EmailAddress", off["email"]),
              ("PhoneNumbers", "PhoneNumber", off["phone"]), ("Addresses", "Address1", off["address"]),
              ("CustomFields", "Name", off["field"]), ("Groups", "GroupName", off["group"]),
              ("Consents", "ConsentType", off["consent"]))
    for collection, member, value in checks:
        if value in values(collection, member):
            found.append(f"inactive {collection} {value!r}")
    for element in profile.get("Emails") or []:
        if off["email_consent"] in [c.get("ConsentType") for c in element.get("Consents") or []]:
            found.append(f"inactive consent {off['email_consent']!r} of email {element.get('EmailAddress')!r}")
    for collection, member, value in (("Emails", "EmailAddress", on["email"]), ("CustomFields", "Name", on["field"]),
                                      ("Groups", "GroupName", on["group"]), ("Consents", "ConsentType", on["consent"])):
        if value not in values(collection, member):
            found.append(f"(the active {collection} {value!r} is missing too)")
    return found


@req("MP-ID-101")
def test_reads_leave_out_every_inactive_element(api, mixed):
    profile_id, body, on, off = mixed
    by_id = mp.read(api, profile_id)
    response = api.call("getProfileByAlternateId", params=mp.alt_of(body))
    by_alt = api.conforms(response, status=200)
    for label, profile in (("GET by profileId", by_id), ("GET by alternate id", by_alt)):
        shown = inactive_in(profile, on, off)
        expect(not shown, f"{label} returns {'; '.join(shown)}")
