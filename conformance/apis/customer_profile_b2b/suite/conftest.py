from conformance.suite import api_fixture

api = api_fixture("customer-profile-b2b")
