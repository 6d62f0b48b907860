"""Stateful mock of the MyPreferences 3.0 Profiles API (doc 004), as specs/mypreferences.yaml reads it.

- Auth first: the Authorization header must carry the demo token (raw or "Bearer ..."), else 401.
- Accounts are the clientId path segment; an unknown one answers 404 (L202, L376).
- Add, POST update and upsert answer 202 "Pending Update" and become visible after a short
  processing delay on the mock's clock; PUT and PATCH answer 200 with the updated profile.
- Bodies are validated against the spec's schemas (400); errors are JSON {"Message": ...}.
The document rules (merge, replace, history, matching) live in model.py.
"""

from __future__ import annotations

import copy
import itertools
import json
from datetime import datetime, timezone
from typing import Any
from urllib.parse import unquote

import jsonpatch
import jsonpointer
from jsonschema import Draft202012Validator, FormatChecker
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from conformance.apis.mypreferences import faults, model, variants
from conformance.suite import JSONResponse, MockApi, MockClock, load_spec

TOKEN = "mp-demo-token-5c1e8a47d2b9"
ACCOUNTS = ("cfx-demo-account", "cfx-demo-account-2")
SEARCH_LIMIT = 50  # "more than 50 profiles ... 403 Forbidden" (see MP-LIM-*)
PROCESSING_DELAY = 0.02  # seconds on the mock clock before a queued write is visible
HISTORY_KINDS = ("Consents", "ContactElements", "CustomFields", "Preferences", "StandardFields")
BOOLEAN_PARAMS = ("implied", "matchInactive", "partialAddress1Match", "partialNameMatch", "exactMatch",
                  "multipleProfiles")
ALLOWED_PATCH_OPS = {"add", "remove", "replace", "test"}


FORMATS = FormatChecker()


@FORMATS.checks("int32")
def _int32(value: Any) -> bool:
    return not isinstance(value, int) or -(2**31) <= value < 2**31


@FORMATS.checks("int64")
def _int64(value: Any) -> bool:
    return not isinstance(value, int) or -(2**63) <= value < 2**63


