"""The five history endpoints (doc L4049-L7020), by ProfileId and by alternate id: each keeps
earlier states of its kind of data, in the documented order, and holds nothing of other kinds."""

from __future__ import annotations

import pytest

from conformance.apis.mypreferences.suite import mp
from conformance.suite import expect, ids_of, req

OTHER_KINDS = ("CustomFields", "Groups", "ProfileTags", "ProfilePreferences")


def history(api, kind: str, profile_id: int, alt: dict, **params) -> list[dict]:
    """The history document by ProfileId and by alternate id (both must answer)."""
    response = api.call(mp.history_op(kind), params=params or None, profileId=profile_id)
    first = api.conforms(response, status=200)
    response = api.call(mp.history_op(kind, by_alt=True), params={**alt, **params})
    second = api.conforms(response, status=200)
    return [first, second]


def modified(item: dict) -> str:
    return str((item.get("Edited") or {}).get("ModifiedDate") or item.get("LastModifiedDate") or "")


def ascending(items: list[dict], what: str) -> None:
    dates = [modified(i) for i in items]
    expect(all(dates) and dates == sorted(dates), f"{what} are not in ascending modified-date order: {dates}")


def absent(document: dict, members: tuple[str, ...], what: str) -> None:
    present = [m for m in members if document.get(m)]
    expect(not present, f"the {what} history holds {present}")


def no_preferences(document: dict, what: str) -> None:
    nested = [f"{c}.{inner}" for c, inner in (("Emails", "EmailPreferences"), ("PhoneNumbers", "PhonePreferences"),
                                               ("Addresses", "AddressPreferences"))
              for element in document.get(c) or [] if element.get(inner)]
    expect(not nested and not document.get("ProfilePreferences"), f"the {what} history holds preferences {nested}")


@pytest.fixture(scope="module")
def rich(api):
    """A profile with data of every kind: each history must leave out the kinds it does not cover."""
    body = mp.rich_profile(api, "hist")
    # A failing create is the consent-history row's failure (as its own create): the tests using it are blocked.
    profile_id = mp.create(api, body, ids=ids_of(test_consent_history_keeps_earlier_state))
    return profile_id, body, mp.alt_of(body)


# --- consents -----------------------------------------------------------------------------------
@req("MP-HIST-001")
def test_consent_history_keeps_earlier_state(api):
    body = mp.new_profile(api, "hc", Consents=[mp.consent("Privacy", "1", 1)])
    profile_id = mp.create(api, body)
    mp.write(api, "updateProfile", profile_id=profile_id,
             json={"Consents": [mp.consent("Privacy", "1", 0)]})
    for document in history(api, "Consents", profile_id, mp.alt_of(body)):
        states = [c.get("ConsentStatus") for c in document.get("Consents") or [] if c.get("ConsentType") == "Privacy"]
        expect(1 in states and 0 in states,
               f"the consent history shows ConsentStatus values {states}, expected the earlier 1 and the current 0")


@req("MP-HIST-002")
def test_consent_history_order(api):
    body = mp.new_profile(api, "ho", Consents=[mp.consent("Zeta", "1", 1)])
    profile_id = mp.create(api, body)
    mp.write(api, "updateProfile", profile_id=profile_id,
             json={"Consents": [mp.consent("Alpha", "2", 1)]})
    mp.write(api, "updateProfile", profile_id=profile_id,
             json={"Consents": [mp.consent("Alpha", "1", 1)]})
    mp.write(api, "updateProfile", profile_id=profile_id,
             json={"Consents": [mp.consent("Alpha", "1", 0)]})
    for document in history(api, "Consents", profile_id, mp.alt_of(body)):
        entries = [(c.get("ConsentType"), c.get("ConsentVersion"), modified(c)) for c in document.get("Consents") or []]
        expect(len(entries) >= 4 and entries == sorted(entries),
               f"consent history entries are not ordered by type, version, modified date: {entries}")


@req("MP-HIST-003")
def test_consent_history_holds_only_consents(api, rich):
    profile_id, _body, alt = rich
    for document in history(api, "Consents", profile_id, alt):
        absent(document, OTHER_KINDS, "consent")
        no_preferences(document, "consent")


