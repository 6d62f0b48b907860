"""The five history endpoints (doc L4049-L7020), by ProfileId and by alternate id: each keeps
earlier states of its kind of data, in the documented order, and holds nothing of other kinds."""

from __future__ import annotations

import pytest

from conformance.apis.mypreferences.suite import mp
from conformance.suite.outcome import expect

req = pytest.mark.req

OTHER_KINDS = ("CustomFields", "Groups", "ProfileTags", "ProfilePreferences")


def history(api, kind: str, profile_id: int, alt: dict, rid: str, **params) -> list[dict]:
    """The history document by ProfileId and by alternate id (both must answer)."""
    by_id = mp.url(api, mp.HISTORY, kind=kind, profileId=profile_id)
    response = api.client.get(by_id, headers=mp.headers(api), params=params or None)
    first = api.conforms(response, "GET", mp.HISTORY.replace("{kind}", kind), rid, status=200)
    response = mp.call(api, "GET", mp.HISTORY_ALT.replace("{kind}", kind), params={**alt, **params})
    second = api.conforms(response, "GET", mp.HISTORY_ALT.replace("{kind}", kind), rid, status=200)
    return [first, second]


def modified(item: dict) -> str:
    return str((item.get("Edited") or {}).get("ModifiedDate") or item.get("LastModifiedDate") or "")


def ascending(rid: str, items: list[dict], what: str) -> None:
    dates = [modified(i) for i in items]
    expect(all(dates) and dates == sorted(dates), rid, f"{what} are not in ascending modified-date order: {dates}")


def absent(rid: str, document: dict, members: tuple[str, ...], what: str) -> None:
    present = [m for m in members if document.get(m)]
    expect(not present, rid, f"the {what} history holds {present}")


def no_preferences(rid: str, document: dict, what: str) -> None:
    nested = [f"{c}.{inner}" for c, inner in (("Emails", "EmailPreferences"), ("PhoneNumbers", "PhonePreferences"),
                                               ("Addresses", "AddressPreferences"))
              for element in document.get(c) or [] if element.get(inner)]
    expect(not nested and not document.get("ProfilePreferences"), rid, f"the {what} history holds preferences {nested}")


@pytest.fixture(scope="module")
def rich(api):
    """A profile with data of every kind: each history must leave out the kinds it does not cover."""
    body = mp.rich_profile(api, "hist")
    profile_id = mp.create(api, body, "MP-HIST-001")
    return profile_id, body, mp.alt_of(body)


# --- consents -----------------------------------------------------------------------------------
@req("MP-HIST-001")
def test_consent_history_keeps_earlier_state(api):
    body = mp.new_profile(api, "hc", Consents=[mp.consent("Privacy", "1", 1)])
    profile_id = mp.create(api, body, "MP-HIST-001")
    mp.write(api, "POST", mp.BY_ID, "MP-HIST-001", profile_id=profile_id,
             body={"Consents": [mp.consent("Privacy", "1", 0)]})
    for document in history(api, "Consents", profile_id, mp.alt_of(body), "MP-HIST-001"):
        states = [c.get("ConsentStatus") for c in document.get("Consents") or [] if c.get("ConsentType") == "Privacy"]
        expect(1 in states and 0 in states, "MP-HIST-001",
               f"the consent history shows ConsentStatus values {states}, expected the earlier 1 and the current 0")


@req("MP-HIST-002")
def test_consent_history_order(api):
    body = mp.new_profile(api, "ho", Consents=[mp.consent("Zeta", "1", 1)])
    profile_id = mp.create(api, body, "MP-HIST-002")
    mp.write(api, "POST", mp.BY_ID, "MP-HIST-002", profile_id=profile_id,
             body={"Consents": [mp.consent("Alpha", "2", 1)]})
    mp.write(api, "POST", mp.BY_ID, "MP-HIST-002", profile_id=profile_id,
             body={"Consents": [mp.consent("Alpha", "1", 1)]})
    mp.write(api, "POST", mp.BY_ID, "MP-HIST-002", profile_id=profile_id,
             body={"Consents": [mp.consent("Alpha", "1", 0)]})
    for document in history(api, "Consents", profile_id, mp.alt_of(body), "MP-HIST-002"):
        entries = [(c.get("ConsentType"), c.get("ConsentVersion"), modified(c)) for c in document.get("Consents") or []]
        expect(len(entries) >= 4 and entries == sorted(entries), "MP-HIST-002",
               f"consent history entries are not ordered by type, version, modified date: {entries}")


