from conformance.apis.profile_command.suite import common
from conformance.suite.plugin import api_fixture


def _setup(api):
    api.use_token_fetcher(common.grant_fetcher(api, common.LEGACY))


# The legacy doc states no rate limit: be polite to a real sandbox unless told otherwise.
api = api_fixture("profile-command-legacy", setup=_setup, default_rate=20.0)
