"""Property-based tests of the whole HTTP surface: generated bodies, headers, query strings and path IDs
against every REST endpoint (Medusa v1's, and v2's /auth/*, /store/orders and order transfers) and the outbox
and session endpoints, on SQLite and on PostgreSQL.

For every generated request:

* the answer is never a 5xx;
* every answer carries the security headers the edge adds (X-Frame-Options, X-Content-Type-Options);
* every refusal (4xx) is a JSON body with exactly {"code", "type", "message"} and a non-empty message,
  a 429 also says Retry-After, and no refusal sets a cookie;
* a refusal writes nothing: every row of every table is the same after it as before it (a stronger check
  than row counts; login failures are counted in the rate limiter's memory, never in the database);
* redirects (303) only come from /api/session/*, and go to a local path; the only other redirect is
  Starlette's 307 from a path with a trailing "/" to the same path without it (e.g. /store/carts/%2F).

And for every generated GET, HEAD or OPTIONS, whatever its answer: nothing written. The edge checks Origin only
on POST, PUT, PATCH and DELETE, which is sound only while no route writes on the others.

Router-level refusals are the one known gap in the JSON rule: a method a route does not take (405) and a path
no route matches (404, e.g. an ID holding "%2F", which the server decodes into a "/") are answered by
Starlette's router before any of our code runs, as text/plain "Method Not Allowed" / "Not Found". In the app
those 404s fall through to Reflex's backend instead (api/app.py). `ROUTER_REFUSALS_MAY_BE_PLAIN` lets
them through, exactly as Starlette writes them, and counts them as "plain" in the summary; set it to False
once the app answers them in the Medusa shape too.

Each test prints its counts: requests per endpoint and status (run with -s to see them). How many requests
each test generates is the Hypothesis profile's (tests/conftest.py): about 100 in `make test`, more in
`make test-deep`.
"""

from __future__ import annotations

import json
import logging
import re
from collections import Counter
from contextlib import contextmanager
from urllib.parse import quote, unquote, urlencode, urlsplit

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from sqlmodel import Session, select
from starlette.routing import Match

from storefront import db, routes
from storefront.api.app import build_api
from storefront.models import TABLES
from storefront.services import bearer, carts, courier, ratelimit, runner, sessions
from tests.api.conftest import BASE, claim_token, first_variant, guest_order, register
from tests.api.test_hostile_input import ADDRESS, row_counts
from tests.event_loops import run_to_completion

ROUTER_REFUSALS_MAY_BE_PLAIN = True
RESET_LIMITS_EVERY = 30  # examples; in between, the rate limits build up, so 429 answers get checked too

# No max_examples here: the profile loaded in tests/conftest.py decides (`make test` or `make test-deep`).
PROPERTY_SETTINGS = settings(
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                           HealthCheck.data_too_large, HealthCheck.large_base_example],
    deadline=None,
    database=None,  # no example database kept between runs; a failure prints its example to reproduce it
    print_blob=True,
)

TOKEN_PATH = "/store/orders/batch/customer/token"
STORE_ENDPOINTS = [
    ("POST", "/store/customers"),
    ("GET", "/store/auth"),
    ("POST", "/store/auth"),
    ("DELETE", "/store/auth"),
    ("GET", "/store/customers/me"),
    ("GET", "/store/customers/me/orders"),
    ("GET", "/store/products"),
    ("POST", "/store/carts"),
    ("GET", "/store/carts/{id}"),
    ("POST", "/store/carts/{id}"),
    ("POST", "/store/carts/{id}/line-items"),
    ("POST", "/store/carts/{id}/complete"),
    ("GET", "/store/orders/{id}"),
    ("POST", TOKEN_PATH),
    ("POST", "/store/orders/customer/confirm"),
    ("POST", "/store/customers/password-token"),
    ("POST", "/store/customers/password-reset"),
]
V2_ENDPOINTS = [
    ("POST", "/auth/customer/emailpass"),
    ("POST", "/auth/customer/emailpass/register"),
    ("POST", "/auth/session"),
    ("DELETE", "/auth/session"),
    ("POST", "/auth/token/refresh"),
    ("GET", "/store/orders"),
    ("POST", "/store/orders/{id}/transfer/request"),
    ("POST", "/store/orders/{id}/transfer/accept"),
    ("POST", "/store/orders/{id}/transfer/decline"),
    ("POST", "/store/orders/{id}/transfer/cancel"),
]
EDGE_ENDPOINTS = [
    ("GET", routes.OUTBOX_API),
    ("DELETE", routes.OUTBOX_API),
    ("POST", routes.SESSION_BEGIN),
    ("POST", routes.SESSION_END),
]
# The rate-limited endpoints: generated requests burst there more often.
LIMITED = {"/store/auth", "/auth/customer/emailpass", TOKEN_PATH, "/store/orders/{id}/transfer/request"}
ODD_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"]
SECURITY_HEADERS = {"x-frame-options": "DENY", "x-content-type-options": "nosniff"}
ROUTER = build_api().router  # only for telling which path/method pairs a route exists for

