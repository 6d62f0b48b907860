"""Customer identifiers in request headers (doc 003, L62-L82)."""

import pytest

from conformance.apis.customer_profile_b2b.suite import b2b
from conformance.suite import expect, req


@req("B2B-ID-001")
def test_identifier_required(api):
    # "Each API request requires at least one customer identifier" (L63)
    for resource, response in b2b.get_each(api, [(r, {}) for r in b2b.all_resources(api)]):
        b2b.not_found_data(api, response, f"GET {resource} without an identifier")


def _alone(api, key):
    # Every resource (L25-L50) takes every identifier (L65-L72), for each of two customers.
    for setting in ("customer", "other_customer"):
        who = b2b.customer(api, setting)
        for resource, response in b2b.get_each(api, [(r, {key: who[key]}) for r in b2b.all_resources(api)]):
            b2b.found(api, response, who, f"GET {resource} with {key} alone")


@req("B2B-ID-002")
def test_gcr_id_alone(api):
    _alone(api, "gcrId")


@req("B2B-ID-003")
def test_email_alone(api):
    _alone(api, "email_address")


@req("B2B-ID-004")
def test_mobile_alone(api):
    _alone(api, "mobile_number")


@req("B2B-ID-005")
def test_customer_code_alone(api):
    _alone(api, "customer_code_external")


def _combined(api, keys):
    who = b2b.customer(api)
    given = {k: who[k] for k in keys}
    for resource, response in b2b.get_each(api, [(r, given) for r in b2b.all_resources(api)]):
        b2b.found(api, response, who, f"GET {resource} with {' + '.join(keys)} of one customer")


@req("B2B-ID-006")
def test_email_and_mobile_of_one_customer(api):
    _combined(api, ("email_address", "mobile_number"))


@req("B2B-ID-007")
def test_all_identifiers_of_one_customer(api):
    _combined(api, ("gcrId", "email_address", "mobile_number"))
    _combined(api, ("gcrId", "email_address", "mobile_number", "customer_code_external"))


def _mixed(api):
    """Identifiers of two customers: every pair of identifier types (one customer's first, the
    other's second), and all four where one of them is the other customer's."""
    one, other = b2b.customer(api), b2b.customer(api, "other_customer")
    names = b2b.identifier_names(api)
    cases = [(f"{a} of one customer + {b} of another", {a: one[a], b: other[b]})
             for i, a in enumerate(names) for b in names[i + 1:]]
    for odd in names:
        cases.append((f"all four identifiers of one customer but {odd}, the other's",
                      {k: (other if k == odd else one)[k] for k in names}))
    return cases


def _shared(api):
    shared = api.setting("shared_identifier") or {}
    if not shared:
        pytest.skip("the target's setting shared_identifier names no identifier shared by several customers")
    return {str(k): str(v) for k, v in shared.items()}


@req("B2B-ID-008")
def test_identifiers_of_two_customers_refused(api):
    cases = [(resource, label, given) for resource in b2b.all_resources(api) for label, given in _mixed(api)]
    answers = b2b.get_each(api, [(resource, given) for resource, _, given in cases])
    for (resource, label, _), (_, response) in zip(cases, answers):
        b2b.not_found_data(api, response, f"GET {resource} with {label}")


@req("B2B-ID-009")
def test_shared_identifier_refused(api):
    given = _shared(api)
    for resource, response in b2b.get_each(api, [(r, given) for r in b2b.all_resources(api)]):
        b2b.not_found_data(api, response, f"GET {resource} with the shared identifier {list(given)}")


@req("B2B-ID-010")
def test_unresolvable_is_400(api):
    shared = api.setting("shared_identifier") or {}
    cases = []
    for resource in b2b.all_resources(api):
        cases.append((resource, "without an identifier", {}))
        cases += [(resource, f"with {label}", given) for label, given in _mixed(api)]
        if shared:
            cases.append((resource, "with a shared identifier", {str(k): str(v) for k, v in shared.items()}))
    answers = b2b.get_each(api, [(resource, given) for resource, _, given in cases])
    for (resource, label, _), (_, response) in zip(cases, answers):
        b2b.not_found_data(api, response, f"GET {resource} {label}", status=400)


@req("B2B-ID-011")
def test_unknown_customer_404(api):
    unknown = _unknown(api)
    for (key, _), (_, response) in zip(unknown, b2b.get_each(api, [("basic", {k: v}) for k, v in unknown])):
        b2b.not_found_data(api, response, f"GET basic with an unknown {key}", status=404)


def _unknown(api):
    """One value per identifier type that no customer has (run-unique)."""
    return [(key, api.unique("no-such-customer") + ("@example.invalid" if key == "email_address" else ""))
            for key in b2b.identifier_names(api)]


@req("B2B-ID-014")
def test_unknown_identifier_returns_no_profile(api):
    # L63: identifiers are there "to retrieve the correct profile"; for a value no customer has
    # there is none, so no resource may answer with a customer's profile (any status otherwise).
    unknown = _unknown(api)
    cases = [(resource, key, value) for resource in b2b.all_resources(api) for key, value in unknown]
    for (resource, key, _), (_, response) in zip(cases, b2b.get_each(api, [(r, {k: v}) for r, k, v in cases])):
        body = b2b.json_of(response)
        served = response.is_success and isinstance(body, dict) and body.get("gcrId") not in (None, "")
        expect(not served, f"GET {resource} with an unknown {key} answered {response.status_code} "
                           f"with the profile of gcrId {body.get('gcrId') if served else None!r}")