# --- contact elements ----------------------------------------------------------------------------
@req("MP-HIST-004")
def test_contact_history_keeps_a_replaced_email(api):
    old = f"{api.unique('old')}@example.com"
    body = mp.new_profile(api, "hce", Emails=[mp.email(old, Consents=[mp.consent("EmailMarketing")])])
    profile_id = mp.create(api, body)
    replacement = dict(body, Emails=[mp.email(f"{api.unique('new')}@example.com")])
    mp.write(api, "replaceProfile", profile_id=profile_id, json=replacement)
    for document in history(api, "ContactElements", profile_id, mp.alt_of(body)):
        olds = [e for e in document.get("Emails") or [] if e.get("EmailAddress") == old]
        expect(olds, f"the contact element history no longer lists the replaced email {old}")
        consents = [c.get("ConsentType") for e in olds for c in e.get("Consents") or []]
        expect("EmailMarketing" in consents,
               f"the replaced email's history entry lost its consent associations: {consents}")


@req("MP-HIST-005")
def test_contact_history_holds_only_contact_elements(api, rich):
    profile_id, _body, alt = rich
    for document in history(api, "ContactElements", profile_id, alt):
        absent(document, ("Consents",) + OTHER_KINDS, "contact element")
        no_preferences(document, "contact element")


# --- custom fields -------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def tiers(api):
    body = mp.new_profile(api, "hcf", CustomFields=[{"Name": "Tier", "Value": "Bronze", "IsActive": True}])
    owner = ids_of(test_custom_field_history_lists_every_value)  # a failing setup is its row; the order test is blocked
    profile_id = mp.create(api, body, ids=owner)
    for value in ("Silver", "Gold"):
        mp.write(api, "updateProfile", profile_id=profile_id, ids=owner,
                 json={"CustomFields": [{"Name": "Tier", "Value": value, "IsActive": True}]})
    return profile_id, mp.alt_of(body)


@req("MP-HIST-006")
def test_custom_field_history_lists_every_value(api, tiers):
    for document in history(api, "CustomFields", *tiers):
        values = [f.get("Value") for f in document.get("CustomFields") or [] if f.get("Name") == "Tier"]
        expect({"Bronze", "Silver", "Gold"} <= set(values),
               f"the custom field history lists {values}, expected Bronze, Silver and Gold")


@req("MP-HIST-007")
def test_custom_field_history_order(api, tiers):
    for document in history(api, "CustomFields", *tiers):
        entries = [f for f in document.get("CustomFields") or [] if f.get("Name") == "Tier"]
        ascending(entries, "custom field history entries")
        values = [f.get("Value") for f in entries]
        order = [v for i, v in enumerate(values) if i == 0 or values[i - 1] != v]
        expect(order == ["Bronze", "Silver", "Gold"], f"custom field values in order {values}")


@req("MP-HIST-008")
def test_custom_field_history_holds_only_custom_fields(api, rich):
    profile_id, _body, alt = rich
    for document in history(api, "CustomFields", profile_id, alt):
        absent(document, ("Consents", "Groups", "ProfileTags", "ProfilePreferences"), "custom field")
        no_preferences(document, "custom field")


# --- preferences ---------------------------------------------------------------------------------
def _all_prefs(document: dict) -> list[dict]:
    prefs = list(document.get("ProfilePreferences") or [])
    for collection, inner in (("Emails", "EmailPreferences"), ("PhoneNumbers", "PhonePreferences"),
                              ("Addresses", "AddressPreferences")):
        for element in document.get(collection) or []:
            prefs.extend(element.get(inner) or [])
    return prefs


@pytest.fixture(scope="module")
def prefs(api):
    body = mp.new_profile(api, "hp", ProfilePreferences=[mp.preference("Offers", "Weekly", "OptIn"),
                                                         mp.preference("News", "Daily", "OptIn")])
    owner = ids_of(test_preference_history_keeps_earlier_state)  # a failing setup is its row; the filter test is blocked
    profile_id = mp.create(api, body, ids=owner)
    mp.write(api, "updateProfile", profile_id=profile_id, ids=owner,
             json={"ProfilePreferences": [mp.preference("Offers", "Weekly", "OptOut")]})
    return profile_id, mp.alt_of(body)


