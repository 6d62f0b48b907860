from conformance.apis.customer_profile_b2b.suite import b2b
from conformance.suite.plugin import api_fixture


def _setup(api):
    # The spec's assumed paths, headers and token field, as this target's settings name them.
    b2b.aim_spec(api, api.spec)
    api.b2b_tokens_created = 0
    # Their answers are credentials, whatever field the token comes in (redaction).
    api.client.token_paths |= {b2b.token_path(api), b2b.update_path(api)}
    # One token for all 14 resources, reused by every test: a tenant may create 100 a day (L56).
    api.use_token_fetcher(b2b.grant_fetcher(api))


# The doc states no request rate; stay gentle with a vendor sandbox unless told otherwise.
api = api_fixture("customer-profile-b2b", setup=_setup, default_rate=10.0)
