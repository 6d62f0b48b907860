"""Mock of the Greetings API, with one named fault per check."""

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from conformance.suite import Fault, JSONResponse, MockApi

KEY = "greet-demo-key-5c1f"


class GreetingsMock(MockApi):
    name = "example-greetings"
    FAULTS = {
        "greets-nobody": Fault("greets-nobody", "the greeting leaves the name out", ("GREET-LIFE-001",)),
        "no-key-served": Fault("no-key-served", "serves requests without X-Api-Key", ("GREET-AUTH-001",)),
    }

    def routes(self) -> list:
        return [Route("/greetings/{name}", self.greet, methods=["GET"])]

    def demo_credentials(self) -> dict[str, str]:
        return {"api_key": KEY}

    async def greet(self, request: Request) -> Response:
        if request.headers.get("x-api-key") != KEY and not self.has("no-key-served"):
            return Response(status_code=401)
        name = request.path_params["name"]
        return JSONResponse({"greeting": "Hello!" if self.has("greets-nobody") else f"Hello, {name}!"})


def factory(clock, fault=None):
    return GreetingsMock(clock, fault)
