"""Hostile input at the REST edge: every refusal is a 4xx in the {code, type, message} shape and writes nothing.

What each case guards against: a 500, megabytes stored, or a forged address accepted.
"""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func
from sqlmodel import Session, select

from storefront import db
from storefront.models import TABLES
from tests.api.conftest import first_variant, guest_order, register
from tests.api.test_store_shop import assert_medusa_error

TOKEN_PATH = "/store/orders/batch/customer/token"
ADDRESS = {"first_name": "Grace", "last_name": "Hopper", "address_1": "1 Harbour St", "city": "Arlington",
           "postal_code": "22201", "country_code": "us"}


def row_counts() -> dict[str, int]:
    """Rows per table: a refused request must leave every count as it was."""
    with Session(db.get_engine()) as session:
        return {table.__tablename__: session.exec(select(func.count()).select_from(table)).one() for table in TABLES}


def deep(levels: int) -> bytes:
    return ("[" * levels + "]" * levels).encode()


def new_cart(client) -> str:
    return client.post("/store/carts", json={"items": [{"variant_id": first_variant(client), "quantity": 1}]}
                       ).json()["cart"]["id"]


UNKNOWN_ORDER = "order_01JABCDEFGHJKMNPQRSTVWXYZ0"  # the body is refused before the order is looked up
JSON_ENDPOINTS = ["/store/customers", "/store/auth", "/store/carts", TOKEN_PATH, "/store/orders/customer/confirm",
                  "/auth/customer/emailpass", "/auth/customer/emailpass/register",
                  *(f"/store/orders/{UNKNOWN_ORDER}/transfer/{action}" for action in
                    ("request", "accept", "decline", "cancel"))]


@pytest.mark.parametrize("path", JSON_ENDPOINTS)
@pytest.mark.parametrize("body", [deep(3000), b'{"a":' * 3000 + b"1" + b"}" * 3000], ids=["list-3000", "object-3000"])
def test_deeply_nested_json_is_a_400(client, path, body):
    register(client)
    before = row_counts()
    response = client.post(path, content=body, headers={"content-type": "application/json"})
    assert_medusa_error(response, 400, "invalid_data")
    assert row_counts() == before


def test_a_valid_body_with_a_deeply_nested_extra_is_refused_for_its_depth(client):
    register(client)
    body = {"email": "ada@example.com", "password": "correct horse battery", "x": json.loads(deep(40))}
    response = client.post("/store/auth", json=body)
    assert_medusa_error(response, 400, "invalid_data")
    assert "nested more than 32 levels" in response.json()["message"]


@pytest.mark.parametrize("text", ["\ud800", "a\udfffb", "nul\x00byte"])
def test_lone_surrogates_and_nul_bytes_are_400_everywhere_and_never_echoed(client, text):
    raw = json.dumps(text).encode()  # \ud800 stays an escape, as an attacker would send it
    register(client)
    cart_id = new_cart(client)
    before = row_counts()
    for path, body in [
        (TOKEN_PATH, b'{"order_ids": [' + raw + b"]}"),
        ("/store/auth", b'{"email": ' + raw + b', "password": "x"}'),
        ("/store/customers", b'{"first_name": ' + raw + b', "last_name": "L", "email": "a@example.com", '
                             b'"password": "correct horse battery"}'),
        (f"/store/carts/{cart_id}", b'{"shipping_address": {"city": ' + raw + b"}}"),
        ("/store/orders/customer/confirm", b'{"token": ' + raw + b"}"),
        ("/auth/customer/emailpass/register", b'{"email": ' + raw + b', "password": "correct horse battery"}'),
        (f"/store/orders/{UNKNOWN_ORDER}/transfer/request", b'{"description": ' + raw + b"}"),
        (f"/store/orders/{UNKNOWN_ORDER}/transfer/decline", b'{"token": ' + raw + b"}"),
    ]:
        response = client.post(path, content=body, headers={"content-type": "application/json"})
        assert_medusa_error(response, 400, "invalid_data")
        assert text not in response.text and "\\ud8" not in response.text
    assert row_counts() == before


@pytest.mark.parametrize("query", ["?limit=²", "?offset=١", "?offset=99999999999999999999", "?limit=1e3",
                                   f"?offset={2**63}", "?limit=%00", "?limit=", "?offset=+1"])
def test_odd_paging_is_a_400(client, query):
    register(client)
    assert_medusa_error(client.get("/store/customers/me/orders" + query), 400, "invalid_data")
    assert_medusa_error(client.get("/api/outbox/messages" + query.replace("offset", "limit")), 400, "invalid_data")


