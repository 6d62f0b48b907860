"""What the Greetings tests share: how every call is authorised."""

from conformance.suite import ApiContext


def setup(api: ApiContext) -> None:
    api.auth_headers = lambda: {"X-Api-Key": api.credential("api_key")}