# ---------------------------------------------------------------------------------------------- values

# Placeholders the test swaps for real IDs and secrets made in setup (or, for the fresh ones, just before
# the request): strategies are built before any database exists.
REAL = ["@cart@", "@fresh_cart@", "@own_cart@", "@done_cart@", "@order@", "@own_order@", "@transfer_order@",
        "@variant@", "@claim_token@", "@transfer_token@", "@ticket@", "@bearer@", "@registration@"]
ODD_TEXT = ["", " ", "\x00", "nul\x00byte", "\ud800", "a\udfffb", "\u202egnp.exe", "\u200b", "ﬀİ𝕒", "é" * 300,
            "x" * 5000, "\r\nBcc: other@example.com", "<script>alert(1)</script>", "' OR 1=1 --", "null",
            "https://evil.example", "ada@example.com", "ADA@EXAMPLE.COM", "grace@example.com",
            "Legit<victim@example.com>", "a@b@example.com", "a" * 250 + "@example.com", "correct horse battery",
            "cart_", "order_", "variant_", "cart_" + "Z" * 300, "../../etc/passwd", "%00", "🛒" * 50]

text = st.one_of(
    st.text(alphabet=st.characters(exclude_categories=()), max_size=60),  # surrogates included
    st.sampled_from(ODD_TEXT),
    st.sampled_from(REAL),
)
numbers = st.one_of(
    st.integers(min_value=-(10**40), max_value=10**40),
    st.sampled_from([0, -1, 1, 2, 99, 100, 101, 2**31, 2**63, -(2**63), 10**18]),
    st.floats(allow_nan=True, allow_infinity=True),
    st.just(-0.0),
)
json_scalars = st.one_of(st.none(), st.booleans(), numbers, text)
json_values = st.recursive(
    json_scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(text, inner, max_size=4),
    max_leaves=12,
)


def odd(*good: object) -> st.SearchStrategy:
    """A field's value: one of its plausible values, or anything at all."""
    return st.one_of(st.sampled_from(good), json_values) if good else json_values


address = st.dictionaries(
    st.sampled_from([*ADDRESS, "phone", "company", "id", "__class__"]) | text,
    st.one_of(st.sampled_from(list(ADDRESS.values())), text, json_values),
    max_size=8,
)
item = st.fixed_dictionaries({}, optional={
    "variant_id": odd("@variant@", "variant_nope"), "quantity": st.one_of(numbers, json_values)})
FIELDS = {
    "email": odd("ada@example.com", "grace@example.com", "new@example.com", "Ada@Example.com "),
    "password": odd("correct horse battery", "wrong password", "short"),
    "first_name": odd("Ada", "Grace", "Visit https://evil.example"),
    "last_name": odd("Lovelace", "Hopper"),
    "variant_id": odd("@variant@"),
    "quantity": st.one_of(numbers, json_values),
    "items": st.one_of(st.lists(item, max_size=3), json_values),
    "shipping_address": st.one_of(address, st.just(ADDRESS), json_values),
    "order_ids": st.one_of(st.lists(odd("@order@", "@own_order@", "order_nope"), max_size=22), json_values),
    "token": odd("@claim_token@", "@transfer_token@", ""),
    "description": odd("Bought it as a guest", ""),
    "ticket": odd("@ticket@"),
    "next": odd("/account", "//evil.example", "https://evil.example", "/claim?x=1"),
}
shaped = st.fixed_dictionaries({}, optional=FIELDS)  # the real field names, each present or not


def plausible(*good: str) -> st.SearchStrategy:
    """Mostly a value that gets past the type checks, so the checks behind them are reached too."""
    return st.one_of(st.sampled_from(good), st.sampled_from(good), text)


credentials = st.one_of(
    st.just({"email": "Ada@Example.com ", "password": "correct horse battery"}),  # a login that works
    st.fixed_dictionaries({
        "email": plausible("ada@example.com", "Ada@Example.com ", "nobody@example.com", "a" * 250 + "@example.com"),
        "password": plausible("correct horse battery", "wrong password", "x" * 5000)}))
new_email = st.one_of(st.integers(0, 10**6).map("shopper{}@example.com".format),
                      plausible("ada@example.com", "grace@example.com", "x@localhost"))
new_password = plausible("correct horse battery", "short")
registration = st.fixed_dictionaries({
    "first_name": plausible("Ada", "Grace", "Visit https://evil.example"), "last_name": plausible("Lovelace"),
    "email": new_email, "password": new_password})
line_item = st.fixed_dictionaries({"variant_id": plausible("@variant@", "@variant@", "variant_nope"),
                                   "quantity": st.one_of(st.integers(1, 99), st.integers(-3, 1001), numbers)})
