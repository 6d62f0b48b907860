"""The preference history holds "the basic profile information, contacts, and preference history"
(doc L5751; by alternate id L6176): a contact element's preferences are part of it, not only the
profile-level ones."""

from __future__ import annotations

from conformance.apis.mypreferences.suite import mp
from conformance.suite import expect, req


@req("MP-HIST-101")
def test_preference_history_holds_contact_preferences(api):
    address = f"{api.unique('hc')}@example.com"
    body = mp.new_profile(api, "hc", Emails=[mp.email(address, EmailPreferences=[
        mp.preference("Newsletter", "Weekly", "OptIn")])])
    profile_id = mp.create(api, body)
    changed = mp.email(address, EmailPreferences=[mp.preference("Newsletter", "Weekly", "OptOut")])
    mp.write(api, "updateProfile", profile_id=profile_id, json={"Emails": [changed]})
    by_id = api.conforms(api.call(mp.history_op("Preferences"), profileId=profile_id), status=200)
    by_alt = api.conforms(api.call(mp.history_op("Preferences", by_alt=True), params=mp.alt_of(body)), status=200)
    for label, document in (("by profileId", by_id), ("by alternate id", by_alt)):
        states = [p.get("PreferenceStatus") for e in document.get("Emails") or []
                  if str(e.get("EmailAddress") or "").lower() == address.lower()
                  for p in e.get("EmailPreferences") or [] if p.get("ProgramId") == "Newsletter"]
        expect("OptIn" in states and "OptOut" in states,
               f"the preference history {label} shows the email's Newsletter preference as {states}, "
               "expected its earlier OptIn and its current OptOut")


@req("MP-HIST-102")
def test_contact_history_keeps_replaced_phones_and_addresses(api):
    uid = api.unique("hcp")
    old_phone = str(int.from_bytes(uid.encode(), "big"))[-10:]
    old_street = f"1 {uid} Old Street"
    body = mp.new_profile(api, "hcp", PhoneNumbers=[{"PhoneNumber": old_phone, "PhoneType": "Mobile", "IsActive": True}],
                          Addresses=[{"AddressType": "Home", "Address1": old_street, "City": "Springfield",
                                      "StateProvince": "IL", "PostalCode": "62701", "IsActive": True}])
    profile_id = mp.create(api, body)
    replacement = dict(body, PhoneNumbers=[{"PhoneNumber": old_phone[::-1], "PhoneType": "Mobile", "IsActive": True}],
                       Addresses=[dict(body["Addresses"][0], Address1=f"2 {uid} New Street")])
    mp.write(api, "replaceProfile", profile_id=profile_id, json=replacement)
    by_id = api.conforms(api.call(mp.history_op("ContactElements"), profileId=profile_id), status=200)
    by_alt = api.conforms(api.call(mp.history_op("ContactElements", by_alt=True), params=mp.alt_of(body)),
                          status=200)
    digits = lambda v: "".join(ch for ch in str(v or "") if ch.isdigit())  # noqa: E731
    for label, document in (("by profileId", by_id), ("by alternate id", by_alt)):
        phones = [digits(p.get("PhoneNumber")) for p in document.get("PhoneNumbers") or []]
        streets = [str(a.get("Address1") or "").lower() for a in document.get("Addresses") or []]
        expect(old_phone in phones,
               f"the contact element history {label} no longer lists the replaced phone number: {phones}")
        expect(old_street.lower() in streets,
               f"the contact element history {label} no longer lists the replaced address: {streets}")


@req("MP-HIST-103")
def test_preference_history_filter_covers_contact_preferences(api):
    address = f"{api.unique('hf')}@example.com"
    body = mp.new_profile(api, "hf", Emails=[mp.email(address, EmailPreferences=[
        mp.preference("Newsletter", "Weekly"), mp.preference("Alerts", "Daily")])],
        ProfilePreferences=[mp.preference("Offers", "Weekly"), mp.preference("News", "Daily")])
    profile_id = mp.create(api, body)
    by_id = api.conforms(api.call(mp.history_op("Preferences"), params={"filterId": "Daily"}, profileId=profile_id),
                         status=200)
    by_alt = api.conforms(api.call(mp.history_op("Preferences", by_alt=True),
                                   params={**mp.alt_of(body), "filterId": "Daily"}), status=200)
    for label, document in (("by profileId", by_id), ("by alternate id", by_alt)):
        contact = [(p.get("ProgramId"), p.get("FilterId")) for e in document.get("Emails") or []
                   for p in e.get("EmailPreferences") or []]
        profile = [(p.get("ProgramId"), p.get("FilterId")) for p in document.get("ProfilePreferences") or []]
        expect(contact and {f for _, f in contact} == {"Daily"},
               f"filterId=Daily {label}: the email's preferences in the history are {contact}")
        expect(profile and {f for _, f in profile} == {"Daily"},
               f"filterId=Daily {label}: the profile preferences in the history are {profile}")