@req("MP-HIST-003")
def test_consent_history_holds_only_consents(api, rich):
    profile_id, _body, alt = rich
    for document in history(api, "Consents", profile_id, alt, "MP-HIST-003"):
        absent("MP-HIST-003", document, OTHER_KINDS, "consent")
        no_preferences("MP-HIST-003", document, "consent")


# --- contact elements ----------------------------------------------------------------------------
@req("MP-HIST-004")
def test_contact_history_keeps_a_replaced_email(api):
    old = f"{api.unique('old')}@example.com"
    body = mp.new_profile(api, "hce", Emails=[mp.email(old, Consents=[mp.consent("EmailMarketing")])])
    profile_id = mp.create(api, body, "MP-HIST-004")
    replacement = dict(body, Emails=[mp.email(f"{api.unique('new')}@example.com")])
    mp.write(api, "PUT", mp.BY_ID, "MP-HIST-004", profile_id=profile_id, body=replacement)
    for document in history(api, "ContactElements", profile_id, mp.alt_of(body), "MP-HIST-004"):
        olds = [e for e in document.get("Emails") or [] if e.get("EmailAddress") == old]
        expect(olds, "MP-HIST-004", f"the contact element history no longer lists the replaced email {old}")
        consents = [c.get("ConsentType") for e in olds for c in e.get("Consents") or []]
        expect("EmailMarketing" in consents, "MP-HIST-004",
               f"the replaced email's history entry lost its consent associations: {consents}")


@req("MP-HIST-005")
def test_contact_history_holds_only_contact_elements(api, rich):
    profile_id, _body, alt = rich
    for document in history(api, "ContactElements", profile_id, alt, "MP-HIST-005"):
        absent("MP-HIST-005", document, ("Consents",) + OTHER_KINDS, "contact element")
        no_preferences("MP-HIST-005", document, "contact element")


# --- custom fields -------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def tiers(api):
    body = mp.new_profile(api, "hcf", CustomFields=[{"Name": "Tier", "Value": "Bronze", "IsActive": True}])
    profile_id = mp.create(api, body, "MP-HIST-006")
    for value in ("Silver", "Gold"):
        mp.write(api, "POST", mp.BY_ID, "MP-HIST-006", profile_id=profile_id,
                 body={"CustomFields": [{"Name": "Tier", "Value": value, "IsActive": True}]})
    return profile_id, mp.alt_of(body)


@req("MP-HIST-006")
def test_custom_field_history_lists_every_value(api, tiers):
    for document in history(api, "CustomFields", *tiers, "MP-HIST-006"):
        values = [f.get("Value") for f in document.get("CustomFields") or [] if f.get("Name") == "Tier"]
        expect({"Bronze", "Silver", "Gold"} <= set(values), "MP-HIST-006",
               f"the custom field history lists {values}, expected Bronze, Silver and Gold")


@req("MP-HIST-007")
def test_custom_field_history_order(api, tiers):
    for document in history(api, "CustomFields", *tiers, "MP-HIST-007"):
        entries = [f for f in document.get("CustomFields") or [] if f.get("Name") == "Tier"]
        ascending("MP-HIST-007", entries, "custom field history entries")
        values = [f.get("Value") for f in entries]
        order = [v for i, v in enumerate(values) if i == 0 or values[i - 1] != v]
        expect(order == ["Bronze", "Silver", "Gold"], "MP-HIST-007", f"custom field values in order {values}")


@req("MP-HIST-008")
def test_custom_field_history_holds_only_custom_fields(api, rich):
    profile_id, _body, alt = rich
    for document in history(api, "CustomFields", profile_id, alt, "MP-HIST-008"):
        absent("MP-HIST-008", document, ("Consents", "Groups", "ProfileTags", "ProfilePreferences"), "custom field")
        no_preferences("MP-HIST-008", document, "custom field")


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
    profile_id = mp.create(api, body, "MP-HIST-009")
    mp.write(api, "POST", mp.BY_ID, "MP-HIST-009", profile_id=profile_id,
             body={"ProfilePreferences": [mp.preference("Offers", "Weekly", "OptOut")]})
    return profile_id, mp.alt_of(body)


