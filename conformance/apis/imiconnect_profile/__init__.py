"""IMIconnect Profile API (doc 002): master and application profiles behind a `key` header,
answering with the numeric result codes of the doc's table.

The doc gives no base URL, no HTTP status codes, no response envelope, no request bodies and
lost the lists of which parameter goes where (L24-L29 end in "in the following:" with nothing
after). Each choice specs/imiconnect-profile.yaml makes is marked there: the result codes
(x-result-codes), the HTTP status assumed for each (x-result-status) and every setting a target
file may override under [apis.imiconnect-profile.settings] (x-settings).
"""

from conformance.suite import ApiInfo

APIS = (
    ApiInfo(
        name="imiconnect-profile",
        title="IMIconnect Profile API",
        package=__name__,
        suite="suite",
        mock=f"{__name__}.mock:factory",
        credentials=("key",),
        setup=f"{__name__}.suite.imi:setup",
        state=f"{__name__}.suite.imi:State",
        # The doc states no request rate (7020's limit has no number): stay gentle with a real client.
        default_rate=10.0,
    ),
)
