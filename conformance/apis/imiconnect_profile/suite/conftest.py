from conformance.suite import api_fixture

api = api_fixture("imiconnect-profile")