cart_details = st.fixed_dictionaries({}, optional={
    "email": plausible("walk-in@example.com", "ada@example.com", "Legit<victim@example.com>"),
    "shipping_address": st.one_of(st.just(ADDRESS), address)})
session_form = st.fixed_dictionaries({"ticket": plausible("@ticket@", ""),
                                      "next": plausible("/account", "//evil.example", "/claim?x=1")})
transfer_token = st.fixed_dictionaries({"token": plausible("@transfer_token@", "@claim_token@", "x.y.z")})
# Per endpoint, a body that is nearly right (every field there, most of them the right type) and how it is
# encoded: sent half the time, so the checks behind the first type checks are reached too.
TYPICAL = {
    "/store/customers": (registration, "json"),
    "/store/auth": (credentials, "json"),
    "/store/carts": (st.fixed_dictionaries({}, optional={"items": st.lists(line_item, max_size=3)}), "json"),
    "/store/carts/{id}": (cart_details, "json"),
    "/store/carts/{id}/line-items": (line_item, "json"),
    "/store/carts/{id}/complete": (st.just({}), "json"),
    TOKEN_PATH: (st.fixed_dictionaries({"order_ids": st.lists(
        plausible("@order@", "@own_order@", "order_nope"), min_size=1, max_size=3)}), "json"),
    "/store/orders/customer/confirm": (st.fixed_dictionaries({"token": plausible("@claim_token@")}), "json"),
    "/store/customers/password-token": (st.fixed_dictionaries({"email": plausible("ada@example.com",
                                                                                  "nobody@example.com")}), "json"),
    "/store/customers/password-reset": (st.fixed_dictionaries({
        "email": plausible("ada@example.com", "grace@example.com"), "token": plausible("@claim_token@", "x.y.z"),
        "password": plausible("a brand new passphrase", "short")}), "json"),
    "/auth/customer/emailpass": (credentials, "json"),
    "/auth/customer/emailpass/register": (st.fixed_dictionaries({"email": new_email, "password": new_password}),
                                          "json"),
    "/auth/session": (st.just({}), "json"),
    "/auth/token/refresh": (st.just({}), "json"),
    "/store/orders/{id}/transfer/request": (st.fixed_dictionaries({}, optional={
        "description": plausible("Bought it as a guest")}), "json"),
    "/store/orders/{id}/transfer/accept": (transfer_token, "json"),
    "/store/orders/{id}/transfer/decline": (transfer_token, "json"),
    "/store/orders/{id}/transfer/cancel": (st.just({}), "json"),
    routes.SESSION_BEGIN: (session_form, "form"),
    routes.SESSION_END: (session_form, "form"),
}
ENCODED_AS = {"json": "application/json", "form": "application/x-www-form-urlencoded"}


def deep(levels: int, open_: bytes = b"[", close: bytes = b"]") -> bytes:
    return open_ * levels + close * levels


RAW_BODIES = [
    b"", b" ", b"\n", b"{}", b"[]", b"null", b"1e999999", b"-0", b"NaN", b"-Infinity", b'{"quantity": NaN}',
    b'{"quantity": 1e999999, "variant_id": "x"}', b'{"quantity": -0}', b"1" * 5000, b'{"a": ' + b"9" * 5000 + b"}",
    deep(33), deep(5000), b'{"a":' * 3000 + b"1" + b"}" * 3000, b'{"email": "\xff\xfe"}', b"\xef\xbb\xbf{}",
    b"\xff\xfe{\x00}\x00", b'{"email": "ada@example.com", "email": "\\ud800"}', b'{"token": "\\u0000"}',
    b"ticket=%00&next=%2F%2Fevil.example", b"ticket=%FF&next=/account", b"--x\r\n\r\n--x--",
    b"x" * (64 * 1024 + 1), b'{"email": "' + b"a" * (64 * 1024) + b'"}',
]


def json_bytes(value: object, ascii_only: bool) -> bytes:
    """JSON as a client would send it; ensure_ascii=False with a lone surrogate gives invalid UTF-8."""
    return json.dumps(value, ensure_ascii=ascii_only, allow_nan=True).encode("utf-8", "surrogatepass")


def form_bytes(fields: dict) -> bytes:
    return urlencode({k: json.dumps(v) if not isinstance(v, str) else v for k, v in fields.items()},
                     encoding="utf-8", errors="surrogatepass").encode()


bodies = st.one_of(
    st.just(None),
    st.just(None),
    st.builds(json_bytes, json_values, st.booleans()).map(lambda b: ("json", b)),
    st.builds(json_bytes, shaped, st.booleans()).map(lambda b: ("shaped", b)),
    st.builds(form_bytes, shaped).map(lambda b: ("form", b)),
    st.sampled_from(RAW_BODIES).map(lambda b: ("raw", b)),
    st.binary(max_size=300).map(lambda b: ("bytes", b)),
)