class Problem(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


class Record:
    """One profile: the visible document, the latest accepted one (visible at `visible_at`)
    and the history log."""

    __slots__ = ("profile_id", "doc", "latest", "visible_at", "log")

    def __init__(self, profile_id: int) -> None:
        self.profile_id = profile_id
        self.doc: dict[str, Any] | None = None
        self.latest: dict[str, Any] = {}
        self.visible_at = 0.0
        self.log: dict[str, list] = {kind: [] for kind in HISTORY_KINDS}


class MyPreferencesMock(MockApi):
    name = "mypreferences"
    FAULTS = faults.FAULTS
    VARIANTS = variants.VARIANTS

    def __init__(self, clock: MockClock, fault: str | None = None) -> None:
        super().__init__(clock, fault)
        self.accounts: dict[str, dict[int, Record]] = {a: {} for a in ACCOUNTS}
        self.ids = itertools.count(100_001)
        self.last_stamp = ""
        self.tombstones: set[tuple] = set()  # only with the fault mp-delete-keeps-alt
        self.buried: list[tuple[dict, Record]] = []  # only with the fault mp-history-alt-keeps-deleted
        spec = load_spec("mypreferences")
        root = {"components": spec["components"]}
        self.validators = {
            name: Draft202012Validator({**root, "$ref": f"#/components/schemas/{name}"}, format_checker=FORMATS)
            for name in ("Profile", "ArchiveRequest")
        }

    # --- wiring -------------------------------------------------------------------------------
    def routes(self) -> list:
        return [Route("/{rest:path}", self.dispatch, methods=["GET", "POST", "PUT", "PATCH", "DELETE"])]

    def unlisted_method(self, method: str, template: str, allowed: list[str]):
        response = super().unlisted_method(method, template, allowed)
        if response is not None and self.has("mp-405-without-allow"):
            del response.headers["allow"]  # issue 15: RFC 9110 §15.5.6 makes Allow a MUST
        return response

    def demo_credentials(self) -> dict[str, str]:
        return {"authorization": TOKEN}

    def target_settings(self) -> dict[str, Any]:
        return {"client_id": ACCOUNTS[0], "other_client_id": ACCOUNTS[1], "alternate_id_type": "cfxRunId",
                "completion_timeout": 10.0}

    def rate_limit(self) -> float | None:
        return 5000.0  # the doc states no rate; the mock serves far more

    def state(self) -> dict[str, Any]:
        with self.lock:
            return {"accounts": {account: [{"ProfileId": r.profile_id, "AlternateIds": model.alt_pairs(r.latest)}
                                           for r in records.values()]
                                 for account, records in self.accounts.items()}}

    # --- small helpers ------------------------------------------------------------------------
    def now(self) -> str:
        """An ISO timestamp, strictly increasing so that history order is well defined."""
        stamp = datetime.fromtimestamp(self.clock.now(), timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
        if stamp <= self.last_stamp:
            last = datetime.strptime(self.last_stamp, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=timezone.utc)
            stamp = datetime.fromtimestamp(last.timestamp() + 0.000001, timezone.utc).strftime(
                "%Y-%m-%dT%H:%M:%S.%fZ")
            if stamp <= self.last_stamp:  # float rounding: bump the microseconds by hand
                stamp = self.last_stamp[:-7] + f"{int(self.last_stamp[-7:-1]) + 1:06d}Z"
        self.last_stamp = stamp
        return stamp

    def error(self, status: int, message: str) -> Response:
        if self.has("mp-text-errors"):
            return PlainTextResponse(message, status_code=status)
        if self.has("mp-400-array") and status == 400:
            return JSONResponse([{"Message": message}], status_code=status)
        return JSONResponse({"Message": message}, status_code=status)

    def settle(self, record: Record) -> None:
        """Queued writes become visible once their processing delay has passed."""
        if record.doc is not record.latest and self.clock.monotonic() >= record.visible_at:
            if not self.has("mp-never-completes"):
                record.doc = record.latest

    def pending(self, record: Record) -> bool:
        return record.doc is not record.latest

    def read_view(self, record: Record, *, inactive: bool = False) -> dict[str, Any]:
        self.settle(record)
        if record.doc is None:
            body = {"ProfileId": record.profile_id}
        else:
            body = model.view(record.doc, inactive=inactive, has=self.has)
        body["UpdateStatus"] = "Pending Update" if self.pending(record) else "Complete"
        if self.has("mp-status-wrong"):
            body["UpdateStatus"] = "Processing" if self.pending(record) else "Done"
        return body

    # --- dispatch -----------------------------------------------------------------------------
    async def dispatch(self, request: Request) -> Response:
        try:
            return await self._dispatch(request)
        except Problem as problem:
            return self.error(problem.status, problem.message)

    async def _dispatch(self, request: Request) -> Response:
        unauthorized = False
        if not self.authorized(request.headers.get("authorization")):
            if self.has("mp-archive-unauth-applied") and request.method == "PUT" and request.url.path.endswith("/Archive"):
                unauthorized = True  # applied below, then refused
            elif not (self.has("mp-auth-ignored-on-reads") and request.method == "GET"):
                return self.error(401, "Authorization has been denied for this request. "
                                       "Verify the ClientId, UserId, and Authorization Scheme.")
        raw_path = request.scope.get("raw_path")
        path = unquote(raw_path.decode("latin-1").split("?")[0]) if raw_path else request.url.path
        root = request.scope.get("root_path", "")
        if root and path.startswith(root):
            path = path[len(root):]
        parts = path.strip("/").split("/")
        if len(parts) < 2 or parts[1] != "Profile":
            raise Problem(404, "No HTTP resource was found that matches the request URI.")
        account = parts[0]
        if self.has("mp-accounts-merged") and account in self.accounts:
            account = ACCOUNTS[0]
        if self.has("mp-name-search-accounts-merged") and parts[2:3] == ["Name"] and account in self.accounts:
            account = ACCOUNTS[0]  # the name searches read one shared store
        if account not in self.accounts:
            if self.has("mp-unknown-account-searched") and request.method == "GET" and tuple(parts[2:]) in SEARCHES:
                return JSONResponse([])
            raise Problem(404, f"Client {account!r} was not found.")
        if self.has("mp-server-error") and request.method == "GET" and parts[2:3] == ["Email"]:
            return PlainTextResponse("Internal Server Error", status_code=500)
        query = request.query_params
        request.state.lax_query = self.has("mp-query-unchecked")  # no query parameter is validated
        for name in BOOLEAN_PARAMS:
            if name == "implied" and parts[2:] == ["AlternateId"] and self.has("mp-implied-lax-on-alt"):
                continue  # GET by alternate id does not validate implied
            if name in query and query[name].lower() not in ("true", "false") and not self.has("mp-booleans-lax") \
                    and not request.state.lax_query:
                raise Problem(400, f"The value '{query[name]}' is not valid for {name}.")
        handler, args = self.route(request.method, parts[2:])
        with self.lock:
            answer = await handler(request, self.accounts[account], *args)
        if unauthorized:
            return self.error(401, "Authorization has been denied for this request.")
        return answer

    def route(self, method: str, rest: list[str]):
        n = len(rest)
        head = rest[0] if rest else None
        if n == 0:
            if method == "POST":
                return self.add, ()
        elif head == "AlternateId" and n == 1 and not (method == "GET" and self.has("mp-alt-route-shadowed")):
            handler = {"GET": self.get_by_alt, "POST": self.upsert, "PUT": self.put_by_alt,
                       "PATCH": self.patch_by_alt}.get(method)
            if handler:
                return handler, ()
        elif head == "History" and n == 3 and rest[1] in HISTORY_KINDS and method == "GET":
            if rest[2] == "AlternateId":
                return self.history_by_alt, (rest[1],)
            return self.history, (rest[1], self.profile_id(rest[2], lax=self.has("mp-profileid-lax-on-history")))
        elif head == "Preferences" and n == 3 and rest[2] == "Archive" and method == "PUT":
            return self.archive, (self.profile_id(rest[1]),)
        elif head == "Groups" and method == "GET":
            if n == 1:
                return self.groups, ("name",)
            if n == 2 and rest[1] in ("AlternateId", "Email", "Phone"):
                return self.groups, (rest[1],)
            if n == 3 and rest[1] == "Primary":
                return self.groups, ("Primary", self.profile_id(rest[2]))
        elif method == "GET" and tuple(rest) in SEARCHES:
            return self.search, (SEARCHES[tuple(rest)],)
        elif n == 1 and head not in RESERVED:
            handler = {"GET": self.get, "POST": self.update, "PUT": self.put, "PATCH": self.patch,
                       "DELETE": self.delete}.get(method)
            if handler:
                lax = method == "POST" and self.has("mp-profileid-lax-on-update")
                return handler, (self.profile_id(head, lax=lax),)
        raise Problem(404, "No HTTP resource was found that matches the request URI.")

    def profile_id(self, text: str, *, lax: bool = False) -> int:
        # Not an integer: no resource matches (404 is documented on every operation; 400 is not).
        if self.has("mp-profileid-lax") or lax:
            digits = model.digits(text)
            return int(digits) if digits else 0
        if not text.isascii() or not text.lstrip("-").isdigit():
            raise Problem(404, f"No profile has the id '{text}'.")
        return int(text)

    def authorized(self, header: str | None) -> bool:
        if self.has("mp-auth-ignored"):
            return True
        if not header:
            return False
        value = header.strip()
        if value.lower().startswith("bearer "):
            value = value[7:].strip()
        return value == TOKEN

    # --- lookups ------------------------------------------------------------------------------
    def record(self, records: dict[int, Record], profile_id: int) -> Record:
        record = records.get(profile_id)
        if record is None:
            raise Problem(404, f"Profile {profile_id} was not found.")
        self.settle(record)
        return record

    def alt_params(self, request: Request) -> tuple[str, str]:
        kind = request.query_params.get("alternateIdType")
        value = request.query_params.get("alternateId")
        if self.has("mp-alt-type-defaulted") and not kind:
            kind = "cfxRunId"  # the account's default type
        if kind is None or value is None:  # given empty is given: the spec's {type: string} holds ""
            raise Problem(400, "alternateIdType and alternateId are required.")
        return kind, value

    def find_alt(self, records: dict[int, Record], pair: tuple[str, str], *, visible: bool,
                 inactive: bool = False) -> Record:
        for record in records.values():
            self.settle(record)
            doc = record.doc if visible else record.latest
            pairs = model.alt_pairs(doc, inactive=inactive) if doc else []
            if self.has("mp-alt-first-only"):
                pairs = pairs[:1]
            if pair in pairs:
                return record
        if self.has("mp-alt-type-ignored"):
            for record in records.values():
                doc = record.doc if visible else record.latest
                if doc and pair[1] in [v for _, v in model.alt_pairs(doc)]:
                    return record
        raise Problem(404, f"No profile has the alternate id {pair[0]}/{pair[1]}.")

    def conflicts(self, records: dict[int, Record], doc: dict[str, Any], own: int | None) -> None:
        if self.has("mp-duplicate-alt-accepted"):
            return
        mine = set(model.alt_pairs(doc))
        if mine & self.tombstones:
            raise Problem(409, "Another profile already has this alternate id.")
        for record in records.values():
            if record.profile_id != own and mine & set(model.alt_pairs(record.latest)):
                raise Problem(409, "Another profile already has this alternate id.")

    async def body_of(self, request: Request, schema: str | None) -> Any:
        raw = await request.body()
        try:
            body = json.loads(raw) if raw else None
        except ValueError:
            if self.has("mp-bad-json-accepted"):
                return {}
            raise Problem(400, "The request body is not valid JSON.") from None
        if schema is not None:
            if not isinstance(body, dict):
                raise Problem(400, "The request body must be a JSON object.")
            if not self.has("mp-types-unchecked"):
                # Read-only members are ignored, not validated (L262, L292): a client may echo them.
                ignored = ("Edited", "UpdateStatus") + (("ProfileId",) if self.has("mp-profileid-type-ignored") else ())
                checked = {k: v for k, v in body.items() if k not in ignored}
                error = next(iter(self.validators[schema].iter_errors(checked)), None)
                if error is not None:
                    where = "/".join(str(p) for p in error.absolute_path) or "body"
                    raise Problem(400, f"Invalid value at {where}: {error.message[:200]}")
            if schema == "Profile" and self.has("mp-unknown-member-refused"):  # issue 15: stricter than the spec
                known = load_spec("mypreferences")["components"]["schemas"]["Profile"]["properties"]
                if set(body) - set(known):
                    raise Problem(400, "The request is invalid: unknown member.")
        return body

    def receipt(self, record: Record, status: str = "Pending Update") -> dict[str, Any]:
        pairs = model.alt_pairs(record.latest)
        first = pairs[0] if pairs else (None, None)
        return {"AlternateId": first[1], "AlternateIdType": first[0], "ProfileId": record.profile_id,
                "UpdateStatus": status, "SubmittedUtcTime": self.now()}

    # --- writes -------------------------------------------------------------------------------
    def commit(self, record: Record, new: dict[str, Any], now: str, *, queued: bool) -> None:
        """Accept a new latest document: log what changed; queued writes show after the delay."""
        if self.has("mp-write-lost") and queued and record.doc is not None:
            return  # acknowledged with 202, then dropped
        for kind, entries in model.changes(record.latest or None, new, now, self.has).items():
            record.log[kind].extend(entries)
        record.latest = new
        if queued:
            record.visible_at = self.clock.monotonic() + (0.5 if self.plays("mp-slow-queue") else PROCESSING_DELAY)
        else:
            record.doc = new

    def touch(self, doc: dict[str, Any], now: str, *, created: bool = False) -> None:
        if self.has("mp-edited-missing"):
            doc.pop("Edited", None)
            return
        model.stamp(doc, now, created=created)

    async def add(self, request: Request, records: dict[int, Record]) -> Response:
        body = await self.body_of(request, "Profile")
        profile_id = next(self.ids)
        last = records.get(profile_id - 1)
        if self.has("mp-id-reused") and last is not None and last.doc is None:
            profile_id -= 1  # the counter moves only once the previous profile has been read
        if self.has("mp-profileid-honoured") and isinstance(body.get("ProfileId"), int):
            profile_id = body["ProfileId"]
        now = self.now()
        doc = model.replace({"ProfileId": profile_id}, body, now, self.has)
        doc["IsActive"] = body.get("IsActive", True)
        self.touch(doc, now, created=True)
        self.conflicts(records, doc, None)
        record = Record(profile_id)
        records[profile_id] = record
        self.commit(record, doc, now, queued=True)
        if self.has("mp-create-201"):
            return JSONResponse(self.receipt(record), status_code=201)
        return JSONResponse(self.receipt(record), status_code=202)

    async def update(self, request: Request, records: dict[int, Record], profile_id: int) -> Response:
        if self.has("mp-update-creates") and profile_id not in records:
            return await self._create_from(records, await self.body_of(request, "Profile"))
        record = self.record(records, profile_id)
        body = await self.body_of(request, "Profile")
        return self._merge_into(records, record, body)

    def _merge_into(self, records: dict[int, Record], record: Record, body: dict[str, Any]) -> Response:
        now = self.now()
        doc = model.merge(record.latest, body, now, self.has)
        doc["ProfileId"] = record.profile_id
        self.touch(doc, now)
        if self.has("mp-edited-from-body") and isinstance(body.get("Edited"), dict):
            doc["Edited"] = dict(body["Edited"])
        self.conflicts(records, doc, record.profile_id)
        self.commit(record, doc, now, queued=True)
        if self.has("mp-update-receipt-queued"):
            return JSONResponse(self.receipt(record, "Queued"), status_code=202)
        return JSONResponse(self.receipt(record), status_code=202)

    async def upsert(self, request: Request, records: dict[int, Record]) -> Response:
        pair = self.alt_params(request)
        body = await self.body_of(request, "Profile")
        try:
            record = self.find_alt(records, pair, visible=False)
        except Problem:
            if self.has("mp-upsert-never-creates"):
                raise
            body = dict(body)
            alternates = list(body.get("AlternateIds") or [])
            if pair not in [(a.get("AlternateIdType"), a.get("AlternateId")) for a in alternates]:
                alternates.insert(0, {"AlternateIdType": pair[0], "AlternateId": pair[1], "IsActive": True})
            body["AlternateIds"] = alternates
            if self.has("mp-upsert-insert-bare"):  # the insert keeps the pair and drops the rest of the body
                body = {"AlternateIds": alternates}
            now = self.now()
            profile_id = next(self.ids)
            doc = model.replace({"ProfileId": profile_id}, body, now, self.has)
            doc["IsActive"] = body.get("IsActive", True)
            self.touch(doc, now, created=True)
            self.conflicts(records, doc, None)
            record = Record(profile_id)
            records[profile_id] = record
            self.commit(record, doc, now, queued=True)
            return JSONResponse(self.receipt(record), status_code=202)
        if self.has("mp-upsert-duplicates"):
            body = {**body, "AlternateIds": body.get("AlternateIds") or [
                {"AlternateIdType": pair[0], "AlternateId": pair[1]}]}
            return await self._create_from(records, body)
        if self.has("mp-upsert-preserve-ignored"):
            body = {k: v for k, v in body.items() if k not in ("PreserveConsents", "PreservePreferences")}
        if self.has("mp-upsert-profileid-honoured") and body.get("ProfileId") in records:
            record = records[body["ProfileId"]]  # the body's ProfileId picks the profile, not the pair
        answer = self._merge_into(records, record, body)
        if self.has("mp-upsert-202-empty"):
            return Response(status_code=202)  # queued, but the receipt is left out
        return answer

    async def _create_from(self, records: dict[int, Record], body: dict[str, Any]) -> Response:
        now = self.now()
        profile_id = next(self.ids)
        doc = model.replace({"ProfileId": profile_id}, body, now, self.has)
        self.touch(doc, now, created=True)
        record = Record(profile_id)
        records[profile_id] = record
        self.commit(record, doc, now, queued=True)
        return JSONResponse(self.receipt(record), status_code=202)

    def _replace(self, records: dict[int, Record], record: Record, body: dict[str, Any], *, by_id: bool = False
                 ) -> Response:
        before = self.read_view(record)
        now = self.now()
        doc = model.replace(record.latest, body, now, self.has)
        doc["IsActive"] = body.get("IsActive", True)
        self.touch(doc, now)
        self.conflicts(records, doc, record.profile_id)
        if self.has("mp-put-new-id"):  # delete + insert: the replacement gets a new ProfileId
            records.pop(record.profile_id)
            record.profile_id = doc["ProfileId"] = next(self.ids)
            records[record.profile_id] = record
        self.commit(record, doc, now, queued=False)
        if self.has("mp-put-answers-before"):
            return JSONResponse(before)
        if self.has("mp-put-answer-id-zero") and by_id:
            return JSONResponse({**self.read_view(record), "ProfileId": 0})
        return JSONResponse(self.read_view(record))

    async def put(self, request: Request, records: dict[int, Record], profile_id: int) -> Response:
        body = await self.body_of(request, None if self.has("mp-put-types-unchecked") else "Profile")
        if profile_id not in records and self.has("mp-put-creates"):
            return await self._create_from(records, body)
        return self._replace(records, self.record(records, profile_id), body, by_id=True)

    async def put_by_alt(self, request: Request, records: dict[int, Record]) -> Response:
        pair = self.alt_params(request)
        try:
            body = await self.body_of(request, "Profile")
        except Problem:
            if not self.has("mp-put-alt-bad-json-accepted"):
                raise
            body = {}
        try:
            record = self.find_alt(records, pair, visible=False)
        except Problem:
            if not self.has("mp-put-alt-upserts"):
                raise
            alternates = [{"AlternateIdType": pair[0], "AlternateId": pair[1], "IsActive": True}]
            alternates += list(body.get("AlternateIds") or [])
            return await self._create_from(records, {**body, "AlternateIds": alternates})
        if self.has("mp-put-alt-lost"):  # answered as applied, never stored
            shown = model.view(model.replace(record.latest, body, self.now(), self.has))
            return JSONResponse({**shown, "UpdateStatus": "Complete"})
        answer = self._replace(records, record, body)
        if self.has("mp-put-alt-duplicates"):  # the replacement is also inserted as a second profile
            twin = Record(next(self.ids))
            copied = {**copy.deepcopy(record.latest), "ProfileId": twin.profile_id, "AlternateIds": []}
            records[twin.profile_id] = twin
            self.commit(twin, copied, self.now(), queued=False)
        return answer

    async def patch(self, request: Request, records: dict[int, Record], profile_id: int) -> Response:
        if self.has("mp-patch-unknown-400") and profile_id not in records:
            raise Problem(400, "The patch cannot be applied to an empty profile.")
        record = self.record(records, profile_id)
        operations = await self.body_of(request, None)
        if self.has("mp-patch-array-refused") and isinstance(operations, list):
            raise Problem(400, 'The body must be {"Operations": [...]}.')
        if not isinstance(operations, list):
            raise Problem(400, "The body must be a JSON Patch document: an array of operations.")
        return self._patch(records, record, operations)

    async def patch_by_alt(self, request: Request, records: dict[int, Record]) -> Response:
        pair = self.alt_params(request)
        body = await self.body_of(request, None)
        if self.has("mp-patch-alt-array-only") and not isinstance(body, list):
            raise Problem(400, "The body must be a JSON Patch document: an array of operations.")
        if not isinstance(body, dict) or not isinstance(body.get("Operations"), list):
            raise Problem(400, 'The body must be {"Operations": [...]}.')
        try:
            record = self.find_alt(records, pair, visible=False)
        except Problem:
            if not self.has("mp-patch-alt-creates"):
                raise
            base = {"AlternateIds": [{"AlternateIdType": pair[0], "AlternateId": pair[1], "IsActive": True}]}
            try:
                created = jsonpatch.apply_patch(base, body["Operations"])
            except (jsonpatch.JsonPatchException, jsonpointer.JsonPointerException) as exc:
                raise Problem(400, f"The patch cannot be applied: {exc}") from None
            return await self._create_from(records, created)
        return self._patch(records, record, body["Operations"], by_alt=True)

    def _patch(self, records: dict[int, Record], record: Record, operations: list, *, by_alt: bool = False
               ) -> Response:
        if by_alt and self.has("mp-patch-alt-lax"):  # what it does not know, it skips
            operations = [op for op in operations if isinstance(op, dict) and "path" in op
                          and op.get("op") in ALLOWED_PATCH_OPS | {"move", "copy"}]
        if by_alt and self.has("mp-patch-alt-test-ignored"):
            operations = [op for op in operations if not (isinstance(op, dict) and op.get("op") == "test")]
        if by_alt and self.has("mp-patch-alt-remove-skipped"):
            operations = [op for op in operations if not (isinstance(op, dict) and op.get("op") == "remove")]
        if self.has("mp-patch-unknown-op-skipped"):
            operations = [op for op in operations if not isinstance(op, dict)
                          or op.get("op") in ALLOWED_PATCH_OPS | {"move", "copy"}]
        for op in operations:
            if not (by_alt and self.has("mp-patch-alt-move-copy") and isinstance(op, dict)
                    and op.get("op") in ("move", "copy")):
                self.check_operation(op)
        current = model.view(record.latest)
        hidden = {name: [x for x in record.latest.get(name) or [] if not model.is_active(x)]
                  for name in model.COLLECTIONS}
        if self.has("mp-patch-not-atomic"):
            doc = current
            for op in operations:
                try:
                    doc = jsonpatch.apply_patch(doc, [op])
                except (jsonpatch.JsonPatchException, jsonpointer.JsonPointerException):
                    break
            patched = doc
        else:
            try:
                patched = self.apply_patch(current, operations)
            except (jsonpatch.JsonPatchException, jsonpointer.JsonPointerException, TypeError) as exc:
                status = 409 if self.has("mp-patch-test-409") and isinstance(exc, jsonpatch.JsonPatchTestFailed) \
                    else 400
                raise Problem(status, f"The patch cannot be applied: {exc}") from None
        if not isinstance(patched, dict):
            raise Problem(400, "The patch must leave a profile object.")
        if self.has("mp-patch-drops-custom-fields"):
            patched.pop("CustomFields", None)  # re-saved from a view without them
        if not self.has("mp-patch-profileid"):
            patched["ProfileId"] = record.profile_id
        error = next(iter(self.validators["Profile"].iter_errors(patched)), None)
        if error is not None:
            raise Problem(400, f"The patched profile is invalid: {error.message[:200]}")
        for name, items in hidden.items():
            if items:
                patched[name] = list(patched.get(name) or []) + items
        now = self.now()
        if self.has("mp-patch-edited-stale"):
            patched["Edited"] = copy.deepcopy(record.latest.get("Edited"))
        else:
            self.touch(patched, now)
        self.conflicts(records, patched, record.profile_id)
        self.commit(record, patched, now, queued=False)
        if self.has("mp-patch-profileid") and patched.get("ProfileId") != record.profile_id:
            record.profile_id = patched["ProfileId"]
        return JSONResponse(self.read_view(record))

    def apply_patch(self, doc: dict[str, Any], operations: list) -> Any:
        if self.has("mp-patch-add-rebuilds-parent"):
            operations = [self.rebuilt_parent(doc, op) for op in operations]
        if self.has("mp-patch-nested-replace-skipped"):
            operations = [op for op in operations
                          if not (op.get("op") == "replace" and op.get("path", "").count("/") > 1)]
        if self.has("mp-patch-remove-skipped"):
            operations = [op for op in operations if op.get("op") != "remove"]
        if self.has("mp-patch-test-always-fails") and any(op.get("op") == "test" for op in operations):
            raise jsonpatch.JsonPatchTestFailed("the test operation failed")
        if self.has("mp-patch-reversed"):
            operations = list(reversed(operations))
        if self.has("mp-patch-test-ignored"):
            operations = [op for op in operations if op.get("op") != "test"]
        if self.has("mp-patch-add-overwrites"):
            operations = [{**op, "op": "replace"} if op.get("op") == "add" and op.get("path", "").split("/")[-1]
                          .isdigit() else op for op in operations]
        if self.has("mp-patch-test-loose"):
            operations = [op for op in operations
                          if not (op.get("op") == "test" and str(jsonpointer.resolve_pointer(doc, op["path"], None))
                                  == str(op.get("value")))]
        return jsonpatch.apply_patch(doc, operations)

    def rebuilt_parent(self, doc: dict[str, Any], op: dict[str, Any]) -> dict[str, Any]:
        """mp-patch-add-rebuilds-parent: add of an absent member writes a new parent object."""
        parent, _, member = op.get("path", "").rpartition("/")
        target = jsonpointer.resolve_pointer(doc, parent, None) if op.get("op") == "add" and parent else None
        if isinstance(target, dict) and member not in target:
            return {"op": "replace", "path": parent, "value": {member: op.get("value")}}
        return op

    def check_operation(self, op: Any) -> None:
        """Only add, remove, replace and test (L3521); each well-formed per RFC 6902 §4."""
        if not isinstance(op, dict) or not isinstance(op.get("op"), str):
            raise Problem(400, "Each operation must be an object with an op.")
        kind = op["op"]
        if kind not in ALLOWED_PATCH_OPS and not (self.has("mp-patch-move-copy") and kind in ("move", "copy")):
            raise Problem(400, f"The operation {kind!r} is not supported.")
        path = op.get("path")
        if isinstance(path, str) and path and not path.startswith("/") and self.has("mp-patch-path-lax"):
            op["path"] = path = "/" + path
        if not isinstance(path, str) or (path and not path.startswith("/")):
            raise Problem(400, "Each operation needs a JSON Pointer path.")
        if kind in ("add", "replace", "test") and "value" not in op:
            if not self.has("mp-patch-value-optional"):
                raise Problem(400, f"The {kind} operation needs a value.")
            op["value"] = ""

    async def delete(self, request: Request, records: dict[int, Record], profile_id: int) -> Response:
        if self.has("mp-reasoncode-refused") and "reasonCode" in request.query_params:
            raise Problem(400, "The request is invalid: reasonCode.")
        if self.has("mp-delete-twice-204") and profile_id not in records:
            return Response(status_code=204)
        record = self.record(records, profile_id)
        if self.has("mp-deleted-profile-cached"):  # issue 15: a read cache the delete does not purge
            self.__dict__.setdefault("read_cache", {})[profile_id] = {**record.latest, "ProfileId": profile_id}
        if not self.has("mp-delete-ignored"):
            records.pop(profile_id)
        if self.has("mp-history-alt-keeps-deleted"):
            self.buried.append((records, record))
        if self.has("mp-delete-keeps-alt"):
            self.tombstones.update(model.alt_pairs(record.latest))
        if self.has("mp-delete-200"):
            return JSONResponse({"Message": "Profile deleted."})
        return Response(status_code=204)

    async def archive(self, request: Request, records: dict[int, Record], profile_id: int) -> Response:
        if self.has("mp-archive-unknown-204") and profile_id not in records:
            return Response(status_code=204)
        record = self.record(records, profile_id)
        body = await self.body_of(request, "ArchiveRequest")
        doc = copy.deepcopy(record.latest)
        if self.has("mp-archive-ignored"):
            return Response(status_code=204)
        if body.get("GlobalDeactivate"):
            doc["ProfilePreferences"] = []
            for contact, inner in model.CONTACTS.items():
                for element in doc.get(contact) or []:
                    element[inner] = []
                    if self.has("mp-archive-drops-consents"):
                        element["Consents"] = []
        for contact, inner in model.CONTACTS.items():
            if contact == "Addresses" and self.has("mp-archive-address-ignored"):
                continue
            for wanted in body.get(contact) or []:
                for element in doc.get(contact) or []:
                    if self.archive_target(contact, element, wanted):
                        element[inner] = self.without_filter(element.get(inner), wanted.get("FilterId"))
        for wanted in body.get("ProfilePreferences") or []:
            doc["ProfilePreferences"] = self.without_filter(doc.get("ProfilePreferences"), wanted.get("FilterId"))
        now = self.now()
        if self.has("mp-archive-alt-stale"):  # reads by alternate id keep answering the pre-archive profile
            self.__dict__.setdefault("_pre_archive", {})[record.profile_id] = copy.deepcopy(record.latest)
        self.touch(doc, now)
        self.commit(record, doc, now, queued=False)
        return Response(status_code=204)

    def archive_target(self, contact: str, element: dict[str, Any], wanted: dict[str, Any]) -> bool:
        if contact == "Emails":
            return model.low(element.get("EmailAddress")) == model.low(wanted.get("EmailAddress"))
        if contact == "PhoneNumbers":
            return model.digits(element.get("PhoneNumber")) == model.digits(wanted.get("PhoneNumber"))
        return all(model.low(element.get(k)) == model.low(wanted.get(k))
                   for k in ("Address1", "City", "PostalCode") if wanted.get(k) is not None)

    def without_filter(self, prefs: list | None, filter_id: str | None) -> list:
        if self.has("mp-archive-everything"):
            return []
        return [p for p in prefs or [] if filter_id is None or p.get("FilterId") != filter_id]

    # --- reads --------------------------------------------------------------------------------
    async def get(self, request: Request, records: dict[int, Record], profile_id: int) -> Response:
        cached = self.__dict__.get("read_cache", {}).get(profile_id) if profile_id not in records else None
        if cached is not None:  # only with the fault mp-deleted-profile-cached
            return JSONResponse(cached)
        if self.has("mp-unknown-profile-blank") and profile_id not in records:
            return JSONResponse({"ProfileId": profile_id, "UpdateStatus": "Complete"})
        record = self.record(records, profile_id)
        body = self.read_view(record)
        if self.has("mp-read-inactive-groups") and record.doc is not None:
            body["Groups"] = [g for g in body.get("Groups") or []] + [
                g for g in record.doc.get("Groups") or [] if not model.is_active(g)]
        if self.has("mp-read-row-number"):
            body["ProfileId"] = list(records).index(profile_id) + 1  # the internal row, not the ProfileId
        return JSONResponse(body)

    async def get_by_alt(self, request: Request, records: dict[int, Record]) -> Response:
        pair = self.alt_params(request)
        inactive = request.query_params.get("matchInactive", "false").lower() == "true"
        if self.has("mp-match-inactive-ignored"):
            inactive = False
        try:
            record = self.find_alt(records, pair, visible=True, inactive=inactive)
        except Problem:
            if self.has("mp-alt-miss-empty"):
                return JSONResponse({})
            raise
        if self.has("mp-archive-alt-stale") and record.profile_id in getattr(self, "_pre_archive", {}):
            return JSONResponse({**model.view(self._pre_archive[record.profile_id]), "UpdateStatus": "Complete"})
        if self.has("mp-alt-read-array"):
            return JSONResponse([self.read_view(record, inactive=inactive)])
        return JSONResponse(self.read_view(record, inactive=inactive))

    async def history(self, request: Request, records: dict[int, Record], kind: str, profile_id: int) -> Response:
        # The fault is about unknown profiles, not malformed ids: one beyond int32 stays refused.
        if self.has("mp-history-unknown-empty") and profile_id not in records and -2**31 <= profile_id < 2**31:
            return self.history_of(request, Record(profile_id), kind)
        return self.history_of(request, self.record(records, profile_id), kind)

    async def history_by_alt(self, request: Request, records: dict[int, Record], kind: str) -> Response:
        pair = self.alt_params(request)
        try:
            record = self.find_alt(records, pair, visible=False)
        except Problem:
            buried = [r for where, r in self.buried if where is records and pair in model.alt_pairs(r.latest)]
            if not buried:
                raise
            record = buried[0]
        return self.history_of(request, record, kind)

    def history_of(self, request: Request, record: Record, kind: str) -> Response:
        filter_id = request.query_params.get("filterId") if kind == "Preferences" else None
        document = model.history_document(kind, record.latest, record.log, filter_id, self.has)
        if self.has("mp-standard-history-bare") and kind == "StandardFields":
            return JSONResponse(document["UserProfilePreferences"])
        return JSONResponse(document)

    # --- searches -----------------------------------------------------------------------------
    def visible(self, records: dict[int, Record]) -> list[dict[str, Any]]:
        out = []
        for record in records.values():
            self.settle(record)
            if record.doc is not None:
                out.append(record.doc)
        return out

    def answer(self, docs: list[dict[str, Any]], *, inactive: bool = False) -> Response:
        limit = SEARCH_LIMIT + (1 if self.has("mp-limit-off-by-one") else 0)
        if self.has("mp-limit-exclusive"):
            limit -= 1  # 50 matches already count as too many
        if len(docs) > limit and not self.has("mp-limit-truncates"):
            if self.has("mp-limit-never"):
                return JSONResponse([model.view(d, has=self.has) for d in docs])
            if self.has("mp-403-text"):
                return PlainTextResponse("Forbidden", status_code=403)
            return self.error(403, "Forbidden: the search matches more than 50 profiles; narrow it down.")
        docs = docs[:limit]
        if self.has("mp-no-match-204") and not docs:
            return Response(status_code=204)
        if self.plays("mp-search-404-no-match") and not docs:
            return self.error(404, "No profile matches the search.")
        if self.plays("mp-search-reversed"):
            docs = docs[::-1]
        return JSONResponse([model.view(d, inactive=inactive, has=self.has) for d in docs])

    async def search(self, request: Request, records: dict[int, Record], kind: str) -> Response:
        q = request.query_params
        required = SEARCH_REQUIRED[kind]
        if self.has("mp-search-params-lax") or request.state.lax_query:
            required = ()
        if kind == "selectlist" and self.has("mp-selectlist-params-lax"):
            required = ()
        if kind == "selectlist" and self.has("mp-selectlist-empty"):
            return JSONResponse([])
        missing = [name for name in required if q.get(name) is None]  # "" is a value (the spec's schema)
        if missing:
            raise Problem(400, f"Missing required parameter(s): {', '.join(missing)}.")
        match = getattr(self, f"match_{kind}")
        if kind == "tags":
            return self.search_tags(records, q)
        criteria = match(q)
        if kind == "phone" and self.has("mp-inactive-in-phone-search"):
            return JSONResponse([copy.deepcopy(d) for d in self.visible(records) if criteria(d)][:SEARCH_LIMIT])
        return self.answer([d for d in self.visible(records) if criteria(d)])

    def match_address(self, q) -> Any:
        partial_address = q.get("partialAddress1Match", "false").lower() == "true"
        partial_name = q.get("partialNameMatch", "false").lower() == "true"
        if self.has("mp-partial-ignored"):
            partial_address = partial_name = False
        wanted = {"City": q.get("city"), "StateProvince": q.get("stateProvince"), "PostalCode": q.get("postalCode"),
                  "Address2": q.get("address2"), "AddressType": q.get("addressType")}
        if self.has("mp-address-fields-ignored"):
            wanted = {"City": q.get("city"), "StateProvince": q.get("stateProvince")}
        address1 = q.get("address1")

        def fits(address: dict[str, Any]) -> bool:
            if any(v is not None and model.low(address.get(k)) != model.low(v) for k, v in wanted.items()):
                return False
            return address1 is None or model.text_match(address.get("Address1"), address1, partial_address)

        if self.has("mp-address-home-only") and wanted["AddressType"] is None:
            wanted["AddressType"] = "Home"

        def criteria(doc: dict[str, Any]) -> bool:
            middle = None if self.has("mp-name-middle-ignored") else q.get("middleName")
            if self.has("mp-partial-name-middle-exact") and partial_name:
                if not model.name_matches(doc, None, middle, None, False):
                    return False
                middle = None
            if not model.name_matches(doc, q.get("firstName"), middle, q.get("lastName"), partial_name):
                return False
            return any(fits(a) for a in model.active_items(doc, "Addresses"))
        return criteria

    def indexed(self, q, prefix: str, names: tuple[str, ...]) -> list[dict[str, str]]:
        out = []
        for i in range(100):
            item = {n: q.get(f"{prefix}[{i}].{n}") for n in names}
            if not any(v is not None for v in item.values()):
                break
            out.append(item)
        if self.has("mp-second-criterion-ignored"):
            out = out[:1]
        return out

    def match_custom(self, q) -> Any:
        wanted = self.indexed(q, "customFields", ("Name", "Value"))

        def criteria(doc: dict[str, Any]) -> bool:
            fields = model.active_items(doc, "CustomFields")
            by_name = self.has("mp-custom-value-ignored")
            return all(any(model.low(f.get("Name")) == model.low(w["Name"])
                           and (by_name or str(f.get("Value")) == str(w["Value"]))
                           for f in fields) for w in wanted)
        return criteria

    def match_selectlist(self, q) -> Any:
        wanted = self.indexed(q, "customFields", ("OperatorId", "Name", "Value"))
        for w in wanted:
            known = ("1", "2") if self.has("mp-selectlist-any-refused") else ("1", "2", "3")
            if w["OperatorId"] not in known:
                raise Problem(400, "customFields[n].OperatorId must be 1 (Equals), 2 (All of) or 3 (Any of).")

        def fits(field: dict[str, Any], w: dict[str, str]) -> bool:
            if model.low(field.get("Name")) != model.low(w["Name"]):
                return False
            if self.has("mp-selectlist-name-only"):
                return True
            have = set(str(field.get("Value") or "").split(":"))
            want = set(str(w["Value"] or "").split(":"))
            return {"1": have == want, "2": want <= have, "3": bool(want & have)}[w["OperatorId"]]

        def criteria(doc: dict[str, Any]) -> bool:
            fields = model.active_items(doc, "CustomFields")
            return all(any(fits(f, w) for f in fields) for w in wanted)
        return criteria

    def match_email(self, q) -> Any:
        address, kind = q.get("emailAddress"), q.get("emailType")

        def criteria(doc: dict[str, Any]) -> bool:
            return any(model.low(e.get("EmailAddress")) == model.low(address)
                       and (kind is None or model.low(e.get("EmailAddressType")) == model.low(kind))
                       for e in model.active_items(doc, "Emails"))
        return criteria

    def match_name(self, q, partial: bool = False) -> Any:
        if self.has("mp-name-search-partial"):
            partial = True
        if self.has("mp-partial-name-prefix-only") and partial:
            def criteria(doc: dict[str, Any]) -> bool:
                name = doc.get("CustomerName") or {}
                return model.low(name.get("LastName")).startswith(model.low(q.get("lastName")))
            return criteria
        middle = None if self.has("mp-name-middle-ignored") and not partial else q.get("middleName")
        if self.has("mp-partial-name-last-only") and partial:
            return lambda doc: (model.name_matches(doc, q.get("firstName"), middle, None, False)
                                and model.name_matches(doc, None, None, q.get("lastName"), True))
        return lambda doc: model.name_matches(doc, q.get("firstName"), middle, q.get("lastName"), partial)

    def match_partial(self, q) -> Any:
        return self.match_name(q, partial=True)

    def match_phone(self, q) -> Any:
        number, kind = q.get("phoneNumber"), q.get("phoneType")
        norm = (lambda v: str(v or "")) if self.has("mp-phone-exact") else model.digits

        def criteria(doc: dict[str, Any]) -> bool:
            return any(norm(p.get("PhoneNumber")) == norm(number)
                       and (kind is None or self.has("mp-phone-type-ignored")
                            or model.low(p.get("PhoneType")) == model.low(kind))
                       for p in model.active_items(doc, "PhoneNumbers"))
        return criteria

    def match_attributes(self, q) -> Any:
        wanted = self.indexed(q, "attributes", ("Key", "Value"))

        def criteria(doc: dict[str, Any]) -> bool:
            attrs = [(a.get("Key"), a.get("Value")) for p in model.all_preferences(doc)
                     for a in p.get("PreferenceAttributes") or []]
            if self.has("mp-attribute-value-ignored"):
                return all(w["Key"] in [k for k, _ in attrs] for w in wanted)
            return all((w["Key"], w["Value"]) in attrs for w in wanted)
        return criteria

    def match_tags(self, q) -> Any:  # handled by search_tags (it also limits the count)
        return None

    def search_tags(self, records: dict[int, Record], q) -> Response:
        tags = []
        for i in range(100):
            tag = q.get(f"tag[{i}]")
            if tag is None:
                break
            tags.append(model.low(tag))
        exact = q.get("exactMatch", "true").lower() == "true"
        multiple = q.get("multipleProfiles", "false").lower() == "true"
        if self.has("mp-tags-any"):
            exact = False
        if self.has("mp-tags-single-ignored"):
            multiple = True
        if self.has("mp-tags-exact-forced"):
            exact = True
        if self.has("mp-tags-multiple-ignored"):
            multiple = False
        if self.has("mp-tags-multiple-any") and multiple:
            exact = False  # L11592 read literally: multipleProfiles=true matches any of the tags
        combine = all if exact else any
        docs = [d for d in self.visible(records)
                if combine(t in {model.low(x.get("Name")) for x in d.get("ProfileTags") or []} for t in tags)]
        if not multiple:
            docs = docs[:1]
        return self.answer(docs)

    async def groups(self, request: Request, records: dict[int, Record], how: str, profile_id: int | None = None
                     ) -> Response:
        q = request.query_params
        required = {"name": ("groupType", "groupName"), "AlternateId": ("groupType", "alternateIdType", "alternateId"),
                    "Email": ("groupType", "emailAddress"), "Phone": ("groupType", "phoneNumber"),
                    "Primary": ("groupType",)}[how]
        if (how == "AlternateId" and self.has("mp-group-alt-type-optional")) or (
                how == "Primary" and self.has("mp-group-primary-type-optional")):
            required = tuple(name for name in required if name != "groupType")
        missing = [name for name in required if q.get(name) is None]  # as in search()
        if missing and not self.has("mp-search-params-lax") and not request.state.lax_query:
            raise Problem(400, f"Missing required parameter(s): {', '.join(missing)}.")
        group_type = q.get("groupType")
        docs = self.visible(records)
        if how == "name":
            names = {(model.low(group_type), model.low(q.get("groupName")))}
        else:
            if how == "Primary":
                if self.has("mp-group-primary-unknown-empty") and profile_id not in records:
                    primaries = []
                else:
                    primaries = [self.record(records, profile_id).doc or {}]
            elif how == "AlternateId":
                pair = (q.get("alternateIdType"), q.get("alternateId"))
                primaries = [d for d in docs if pair in model.alt_pairs(d)]
            elif how == "Email":
                if self.has("mp-group-contact-type-ignored"):
                    q = {k: v for k, v in q.items() if k != "emailType"}
                primaries = [d for d in docs if self.match_email(q)(d)]
            else:
                if self.has("mp-group-contact-type-ignored"):
                    q = {k: v for k, v in q.items() if k != "phoneType"}
                primaries = [d for d in docs if self.match_phone(q)(d)]
            names = set()
            for primary in primaries:
                for group in model.active_items(primary, "Groups"):
                    leads = group.get("IsPrimary") or self.has("mp-group-any-member")
                    if leads and (self.has("mp-group-type-ignored")
                                                   or (how == "Email" and self.has("mp-group-email-type-ignored"))
                                                   or model.low(group.get("GroupType")) == model.low(group_type)):
                        names.add((model.low(group.get("GroupType")), model.low(group.get("GroupName"))))
        members = [d for d in docs
                   if any((model.low(g.get("GroupType")), model.low(g.get("GroupName"))) in names
                          for g in model.active_items(d, "Groups"))]
        if self.has("mp-group-members-only"):
            members = [d for d in members if not any(g.get("IsPrimary") for g in model.active_items(d, "Groups"))]
        return self.answer(members, inactive=self.has("mp-group-results-inactive"))


SEARCHES = {("Address",): "address", ("CustomFields",): "custom", ("CustomFields", "SelectList"): "selectlist",
            ("Email",): "email", ("Name",): "name", ("Name", "Partial"): "partial", ("Phone",): "phone",
            ("Attributes",): "attributes", ("Tags",): "tags"}
SEARCH_REQUIRED = {"address": ("city", "stateProvince"), "custom": ("customFields[0].Name", "customFields[0].Value"),
                   "selectlist": ("customFields[0].OperatorId", "customFields[0].Name", "customFields[0].Value"),
                   "email": ("emailAddress",), "name": ("lastName",), "partial": ("lastName",),
                   "phone": ("phoneNumber",), "attributes": ("attributes[0].Key", "attributes[0].Value"),
                   "tags": ("tag[0]",)}
RESERVED = {"AlternateId", "History", "Preferences", "Groups"} | {k[0] for k in SEARCHES}


def factory(clock: MockClock, fault: str | None = None) -> MyPreferencesMock:
    return MyPreferencesMock(clock, fault)