@pytest.mark.parametrize("password", ["x" * 5000, "é" * 3000])
def test_an_enormous_password_is_a_401_not_a_500(client, password):
    register(client)
    response = client.post("/store/auth", json={"email": "ada@example.com", "password": password})
    assert_medusa_error(response, 401, "unauthorized")


@pytest.mark.parametrize("path", ["/store/orders/%00", "/store/carts/%00", "/store/carts/cart_%F0%9F%92%A5",
                                  "/store/orders/order_" + "Z" * 300])
def test_odd_ids_in_paths_are_404(client, path):
    assert_medusa_error(client.get(path), 404, "not_found")


def test_nul_in_a_query_string_is_refused_or_harmless(client):
    response = client.get("/api/outbox/messages?to=a%00b@example.com")
    assert response.status_code == 200 and response.json() == {"messages": []}


def test_an_email_longer_than_any_column_is_still_throttled(client):
    long_email = "a" * 200 + "@example.com"  # 212 characters
    answers = [client.post("/store/auth", json={"email": long_email, "password": "wrong password"}).status_code
               for _ in range(6)]
    assert answers == [401] * 5 + [429]


def test_bodies_over_64_kib_are_413_before_parsing(client):
    before = row_counts()
    big = json.dumps({"email": "a" * (10 * 1024 * 1024), "password": "x"}).encode()
    for _ in range(3):
        assert_medusa_error(client.post("/store/auth", content=big, headers={"content-type": "application/json"}),
                            413, "payload_too_large")

    def chunks():  # no Content-Length: the cap counts what actually arrives
        for _ in range(100):
            yield b" " * 1024

    chunked = client.post("/store/carts", content=chunks(), headers={"content-type": "application/json"})
    assert_medusa_error(chunked, 413, "payload_too_large")
    assert row_counts() == before


def test_every_stored_field_has_a_maximum(client):
    cart_id = new_cart(client)
    for name in ADDRESS:
        response = client.post(f"/store/carts/{cart_id}", json={"shipping_address": {name: "x" * 201}})
        assert_medusa_error(response, 400, "invalid_data")
    response = client.post("/store/customers", json={"first_name": "A" * 101, "last_name": "L",
                                                     "email": "a@example.com", "password": "correct horse battery"})
    assert_medusa_error(response, 400, "invalid_data")
    big_address = {**ADDRESS, "address_1": "x" * 60_000}
    response = client.post(f"/store/carts/{cart_id}", json={"shipping_address": big_address})
    assert_medusa_error(response, 400, "invalid_data")
    assert len(response.content) < 1000  # refused, not echoed back


@pytest.mark.parametrize("email", ["Legit<victim@example.com>", "a,b@example.com", "<script>@example.com",
                                   "victim@example.com, other@example.com", "x@localhost", "no-at-sign",
                                   "a@b@example.com", "victim@example.com\r\nBcc: other@example.com"])
def test_only_real_email_addresses_are_accepted_everywhere(client, email):
    cart_id = new_cart(client)
    assert_medusa_error(client.post(f"/store/carts/{cart_id}", json={"email": email}), 400, "invalid_data")
    response = client.post("/store/customers", json={"first_name": "A", "last_name": "L", "email": email,
                                                     "password": "correct horse battery"})
    assert_medusa_error(response, 400, "invalid_data")


def test_an_email_is_stored_lower_cased_and_normalized(client):
    order = guest_order(client, "Grace.Hopper@Example.COM")
    assert order["email"] == "grace.hopper@example.com"


@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data"])
def test_json_endpoints_refuse_other_content_types_with_415(client, content_type):
    register(client)
    before = row_counts()
    for path in JSON_ENDPOINTS:
        response = client.post(path, content=b'{"order_ids": []}', headers={"content-type": content_type})
        assert_medusa_error(response, 415, "unsupported_media_type")
    assert row_counts() == before


def test_an_empty_body_needs_no_content_type(client):
    cart_id = new_cart(client)
    client.post(f"/store/carts/{cart_id}", json={"email": "g@example.com", "shipping_address": ADDRESS})
    assert client.post(f"/store/carts/{cart_id}/complete").status_code == 200  # as medusa-js sends it