def url_part(value: str | bytes) -> str:
    raw = value if isinstance(value, bytes) else value.encode("utf-8", "surrogatepass")
    return quote(raw, safe="")


REAL_IDS = ["@cart@", "@fresh_cart@", "@own_cart@", "@done_cart@", "@order@", "@own_order@", "@transfer_order@"]
path_ids = st.one_of(
    st.sampled_from(REAL_IDS),
    st.sampled_from(REAL_IDS),
    st.sampled_from(REAL_IDS),
    st.sampled_from(REAL),
    st.sampled_from(["%00", "%ED%A0%80", "%FF", "%2F", "a%2Fb", "", "%2E%2E", "cart_%F0%9F%92%A5", "null",
                     "order_" + "Z" * 300, "cart_01J" + "0" * 23, "-1", "0", "x" * 3000]),
    st.text(alphabet=st.characters(exclude_categories=()), max_size=50).map(url_part),
    st.binary(max_size=40).map(url_part),
)
query_values = st.one_of(
    st.sampled_from(["²", "١", "-1", "0", "1", "+1", "1e3", "100", "101", "500", "501", "1000000", "1000001",
                     "99999999999999999999", str(2**63), "", "%00", "%ED%A0%80", "%FF", "%zz", "x" * 3000,
                     "a%00b@example.com", "grace@example.com", "ada@example.com", "/account", "//evil.example"]),
    text.map(url_part),
)
queries = st.one_of(
    st.just(""),
    st.lists(st.tuples(st.sampled_from(["limit", "offset", "to", "next", "expand", "fields", "x"]) |
                       text.map(url_part), query_values), max_size=4)
    .map(lambda pairs: "&".join(f"{k}={v}" for k, v in pairs)),
    st.sampled_from(["limit", "&&&", "=", "limit=1&limit=x", "%", "offset=1;limit=2"]),
)
GARBAGE_HEADER = [b"\xff\xfe", b"\x00", b"a" * 5000, b"\xe2\x80\xae", b"()<>@,;:\\\"/[]?={}"]
EVIL = "https://evil.example.com"
CONTENT_TYPES = [
    "application/json", "application/json; charset=utf-8", "APPLICATION/JSON", "application/json;charset=latin-1",
    "text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "multipart/form-data",
    "application/xml", "application/json-patch+json", *GARBAGE_HEADER,
]
# Most requests come as the shop's own pages or a plain API client send them, so the routes behind the edge
# get exercised; one in four has hostile or garbage headers throughout.
BENIGN = {
    "content-type": [None, "application/json", "application/json", "application/json",
                     "application/x-www-form-urlencoded"],
    "origin": [None, BASE],
    "sec-fetch-site": [None, None, "same-origin", "none"],
    "cookie": [None],
    "authorization": [None, None, "Bearer @bearer@"],  # Medusa v2's js-sdk sends its JWT so
}
HOSTILE = {
    "content-type": [None, *CONTENT_TYPES],
    "origin": [None, BASE, EVIL, "null", "http://shop-cdn.localhost:3000", "http://localhost:3000.evil.example",
               "http://LOCALHOST:3000", *GARBAGE_HEADER],
    "sec-fetch-site": [None, "same-origin", "none", "cross-site", "same-site", *GARBAGE_HEADER],
    "cookie": [None, "sf_session=", "sf_session=junk", "sf_session=" + "a" * 5000,
               "sf_session=@token@; sf_session=junk", "junk=1; sf_session=@token@", "sf_session=\"@token@\"",
               *GARBAGE_HEADER],
    "authorization": [None, "Bearer @bearer@", "Bearer @registration@", "bearer @bearer@", "Bearer ", "Bearer junk",
                      "Bearer eyJhbGciOiJub25lIn0.eyJzaWQiOjF9.", "Bearer " + "a" * 5000, "Basic YWRhOnNlY3JldA==",
                      "@bearer@", *GARBAGE_HEADER],
}


@st.composite
def requests(draw, endpoints: list[tuple[str, str]], methods: list[str] | None = None) -> dict:
    method, template = draw(st.sampled_from(endpoints))
    if methods:
        method = draw(st.sampled_from(methods))
    elif draw(st.integers(0, 9)) == 0:  # now and then a method the route does not take
        method = draw(st.sampled_from(ODD_METHODS))
    path = template.replace("{id}", draw(path_ids))
    query = draw(queries)
    hostile = draw(st.integers(0, 3)) == 0
    chosen = {name: draw(st.sampled_from(values)) for name, values in (HOSTILE if hostile else BENIGN).items()}
    if template in TYPICAL and draw(st.booleans()):
        strategy, encoding = TYPICAL[template]
        fields = draw(strategy)
        body = ("typical", json_bytes(fields, draw(st.booleans())) if encoding == "json" else form_bytes(fields))
        if not hostile:
            chosen["content-type"] = ENCODED_AS[encoding]
    else:
        body = draw(bodies)
    headers = [(name, value) for name, value in chosen.items() if value is not None]
    # Now and then the same request several times over, as a client retrying or guessing would: the rate
    # limits then answer 429, which must be a refusal in the same shape.
    limited = template in LIMITED
    repeat = draw(st.sampled_from([1, 1, 7] if limited else [1] * 9 + [7]))
    return {"method": method, "endpoint": f"{method} {template}", "path": path, "query": query,
            "headers": headers, "body": body, "logged_in": draw(st.booleans()), "repeat": repeat}


