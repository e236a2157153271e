"""What Medusa's own tests (test_medusa_own.py) found missing, beyond their cases: order states and their
filters, sorting, a customer's shipping addresses, v1's JWT login, and v2's sign-up without names."""

from __future__ import annotations

import pytest

from tests.api.conftest import claim_token, guest_order, make_client
from tests.api.test_medusa_own import (
    PASSWORD,
    an_order_as,
    bearer_headers,
    set_order_state,
    v1_sign_up,
    v2_login,
    v2_sign_up,
)
from tests.api.test_store_shop import assert_medusa_error

ADDRESS = {"first_name": "Tony", "last_name": "Stark", "address_1": "10880 Malibu Point", "city": "Malibu",
           "postal_code": "90265", "country_code": "us"}


def _ids(response) -> list[str]:
    assert response.status_code == 200, response.text
    return [o["id"] for o in response.json()["orders"]]


@pytest.fixture
def three_orders(client) -> list[str]:
    """A logged-in customer (cookie) with three orders, oldest first."""
    v1_sign_up(client, "tony@stark-industries.com")
    return [an_order_as(client, {}, "tony@stark-industries.com")["id"] for _ in range(3)]


def test_a_new_order_is_pending_captured_and_not_fulfilled(client, three_orders):
    for path in ("/store/customers/me/orders", "/store/orders"):
        orders = client.get(path).json()["orders"]
        states = {(o["status"], o["payment_status"], o["fulfillment_status"]) for o in orders}
        assert len(orders) == 3 and states == {("pending", "captured", "not_fulfilled")}


def test_every_list_filters_by_each_state_in_every_way_clients_write_lists(client, three_orders):
    first, second, third = three_orders
    set_order_state(first, status="completed")
    set_order_state(second, fulfillment_status="shipped", payment_status="partially_refunded")
    for path in ("/store/customers/me/orders", "/store/orders"):
        assert _ids(client.get(f"{path}?status[]=completed")) == [first]
        assert _ids(client.get(f"{path}?status=completed")) == [first]
        assert sorted(_ids(client.get(f"{path}?status%5B0%5D=completed&status%5B1%5D=pending"))) == sorted(three_orders)
        assert _ids(client.get(f"{path}?fulfillment_status[]=shipped")) == [second]
        assert _ids(client.get(f"{path}?payment_status[]=captured&status[]=pending")) == [third]
        assert client.get(f"{path}?status[]=canceled").json()["count"] == 0
        assert client.get(f"{path}?status[]=pending&limit=1").json()["count"] == 2


@pytest.mark.parametrize("query", ["status[]=done", "fulfillment_status[]=pending", "payment_status=paid",
                                   "status[]=" + "x" * 5000, "&".join(["status[]=pending"] * 21),
                                   "order=-", "order=" + "é" * 300, "order=created_at;drop table"])
def test_bad_filters_and_sorts_are_400_on_both_lists(client, three_orders, query):
    for path in ("/store/customers/me/orders", "/store/orders"):
        assert_medusa_error(client.get(f"{path}?{query}"), 400, "invalid_data")


@pytest.mark.parametrize("sort", ["%00", "<script>alert(1)</script>", "x" * 65, "Total"])
def test_a_refused_sort_field_is_named_only_when_it_is_a_plain_name(client, three_orders, sort):
    response = client.get("/store/orders", params={"order": sort})
    assert_medusa_error(response, 400, "invalid_data")
    assert response.json()["message"] == "Order field is not valid"


def test_lists_sort_by_real_columns_either_way(client, three_orders):
    for path in ("/store/customers/me/orders", "/store/orders"):
        assert _ids(client.get(path)) == three_orders[::-1]  # newest first by default
        assert _ids(client.get(f"{path}?order=display_id")) == three_orders
        assert _ids(client.get(f"{path}?order=-display_id")) == three_orders[::-1]
        assert _ids(client.get(f"{path}?order=created_at&limit=2&offset=1")) == three_orders[1:]


