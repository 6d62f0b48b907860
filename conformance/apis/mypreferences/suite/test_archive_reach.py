"""Archived preferences "are no longer returned via the MyPreferences API" (doc L14652): not by the
read by alternate id, and not as a match of the preference-attribute search (the read by
profileId and the searches' contents are MP-LIFE-011 and MP-LIFE-015)."""

from __future__ import annotations

from conformance.apis.mypreferences.suite import mp
from conformance.suite import expect, req


def _all_preferences(profile: dict) -> list[dict]:
    prefs = list(profile.get("ProfilePreferences") or [])
    for collection, inner in (("Emails", "EmailPreferences"), ("PhoneNumbers", "PhonePreferences"),
                              ("Addresses", "AddressPreferences")):
        for element in profile.get(collection) or []:
            prefs += element.get(inner) or []
    return prefs


@req("MP-LIFE-101")
def test_archived_preferences_are_gone_by_alternate_id_and_from_attribute_search(api):
    uid = api.unique("arcreach")
    key = f"{uid}-key"
    body = mp.new_profile(api, "arcreach",
                          Emails=[mp.email(f"{uid}@example.com", EmailPreferences=[mp.preference("Newsletter", "Weekly")])],
                          ProfilePreferences=[mp.preference("Offers", "Monthly", PreferenceAttributes=[
                              {"Key": key, "Value": "v"}])])
    profile_id = mp.create(api, body)
    alt = mp.alt_of(body)
    params = {"attributes[0].Key": key, "attributes[0].Value": "v"}
    found = api.conforms(api.call("searchProfilesByPreferenceAttributes", params=params), status=200)
    expect(profile_id in mp.ids_of(found), "the attribute search did not find the profile before the archive")
    response = api.call("archivePreferences", json={"GlobalDeactivate": True}, profileId=profile_id)
    api.conforms(response, status=204)
    mp.wait_complete(api, profile_id)
    by_alt = api.conforms(api.call("getProfileByAlternateId", params=alt), status=200)
    left = [(p.get("ProgramId"), p.get("FilterId")) for p in _all_preferences(by_alt)]
    expect(not left, f"GET by alternate id still returns archived preferences: {left}")
    response = api.call("searchProfilesByPreferenceAttributes", params=params)
    found = response.json() if response.status_code == 200 else []
    if response.status_code != 404:
        api.conforms(response, status=200)
    expect(profile_id not in mp.ids_of(found if isinstance(found, list) else []),
           "the attribute search still finds the profile by an archived preference's attribute")