# ---------------------------------------------------------------------------------------------- checks


def snapshot() -> dict[str, list]:
    """Every row of every table, for "a refused request writes nothing" (row counts miss updates)."""
    with Session(db.get_engine()) as session:
        return {table.__tablename__: sorted(repr(sorted(row.model_dump().items())) for row in
                                             session.exec(select(table)).all()) for table in TABLES}


def settle_mail() -> None:
    """Let the mail courier finish the round a commit woke it for, so its writes land before a snapshot."""
    if courier.courier._thread is not None and courier.courier._thread.is_alive():
        courier.courier.wait_idle(10)


def router_refusal(method: str, path: str) -> int | None:
    """404 when no route matches the decoded path, 405 when one does but not for this method, else None."""
    scope = {"type": "http", "method": method, "path": path, "root_path": ""}
    matches = [route.matches(scope)[0] for route in ROUTER.routes]
    if Match.FULL in matches:
        return None
    return 405 if Match.PARTIAL in matches else 404


PLACEHOLDER = re.compile(rb"(?:@|%40)([a-z_]+)(?:@|%40)")  # in JSON, or form-encoded
PLAIN = {404: "Not Found", 405: "Method Not Allowed"}


def check_answer(sent: dict, response) -> str:
    """Assert the properties of one answer; returns the label it is counted under."""
    status = response.status_code
    where = f"{sent['method']} {response.request.url} -> {status} {response.text[:300]!r}"
    assert status < 500, where
    for name, value in SECURITY_HEADERS.items():
        assert response.headers.get(name) == value, f"{name} missing: {where}"
    path = unquote(response.request.url.path)
    if 300 <= status < 400:
        location = response.headers["location"]
        if status == 307:  # Starlette's redirect_slashes: the same path without (or with) its trailing "/"
            target = urlsplit(location)
            same_path = unquote(target.path).rstrip("/") == unquote(path).rstrip("/")  # Starlette decodes, re-quotes
            assert target.netloc == "localhost:3000" and same_path, where
            return "307 slash"
        assert status == 303 and path in (routes.SESSION_BEGIN, routes.SESSION_END), where
        assert location.startswith("/") and not location.startswith("//") and not urlsplit(location).netloc, where
        return str(status)
    if status < 400:
        if sent["method"] != "HEAD" and status != 204:  # 204: Medusa's password-token answers with no body
            response.json()  # a success is JSON too
        return str(status)
    assert "set-cookie" not in response.headers, f"a refusal set a cookie: {where}"
    routed = router_refusal(sent["method"], path)
    if routed == status and response.headers.get("content-type", "").startswith("text/plain"):
        assert ROUTER_REFUSALS_MAY_BE_PLAIN, f"router refusal not in the JSON shape: {where}"
        assert response.text in ("", PLAIN[status]), where  # HEAD answers have no body
        if status == 405:
            assert response.headers.get("allow"), where
        return f"{status} plain"
    assert response.headers.get("content-type", "").startswith("application/json"), where
    if sent["method"] != "HEAD":
        body = response.json()
        assert isinstance(body, dict) and set(body) == {"code", "type", "message"}, where
        assert isinstance(body["message"], str) and body["message"].strip(), where
        assert isinstance(body["type"], str) and isinstance(body["code"], str), where
    if status == 429:
        assert re.fullmatch(r"[1-9][0-9]*", response.headers.get("retry-after", "")), where
    return str(status)


# ---------------------------------------------------------------------------------------------- the world


