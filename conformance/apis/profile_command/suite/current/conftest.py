from conformance.apis.profile_command.suite import common
from conformance.suite.plugin import api_fixture


def _setup(api):
    api.use_token_fetcher(common.grant_fetcher(api, common.CURRENT))


# Pace at half the documented 100 updates/s unless the target file says otherwise.
api = api_fixture("profile-command", setup=_setup, default_rate=50.0)