@req("MP-HIST-009")
def test_preference_history_keeps_earlier_state(api, prefs):
    for document in history(api, "Preferences", *prefs, "MP-HIST-009"):
        states = [p.get("PreferenceStatus") for p in _all_prefs(document) if p.get("ProgramId") == "Offers"]
        expect("OptIn" in states and "OptOut" in states, "MP-HIST-009",
               f"the preference history shows {states}, expected the earlier OptIn and the current OptOut")


@req("MP-HIST-010")
def test_preference_history_holds_only_preferences(api, rich):
    profile_id, _body, alt = rich
    for document in history(api, "Preferences", profile_id, alt, "MP-HIST-010"):
        absent("MP-HIST-010", document, ("Consents", "CustomFields", "Groups", "ProfileTags"), "preference")


@req("MP-HIST-011")
def test_preference_history_filter(api, prefs):
    for document in history(api, "Preferences", *prefs, "MP-HIST-011", filterId="Daily"):
        filters = {p.get("FilterId") for p in _all_prefs(document)}
        expect(filters == {"Daily"}, "MP-HIST-011", f"filterId=Daily returned preferences of filters {sorted(map(str, filters))}")


# --- standard fields -----------------------------------------------------------------------------
@pytest.fixture(scope="module")
def standard(api):
    body = mp.new_profile(api, "hs", CustomerType="Retail")
    profile_id = mp.create(api, body, "MP-HIST-012")
    for kind in ("Commercial", "Partner"):
        mp.write(api, "POST", mp.BY_ID, "MP-HIST-012", profile_id=profile_id, body={"CustomerType": kind})
    added = {"AlternateIdType": mp.alt_type(api), "AlternateId": api.unique("later"), "IsActive": True}
    mp.write(api, "POST", mp.BY_ID, "MP-HIST-014", profile_id=profile_id, body={"AlternateIds": [added]})
    return profile_id, mp.alt_of(body), added


def _entries(document: dict, rid: str) -> list[dict]:
    entries = document.get("UserProfilePreferences")
    expect(isinstance(entries, list), rid, f"no UserProfilePreferences array in {list(document)}")
    return entries


@req("MP-HIST-012")
def test_standard_field_history_keeps_each_state(api, standard):
    profile_id, alt, _added = standard
    for document in history(api, "StandardFields", profile_id, alt, "MP-HIST-012"):
        kinds = [e.get("CustomerType") for e in _entries(document, "MP-HIST-012")]
        expect({"Retail", "Commercial", "Partner"} <= set(kinds), "MP-HIST-012",
               f"the standard-field history shows CustomerType {kinds}, expected Retail, Commercial and Partner")


@req("MP-HIST-013")
def test_standard_field_history_order(api, standard):
    profile_id, alt, _added = standard
    for document in history(api, "StandardFields", profile_id, alt, "MP-HIST-013"):
        entries = _entries(document, "MP-HIST-013")
        ascending("MP-HIST-013", entries, "standard-field history entries")
        kinds = [e.get("CustomerType") for e in entries if e.get("CustomerType") in ("Retail", "Commercial", "Partner")]
        order = [k for i, k in enumerate(kinds) if i == 0 or kinds[i - 1] != k]
        expect(order == ["Retail", "Commercial", "Partner"], "MP-HIST-013", f"CustomerType states in order {order}")


@req("MP-HIST-014")
def test_standard_field_entries_carry_current_ids(api, standard):
    profile_id, alt, added = standard
    for document in history(api, "StandardFields", profile_id, alt, "MP-HIST-014"):
        for entry in _entries(document, "MP-HIST-014"):
            expect(entry.get("ProfileId") == profile_id, "MP-HIST-014", f"an entry has ProfileId {entry.get('ProfileId')!r}")
            pairs = {(a.get("AlternateIdType"), a.get("AlternateId")) for a in entry.get("AlternateIds") or []}
            expect((added["AlternateIdType"], added["AlternateId"]) in pairs, "MP-HIST-014",
                   f"an entry lacks the alternate id added later: {sorted(pairs)}")


@req("MP-HIST-015")
def test_standard_field_entries_hold_only_standard_fields(api, rich):
    profile_id, _body, alt = rich
    for document in history(api, "StandardFields", profile_id, alt, "MP-HIST-015"):
        for entry in _entries(document, "MP-HIST-015"):
            absent("MP-HIST-015", entry, ("Consents",) + OTHER_KINDS, "standard-field")
            no_preferences("MP-HIST-015", entry, "standard-field")