class World:
    """What the generated requests are aimed at: a customer with a live session, carts, orders, a claim."""

    def __init__(self, client) -> None:
        self.client = client
        self.variant = first_variant(client)
        self.order = guest_order(client, "grace@example.com")["id"]  # a guest's order: Ada's claim target
        self.transfer_order = guest_order(client, "linus@example.com")["id"]  # one she asks to transfer (v2)
        customer = register(client)
        self.customer_id = int(customer["id"].removeprefix("cus_"))
        self.token = client.cookies["sf_session"]
        assert client.post(TOKEN_PATH, json={"order_ids": [self.order]}).status_code == 200
        self.claim_token = claim_token(client, "grace@example.com")
        requested = client.post(f"/store/orders/{self.transfer_order}/transfer/request", json={},
                                headers={"authorization": f"Bearer {self.bearer(self.token)}"})
        assert requested.status_code == 200, requested.text
        self.transfer_token = claim_token(client, "linus@example.com")
        signed_up = client.post("/auth/customer/emailpass/register",
                                json={"email": "newcomer@example.com", "password": "correct horse battery"})
        assert signed_up.status_code == 200, signed_up.text
        self.registration = signed_up.json()["token"]  # a v2 sign-up's token, not yet a customer
        self.own_order = self._completed_cart_order()
        self.cart = self._cart(None)
        self.done_cart = self._cart(None)
        assert client.post(f"/store/carts/{self.done_cart}/complete").status_code == 200
        client.cookies.clear()  # from here on every request says itself which cookie it carries
        self.examples = 0

    def _completed_cart_order(self) -> str:
        cart = self._cart(self.customer_id)
        done = self.client.post(f"/store/carts/{cart}/complete", headers={"cookie": f"sf_session={self.token}"})
        assert done.status_code == 200, done.text
        return done.json()["data"]["id"]

    def _cart(self, customer_id: int | None) -> str:
        def make(*, session, customer_id):
            cart = carts.create_cart(session=session, customer_id=customer_id)
            carts.add_item(session=session, cart_id=cart.id, variant_id=self.variant, quantity=2)
            carts.update_details(session=session, cart_id=cart.id, email="walk-in@example.com", address=ADDRESS)
            return cart.id

        return runner.run(make, customer_id=customer_id)

    @staticmethod
    def bearer(token: str) -> str:
        """A v2 bearer token (JWT) for the login whose cookie token is `token`."""
        login_id = runner.run(sessions.login_id_for_token, token=token)
        return bearer.encode({"sid": login_id, "actor_type": "customer"}, audience=bearer.LOGIN_AUDIENCE)

    def live_token(self) -> str:
        """Ada's session token, renewed when a generated logout revoked it."""
        if runner.run(sessions.customer_for_token, token=self.token) is None:
            self.token = runner.run(sessions.create_session, customer_id=self.customer_id)
        return self.token

    def resolve(self, text_: str, token: str) -> str:
        replacements = {
            "@cart@": lambda: self.cart, "@done_cart@": lambda: self.done_cart, "@order@": lambda: self.order,
            "@own_order@": lambda: self.own_order, "@variant@": lambda: self.variant,
            "@transfer_order@": lambda: self.transfer_order, "@transfer_token@": lambda: self.transfer_token,
            "@claim_token@": lambda: self.claim_token, "@token@": lambda: token,
            "@bearer@": lambda: self.bearer(self.live_token()), "@registration@": lambda: self.registration,
            "@fresh_cart@": lambda: self._cart(None), "@own_cart@": lambda: self._cart(self.customer_id),
            "@ticket@": lambda: runner.run(sessions.create_session, customer_id=self.customer_id, ticket=True),
        }
        for placeholder, make in replacements.items():
            if placeholder in text_:
                text_ = text_.replace(placeholder, make())
        return text_

    def send(self, sent: dict, stats: Counter, *, safe: bool = False) -> None:
        """Send one generated request (`repeat` times) and check the properties of every answer."""
        self.examples += 1
        if self.examples % RESET_LIMITS_EVERY == 1:
            ratelimit.reset_all()
        for _ in range(sent.get("repeat", 1)):
            self.send_once(sent, stats, safe=safe)

    def send_once(self, sent: dict, stats: Counter, *, safe: bool) -> None:
        """Send one request; safe: a GET, HEAD or OPTIONS, which may write nothing whatever its answer."""
        token = self.live_token() if sent["logged_in"] else ""
        resolve = lambda value: self.resolve(value, token)  # noqa: E731
        headers = [(name, resolve(value) if isinstance(value, str) else value) for name, value in sent["headers"]]
        if sent["logged_in"] and not any(name == "cookie" for name, _ in headers):
            headers.append(("cookie", f"{routes.SESSION_COOKIE}={token}"))
        body = None
        if sent["body"] is not None:
            body = sent["body"][1]
            body = PLACEHOLDER.sub(lambda m: resolve(f"@{m.group(1).decode()}@").encode(), body)
        url = resolve(sent["path"]) + (f"?{resolve(sent['query'])}" if sent["query"] else "")
        self.client.cookies.clear()
        settle_mail()
        before = snapshot()
        response = self.client.request(sent["method"], url, content=body, headers=headers)
        label = check_answer(sent, response)
        stats[(sent["endpoint"], label)] += 1
        if response.status_code >= 400 or safe:
            settle_mail()
            after = snapshot()
            changed = {t: (sorted(set(before[t]) ^ set(after[t]))[:4]) for t in before if before[t] != after[t]}
            kind = "safe" if safe else "refused"
            assert not changed, (f"a {kind} request wrote: {sent['method']} {url} headers={headers!r} "
                                 f"body={body[:500] if body else body!r} -> {response.status_code} "
                                 f"{response.text[:200]!r}; changed rows: {changed!r}")


