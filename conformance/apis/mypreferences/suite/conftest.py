from conformance.apis.mypreferences.suite import mp
from conformance.auth import Grant
from conformance.suite.plugin import api_fixture


def _setup(api):
    # The doc never says how a token is obtained: the target gives the header value itself.
    api.use_token_fetcher(lambda: Grant(api.credential("authorization")))
    mp.track_creations(api)


# The doc states no request rate; stay gentle with a vendor sandbox unless told otherwise.
api = api_fixture("mypreferences", setup=_setup, default_rate=20.0)