@req("MP-HIST-009")
def test_preference_history_keeps_earlier_state(api, prefs):
    for document in history(api, "Preferences", *prefs):
        states = [p.get("PreferenceStatus") for p in _all_prefs(document) if p.get("ProgramId") == "Offers"]
        expect("OptIn" in states and "OptOut" in states,
               f"the preference history shows {states}, expected the earlier OptIn and the current OptOut")


@req("MP-HIST-010")
def test_preference_history_holds_only_preferences(api, rich):
    profile_id, _body, alt = rich
    for document in history(api, "Preferences", profile_id, alt):
        absent(document, ("Consents", "CustomFields", "Groups", "ProfileTags"), "preference")


@req("MP-HIST-011")
def test_preference_history_filter(api, prefs):
    for document in history(api, "Preferences", *prefs, filterId="Daily"):
        filters = {p.get("FilterId") for p in _all_prefs(document)}
        expect(filters == {"Daily"}, f"filterId=Daily returned preferences of filters {sorted(map(str, filters))}")


# --- standard fields -----------------------------------------------------------------------------
@pytest.fixture(scope="module")
def standard(api):
    body = mp.new_profile(api, "hs", CustomerType="Retail")
    owner = ids_of(test_standard_field_history_keeps_each_state)  # a failing setup is its row, the others blocked
    profile_id = mp.create(api, body, ids=owner)
    for kind in ("Commercial", "Partner"):
        mp.write(api, "updateProfile", profile_id=profile_id, ids=owner, json={"CustomerType": kind})
    added = {"AlternateIdType": mp.alt_type(api), "AlternateId": api.unique("later"), "IsActive": True}
    mp.write(api, "updateProfile", profile_id=profile_id, ids=ids_of(test_standard_field_entries_carry_current_ids),
             json={"AlternateIds": [added]})
    return profile_id, mp.alt_of(body), added


def _entries(document: dict) -> list[dict]:
    entries = document.get("UserProfilePreferences")
    expect(isinstance(entries, list), f"no UserProfilePreferences array in {list(document)}")
    return entries


@req("MP-HIST-012")
def test_standard_field_history_keeps_each_state(api, standard):
    profile_id, alt, _added = standard
    for document in history(api, "StandardFields", profile_id, alt):
        kinds = [e.get("CustomerType") for e in _entries(document)]
        expect({"Retail", "Commercial", "Partner"} <= set(kinds),
               f"the standard-field history shows CustomerType {kinds}, expected Retail, Commercial and Partner")


@req("MP-HIST-013")
def test_standard_field_history_order(api, standard):
    profile_id, alt, _added = standard
    for document in history(api, "StandardFields", profile_id, alt):
        entries = _entries(document)
        ascending(entries, "standard-field history entries")
        kinds = [e.get("CustomerType") for e in entries if e.get("CustomerType") in ("Retail", "Commercial", "Partner")]
        order = [k for i, k in enumerate(kinds) if i == 0 or kinds[i - 1] != k]
        expect(order == ["Retail", "Commercial", "Partner"], f"CustomerType states in order {order}")


@req("MP-HIST-014")
def test_standard_field_entries_carry_current_ids(api, standard):
    profile_id, alt, added = standard
    for document in history(api, "StandardFields", profile_id, alt):
        for entry in _entries(document):
            expect(entry.get("ProfileId") == profile_id, f"an entry has ProfileId {entry.get('ProfileId')!r}")
            pairs = {(a.get("AlternateIdType"), a.get("AlternateId")) for a in entry.get("AlternateIds") or []}
            expect((added["AlternateIdType"], added["AlternateId"]) in pairs,
                   f"an entry lacks the alternate id added later: {sorted(pairs)}")


@req("MP-HIST-015")
def test_standard_field_entries_hold_only_standard_fields(api, rich):
    profile_id, _body, alt = rich
    for document in history(api, "StandardFields", profile_id, alt):
        for entry in _entries(document):
            absent(entry, ("Consents",) + OTHER_KINDS, "standard-field")
            no_preferences(entry, "standard-field")