def summary(name: str, stats: Counter) -> None:
    by_endpoint: dict[str, Counter] = {}
    for (endpoint, label), count in stats.items():
        by_endpoint.setdefault(endpoint, Counter())[label] += count
    statuses = Counter()
    for counts in by_endpoint.values():
        statuses.update(counts)
    print(f"\n{name}: {sum(stats.values())} requests; statuses "
          + ", ".join(f"{label}: {n}" for label, n in sorted(statuses.items())))
    for endpoint, counts in sorted(by_endpoint.items(), key=lambda item: item[0].split(" ", 1)[::-1]):
        print(f"  {endpoint:<45} {sum(counts.values()):>4}  "
              + " ".join(f"{label}:{n}" for label, n in sorted(counts.items())))


@pytest.fixture
def world(client):
    return World(client)


def test_store_api_answers_every_generated_request_with_no_5xx_a_json_refusal_and_no_write(world, database_url):
    stats: Counter = Counter()

    @settings(PROPERTY_SETTINGS)
    @given(requests(STORE_ENDPOINTS))
    def prop(sent):
        world.send(sent, stats)

    try:
        prop()
    finally:
        summary(f"store API on {database_url.split(':', 1)[0]}", stats)


def test_v2_auth_order_list_and_transfers_answer_every_generated_request_with_no_5xx_a_json_refusal_and_no_write(
        world, database_url):
    stats: Counter = Counter()

    @settings(PROPERTY_SETTINGS)
    @given(requests(V2_ENDPOINTS))
    def prop(sent):
        world.send(sent, stats)

    try:
        prop()
    finally:
        summary(f"v2 auth, orders and transfers on {database_url.split(':', 1)[0]}", stats)


def test_outbox_and_session_endpoints_answer_every_generated_request_safely(world, database_url):
    stats: Counter = Counter()

    @settings(PROPERTY_SETTINGS)
    @given(requests(EDGE_ENDPOINTS))
    def prop(sent):
        world.send(sent, stats)

    try:
        prop()
    finally:
        summary(f"outbox and session on {database_url.split(':', 1)[0]}", stats)


def test_row_counts_and_snapshot_agree_on_a_refusal(world):
    """The snapshot this file compares is at least as strict as test_hostile_input.row_counts()."""
    settle_mail()  # the setup's order and claim emails: the courier marks them sent
    before_counts, before = row_counts(), snapshot()
    refused = world.client.post(TOKEN_PATH, json={"order_ids": []}, headers={"origin": EVIL,
                                                                           "cookie": f"sf_session={world.token}"})
    assert refused.status_code == 403
    assert row_counts() == before_counts and snapshot() == before
    assert {table: len(rows) for table, rows in before.items()} == before_counts


SAFE_METHODS = ["GET", "HEAD", "HEAD", "OPTIONS"]  # HEAD twice: it is the one a route may mistake for a POST


# The edge only checks Origin on POST, PUT, PATCH and DELETE: that is sound only while no route writes on a
# GET, HEAD or OPTIONS. (A session's last_seen_at is touched at most every five minutes; this file's
# sessions are younger than that.) The explicit examples are the two writes found through HEAD.
def test_safe_methods_write_nothing_whatever_they_are_sent(world, database_url):
    stats: Counter = Counter()

    @settings(PROPERTY_SETTINGS)
    @given(requests(STORE_ENDPOINTS + V2_ENDPOINTS + EDGE_ENDPOINTS, SAFE_METHODS))
    @example({"method": "HEAD", "endpoint": "HEAD /store/auth", "path": "/store/auth", "query": "",
              "headers": [("content-type", "application/json"), ("origin", EVIL), ("sec-fetch-site", "cross-site")],
              "body": ("shaped", b'{"email": "ada@example.com", "password": "correct horse battery"}'),
              "logged_in": False})
    @example({"method": "HEAD", "endpoint": "HEAD /store/carts/{id}", "path": "/store/carts/@cart@", "query": "",
              "headers": [("content-type", "application/json"), ("origin", EVIL), ("sec-fetch-site", "cross-site")],
              "body": ("shaped", b'{"email": "victim@example.com"}'), "logged_in": False})
    def prop(sent):
        world.send(sent, stats, safe=True)

    try:
        prop()
    finally:
        summary(f"GET/HEAD/OPTIONS on {database_url.split(':', 1)[0]}", stats)


# ---------------------------------------------------------------------------------------------- websocket frames

# Secrets a hostile frame (or the socket's own handshake) carries; none may reach a log line.
def _secret(alphabet: str) -> st.SearchStrategy:
    return st.text(alphabet=alphabet, min_size=8, max_size=24).map(lambda s: "Zq9" + s.strip() + "Xk7")


URL_SAFE = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789-_.~"
token_text = _secret(URL_SAFE)  # session cookies and link tokens are URL-safe
password_text = _secret(URL_SAFE + " ;,}&%'\"\\")  # a password is anything
frame_names = st.one_of(st.sampled_from(["reflex___state____state.nope.x", "reflex___state____state.hydrate",
                                         "", "a" * 500]), text)