def test_line_breaks_in_names_never_reach_an_email(client):
    cart_id = new_cart(client)
    forged = {**ADDRESS, "first_name": "Grace\r\nBcc: x@example.com", "address_1": "1 Harbour St\n\nhttp://evil.test"}
    client.post(f"/store/carts/{cart_id}", json={"email": "g@example.com", "shipping_address": forged})
    order = client.post(f"/store/carts/{cart_id}/complete").json()["data"]
    assert order["shipping_address"]["first_name"] == "Grace Bcc: x@example.com"
    mail = client.get("/api/outbox/messages", params={"to": "g@example.com"}).json()["messages"][0]
    assert "\nBcc:" not in mail["text"] and "Harbour St http://evil.test" in mail["text"]


def test_names_with_web_addresses_are_refused(client):
    response = client.post("/store/customers", json={"first_name": "Visit https://evil.example", "last_name": "L",
                                                     "email": "a@example.com", "password": "correct horse battery"})
    assert_medusa_error(response, 400, "invalid_data")


def _every_json_write() -> list[tuple[str, str]]:
    """Every (method, path) of the API that may take a body, but the two UI form endpoints."""
    from starlette.routing import Route

    from storefront import routes
    from storefront.api import unknown
    from storefront.api.app import build_api

    found = []
    for route in build_api().routes:
        if (isinstance(route, Route) and route.path not in (routes.SESSION_BEGIN, routes.SESSION_END)
                and route.endpoint is not unknown.refusal):  # the catch-alls of paths no route serves
            found += [(method, route.path) for method in sorted(route.methods or ()) if method in
                      {"POST", "PUT", "PATCH", "DELETE"}]
    return found


@pytest.mark.parametrize(("method", "path"), _every_json_write())
def test_every_json_endpoint_refuses_a_plain_text_body_even_one_it_ignores(client, method, path):
    customer = register(client)
    cart_id = new_cart(client)
    client.post(f"/store/carts/{cart_id}", json={"email": "g@example.com", "shipping_address": ADDRESS})
    ids = {"cart_id": cart_id, "order_id": UNKNOWN_ORDER}
    before = row_counts()
    response = client.request(method, path.format(**ids), content=b'{"email": "g@example.com"}',
                              headers={"content-type": "text/plain"})
    assert_medusa_error(response, 415, "unsupported_media_type")
    assert row_counts() == before and customer
    assert "set-cookie" not in response.headers


LINK_NAMES = ["visit evil-shop.com/verify", "evil.example/login", "mailto:x@evil.com", "javascript:alert(1)",
              "See www.evil.example", "evil\uff0ecom", "Visit https://evil.example"]


@pytest.mark.parametrize("last_name", LINK_NAMES)
def test_names_a_mail_client_would_turn_into_links_are_refused_by_both_sign_ups(client, last_name):
    body = {"first_name": "Eve", "last_name": last_name, "email": "eve@example.com",
            "password": "correct horse battery"}
    before = row_counts()
    refused = client.post("/store/customers", json=body)
    assert_medusa_error(refused, 400, "invalid_data")
    assert last_name not in refused.text
    token = client.post("/auth/customer/emailpass/register",
                        json={"email": "eve2@example.com", "password": "correct horse battery"}).json()["token"]
    completed = client.post("/store/customers", json={"first_name": "Eve", "last_name": last_name},
                            headers={"Authorization": f"Bearer {token}"})
    assert_medusa_error(completed, 400, "invalid_data")
    assert row_counts()["customer"] == before["customer"]


@pytest.mark.parametrize("name", ["J.R.R. Tolkien", "St. John", "O'Brien-Smith", "Zoë", "Mr. Smith"])
def test_ordinary_names_with_dots_and_dashes_are_fine(client, name):
    body = {"first_name": "A", "last_name": name, "email": "named@example.com", "password": "correct horse battery"}
    assert client.post("/store/customers", json=body).status_code == 200


def test_the_claim_email_shows_who_asked_without_anything_a_mail_client_would_link(client):
    import re

    order = guest_order(client, email="owner@example.com")
    register(client, email="eve@evil-shop.com")
    assert client.post(TOKEN_PATH, json={"order_ids": [order["id"]]}).status_code == 200
    mail = next(m for m in client.get("/api/outbox/messages", params={"to": "owner@example.com"}).json()["messages"]
                if "claim" in m["subject"].lower())
    for part in (mail["text"], mail["html"]):
        assert "Ada Lovelace" in part and "eve@\u200bevil-shop\u200b.com" in part
        assert not re.search(r"evil-shop\.com|eve@evil", part)  # nothing an autolinker could find