def test_a_customers_shipping_addresses_come_from_their_orders(client, other_client):
    v1_sign_up(client, "tony@stark-industries.com")
    assert client.get("/store/customers/me").json()["customer"]["shipping_addresses"] == []
    an_order_as(client, {}, "tony@stark-industries.com")
    an_order_as(client, {}, "tony@stark-industries.com")  # the same address again: one entry
    guest = guest_order(other_client, "tony-guest@example.com")  # Grace Hopper's address, claimed below
    client.post("/store/orders/batch/customer/token", json={"order_ids": [guest["id"]]})
    assert client.post("/store/orders/customer/confirm",
                       json={"token": claim_token(client, "tony-guest@example.com")}).status_code == 200
    addresses = client.get("/store/customers/me").json()["customer"]["shipping_addresses"]
    assert [(a["first_name"], a["city"]) for a in addresses] == [("Grace", "Arlington"), ("Tony", "Malibu")]
    assert all(a["id"].startswith("addr_") and a["customer_id"] == client.get("/store/auth").json()["customer"]["id"]
               for a in addresses)
    for path in ("/store/auth", "/store/customers/me"):  # the same entries, the same IDs, on every answer
        assert client.get(path).json()["customer"]["shipping_addresses"] == addresses
    login = other_client.post("/store/auth", json={"email": "tony@stark-industries.com", "password": PASSWORD})
    assert login.json()["customer"]["shipping_addresses"] == addresses
    v1_sign_up(other_client, "someone@example.com")  # nobody else sees them
    assert other_client.get("/store/customers/me").json()["customer"]["shipping_addresses"] == []


def test_v1_jwt_login_works_on_every_store_route_and_logout_ends_it(client, other_client):
    v1_sign_up(other_client, "oli@test.dk")
    with make_client() as guest:
        order = guest_order(guest, "oli-guest@example.com")
    assert_medusa_error(client.post("/store/auth/token", json={"email": "oli@test.dk", "password": "wrong pass"}),
                        401, "unauthorized")
    assert_medusa_error(client.post("/store/auth/token", json={"email": "oli@test.dk"}), 400, "invalid_data")
    response = client.post("/store/auth/token", json={"email": "oli@test.dk", "password": PASSWORD})
    assert "sf_session" not in response.headers.get("set-cookie", "") and "sf_session" not in client.cookies
    headers = bearer_headers(response.json()["access_token"])
    assert client.get("/store/customers/me", headers=headers).json()["customer"]["email"] == "oli@test.dk"
    assert client.get("/store/customers/me/orders", headers=headers).json()["count"] == 0
    assert client.post("/store/orders/batch/customer/token", json={"order_ids": [order["id"]]},
                       headers=headers).status_code == 200
    token = claim_token(client, "oli-guest@example.com")
    assert client.post("/store/orders/customer/confirm", json={"token": token}, headers=headers).status_code == 200
    assert _ids(client.get("/store/orders", headers=headers)) == [order["id"]]
    assert client.delete("/store/auth", headers=headers).status_code == 200  # v1's logout ends it at once
    assert_medusa_error(client.get("/store/customers/me", headers=headers), 401, "unauthorized")
    again = bearer_headers(client.post("/store/auth/token", json={"email": "oli@test.dk", "password": PASSWORD})
                           .json()["access_token"])
    assert client.delete("/auth/session", headers=again).status_code == 200  # and so does v2's
    assert_medusa_error(client.get("/store/auth", headers=again), 401, "unauthorized")


def test_v1_jwt_login_shares_the_login_throttling(client, other_client):
    v1_sign_up(other_client, "oli@test.dk")
    for _ in range(5):
        client.post("/store/auth/token", json={"email": "oli@test.dk", "password": "wrong pass"})
    throttled = client.post("/store/auth/token", json={"email": "oli@test.dk", "password": PASSWORD})
    assert_medusa_error(throttled, 429, "too_many_requests")
    assert int(throttled.headers["retry-after"]) > 0


def test_a_v2_customer_without_names_is_named_by_email_where_people_read_it(client, other_client):
    customer = v2_sign_up(client, "nameless@example.com")
    assert (customer["first_name"], customer["last_name"]) == (None, None)
    headers = v2_login(client, "nameless@example.com")
    order = guest_order(other_client, "owner@example.com")
    assert client.post(f"/store/orders/{order['id']}/transfer/request", json={}, headers=headers).status_code == 200
    mail = next(m for m in client.get("/api/outbox/messages", params={"to": "owner@example.com"}).json()["messages"]
                if "claim" in m["subject"])
    read = mail["text"].replace("\u200b", "")  # as a reader sees it: the zero-width spaces keep it from being a link
    assert "nameless@example.com asked to add this order" in read
    assert "None" not in mail["text"] and "( nameless" not in mail["text"]


def test_only_a_live_login_token_is_already_authenticated(client):
    v2_sign_up(client, "ada@example.com")
    headers = v2_login(client, "ada@example.com")
    assert client.delete("/auth/session", headers=headers).status_code == 200
    # An ended login is no identity at all: v2's 401 for a token that is not a registration token.
    refused = client.post("/store/customers", json={"email": "ada@example.com"}, headers=headers)
    assert_medusa_error(refused, 401, "unauthorized")


def test_a_v1_sign_up_with_a_bad_password_field_is_still_400(client):
    with make_client() as fresh:
        assert_medusa_error(fresh.post("/store/customers", json={"first_name": "A", "last_name": "B",
                                                                 "email": "a@b.co", "password": 12345678}),
                            400, "invalid_data")