@st.composite
def hostile_frames(draw) -> tuple[object, list[str]]:
    """A websocket frame as a hand-written client could send it, and the secrets it carries."""
    session, password, link_token = draw(token_text), draw(password_text), draw(token_text)
    client_token = str(draw(st.uuids()))
    bearer = "eyJ" + draw(st.text(alphabet="abcdefXYZ0123", min_size=6, max_size=12)) + ".eyJzaWQiOjF9.c2ln"
    headers = {"cookie": f'x={{"a":1}}; {routes.SESSION_COOKIE}={session}', "authorization": f"Bearer {bearer}",
               "user-agent": draw(text)}
    router_data = {"pathname": "/verify/", "query": {"token": link_token}, "asPath": f"/verify/?token={link_token}",
                   "headers": headers, "token": client_token}
    payload = draw(st.one_of(st.just({"form": {"email": "ada@example.com", "password": password}}),
                             st.dictionaries(text, json_values, max_size=3), json_values))
    frame = draw(st.one_of(
        st.fixed_dictionaries({"name": frame_names, "payload": st.just(payload), "router_data": st.just(router_data)}),
        st.just(json.dumps({"name": "x.y", "payload": payload, "router_data": router_data})),  # a string frame
        st.lists(st.just(router_data), max_size=2),
        json_values,
    ))
    return frame, [session, password, link_token, client_token, bearer]


class FakeNamespace:
    """Reflex's event namespace as far as the guard sees it: what it dispatches is logged as Reflex's event
    processor logs an event it cannot dispatch (the whole Event, with a traceback)."""

    def __init__(self) -> None:
        self.dispatched, self.cut = 0, set()

    async def on_event(self, sid, data):
        from reflex_base.event import Event

        self.dispatched += 1
        fields = json.loads(data) if isinstance(data, str) else data
        event = Event(**{k: v for k, v in fields.items() if k in ("name", "payload", "router_data")})
        try:
            raise KeyError(f"No registered handler found for event: {event.name}")
        except KeyError:
            logging.getLogger("reflex_base.event.processor.event_processor").exception(
                f"Error processing event queue entry for {event} [txid=1]:")

    def on_disconnect(self, sid):
        self.cut.discard(sid)

    async def disconnect(self, sid):
        self.cut.add(sid)


def test_hostile_websocket_frames_leave_no_secret_in_the_log_and_a_socket_is_cut_after_a_few():
    import io

    from storefront import logs, socket_guard

    logs.install()  # as the app does at start
    captured = io.StringIO()
    handler = logging.StreamHandler(captured)
    handler.setFormatter(logging.Formatter("%(levelname)s %(name)s %(message)s"))
    logging.getLogger().addHandler(handler)
    namespace = FakeNamespace()
    guard = socket_guard.install(type("App", (), {"event_namespace": namespace})())
    secrets_sent: list[str] = []
    sockets_refused: set[str] = set()

    @settings(PROPERTY_SETTINGS)
    @given(st.lists(hostile_frames(), min_size=1, max_size=6), st.integers(0, 10**9))
    def prop(frames, socket_number):
        sid, refused, logged_before = f"sid{socket_number}", 0, len(captured.getvalue())
        for frame, secrets in frames:
            secrets_sent.extend(secrets)
            dispatched_before = namespace.dispatched
            run_to_completion(namespace.on_event(sid, frame))
            if socket_guard.why_refused(frame) is not None:
                refused += 1
                sockets_refused.add(sid)
                assert namespace.dispatched == dispatched_before  # Reflex never sees it
            else:
                assert namespace.dispatched == dispatched_before + 1
        assert (sid in namespace.cut) == (refused >= socket_guard.MAX_REFUSED)
        logged = captured.getvalue()[logged_before:]
        assert logged.count("on a websocket; it is cut at frame") == (refused > 0)  # once per socket, not per frame
        namespace.on_disconnect(sid)

    try:
        with mock_registry(["reflex___state____state.hydrate"]):
            prop()
    finally:
        logging.getLogger().removeHandler(handler)
    log = captured.getvalue()
    assert guard.refused == {} and secrets_sent and namespace.dispatched
    leaked = [secret for secret in secrets_sent if secret in log]
    assert not leaked, f"secrets in the log: {leaked[:5]}"
    assert sockets_refused and "[redacted]" in log


@contextmanager
def mock_registry(names: list[str]):
    """Reflex's registry of event handlers, holding just `names` (the guard asks it what is dispatchable)."""
    from reflex_base.registry import RegistrationContext

    context = RegistrationContext(event_handlers=dict.fromkeys(names))
    token = RegistrationContext._context_var.set(context)
    try:
        yield context
    finally:
        RegistrationContext._context_var.reset(token)
