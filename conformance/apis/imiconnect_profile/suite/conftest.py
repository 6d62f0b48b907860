from conformance.apis.imiconnect_profile.suite import imi
from conformance.auth import Grant
from conformance.suite.plugin import api_fixture


def _setup(api):
    api.imi_seen = []  # (operation, response) of every call, for the envelope rows
    # The key is static (L23): the property tests send it as the `key` header of each case.
    api.use_token_fetcher(lambda: Grant(api.credential("key")))
    imi.track(api)


# The doc states no request rate (7020's limit has no number): stay gentle with a real client.
api = api_fixture("imiconnect-profile", setup=_setup, default_rate=10.0)
