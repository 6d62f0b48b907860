"""The Greetings API doc (900), lines 2-5."""

from conformance.suite import expect, req


@req("GREET-LIFE-001")
def test_a_greeting_names_the_person(api):
    response = api.call("greet", name="Ada")
    body = api.conforms(response, status=200)
    expect("Ada" in body["greeting"], f"the greeting does not name Ada: {body['greeting']!r}")


@req("GREET-AUTH-001")
def test_no_key_is_refused(api):
    api.conforms(api.call("greet", name="Ada", auth=False), status=401)
