"""Customer identifiers in request headers (doc 003, L62-L82)."""

import pytest

from conformance.apis.customer_profile_b2b.suite import b2b

req = pytest.mark.req


@req("B2B-ID-001")
def test_identifier_required(api):
    b2b.not_found_data(api, "B2B-ID-001", b2b.get(api, "basic", {}), "GET basic without an identifier")


def _alone(api, rid, key):
    for setting in ("customer", "other_customer"):
        who = b2b.customer(api, setting)
        b2b.found(api, rid, b2b.get(api, "basic", {key: who[key]}), who, f"GET basic with {key} alone")


@req("B2B-ID-002")
def test_gcr_id_alone(api):
    _alone(api, "B2B-ID-002", "gcrId")


@req("B2B-ID-003")
def test_email_alone(api):
    _alone(api, "B2B-ID-003", "email_address")


@req("B2B-ID-004")
def test_mobile_alone(api):
    _alone(api, "B2B-ID-004", "mobile_number")


@req("B2B-ID-005")
def test_customer_code_alone(api):
    _alone(api, "B2B-ID-005", "customer_code_external")


def _combined(api, rid, keys):
    who = b2b.customer(api)
    ids = {k: who[k] for k in keys}
    b2b.found(api, rid, b2b.get(api, "basic", ids), who, f"GET basic with {' + '.join(keys)} of one customer")


@req("B2B-ID-006")
def test_email_and_mobile_of_one_customer(api):
    _combined(api, "B2B-ID-006", ("email_address", "mobile_number"))


@req("B2B-ID-007")
def test_all_identifiers_of_one_customer(api):
    _combined(api, "B2B-ID-007", ("gcrId", "email_address", "mobile_number"))
    _combined(api, "B2B-ID-007", ("gcrId", "email_address", "mobile_number", "customer_code_external"))


def _mixed(api):
    one, other = b2b.customer(api), b2b.customer(api, "other_customer")
    return [
        ("email of one customer + mobile of another",
         {"email_address": one["email_address"], "mobile_number": other["mobile_number"]}),
        ("gcrId of one customer + customer_code_external of another",
         {"gcrId": one["gcrId"], "customer_code_external": other["customer_code_external"]}),
    ]


def _shared(api):
    shared = b2b.setting(api, "shared_identifier") or {}
    if not shared:
        pytest.skip("the target's setting shared_identifier names no identifier shared by several customers")
    return {str(k): str(v) for k, v in shared.items()}


@req("B2B-ID-008")
def test_identifiers_of_two_customers_refused(api):
    for label, ids in _mixed(api):
        b2b.not_found_data(api, "B2B-ID-008", b2b.get(api, "basic", ids), f"GET basic with {label}")


@req("B2B-ID-009")
def test_shared_identifier_refused(api):
    ids = _shared(api)
    b2b.not_found_data(api, "B2B-ID-009", b2b.get(api, "basic", ids), f"GET basic with the shared identifier {list(ids)}")


@req("B2B-ID-010")
def test_unresolvable_is_400(api):
    rid = "B2B-ID-010"
    b2b.not_found_data(api, rid, b2b.get(api, "basic", {}), "GET basic without an identifier", status=400)
    for label, ids in _mixed(api):
        b2b.not_found_data(api, rid, b2b.get(api, "basic", ids), f"GET basic with {label}", status=400)
    shared = b2b.setting(api, "shared_identifier") or {}
    if shared:
        b2b.not_found_data(api, rid, b2b.get(api, "basic", {str(k): str(v) for k, v in shared.items()}),
                           "GET basic with a shared identifier", status=400)


@req("B2B-ID-011")
def test_unknown_customer_404(api):
    for key in ("gcrId", "email_address"):
        value = api.unique("no-such-customer") + ("@example.invalid" if key == "email_address" else "")
        b2b.not_found_data(api, "B2B-ID-011", b2b.get(api, "basic", {key: value}),
                           f"GET basic with an unknown {key}", status=404)
