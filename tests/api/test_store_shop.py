"""Products, carts, checkout and orders over the store API."""

import pytest

from tests.api.conftest import first_variant, guest_order, register


def assert_medusa_error(response, status: int, type_: str) -> None:
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"code", "type", "message"} and body["type"] == type_ and body["message"]


def test_products_have_variants_with_prices(client):
    body = client.get("/store/products").json()
    assert body["count"] == len(body["products"]) >= 6 and body["offset"] == 0
    variant = body["products"][0]["variants"][0]
    assert variant["id"].startswith("variant_") and variant["prices"][0]["amount"] > 0


def test_guest_cart_to_order(client):
    cart = client.post("/store/carts", json={}).json()["cart"]
    assert cart["items"] == [] and cart["id"].startswith("cart_")
    item = {"variant_id": first_variant(client), "quantity": 3}
    added = client.post(f"/store/carts/{cart['id']}/line-items", json=item)
    assert added.status_code == 200 and added.json()["cart"]["items"][0]["quantity"] == 3
    order = guest_order(client, "Guest@Example.com")
    assert order["id"].startswith("order_") and order["email"] == "guest@example.com"
    assert order["customer_id"] is None and order["items"][0]["quantity"] == 2
    assert order["total"] == order["subtotal"] + order["shipping_total"]
    fetched = client.get(f"/store/orders/{order['id']}")
    assert fetched.status_code == 200 and fetched.json()["order"]["id"] == order["id"]


def test_unknown_things_are_404(client):
    assert_medusa_error(client.get("/store/orders/order_01JABCDEFGHJKMNPQRSTVWXYZ0"), 404, "not_found")
    assert_medusa_error(client.get("/store/orders/not-an-id"), 404, "not_found")
    assert_medusa_error(client.post("/store/carts/cart_nope/line-items", json={"variant_id": "v", "quantity": 1}),
                        404, "not_found")
    cart = client.post("/store/carts").json()["cart"]
    assert_medusa_error(client.post(f"/store/carts/{cart['id']}/line-items",
                                    json={"variant_id": "variant_nope", "quantity": 1}), 404, "not_found")


@pytest.mark.parametrize("body", [b"{not json", b"[1, 2]", b'"text"'])
def test_malformed_bodies_are_400_not_500(client, body):
    response = client.post("/store/carts", content=body, headers={"content-type": "application/json"})
    assert_medusa_error(response, 400, "invalid_data")


@pytest.mark.parametrize("item", [{"quantity": 1}, {"variant_id": 5}, {"variant_id": "x", "quantity": "2"},
                                  {"variant_id": "x", "quantity": 0}])
def test_bad_line_items_are_400(client, item):
    cart = client.post("/store/carts").json()["cart"]
    if item.get("variant_id") == "x":
        item["variant_id"] = first_variant(client)
    assert_medusa_error(client.post(f"/store/carts/{cart['id']}/line-items", json=item), 400, "invalid_data")


def test_incomplete_checkout_is_400_and_loses_nothing(client):
    cart = client.post("/store/carts", json={"items": [{"variant_id": first_variant(client), "quantity": 1}]})
    cart_id = cart.json()["cart"]["id"]
    assert_medusa_error(client.post(f"/store/carts/{cart_id}/complete"), 400, "invalid_data")
    assert client.get(f"/store/carts/{cart_id}").json()["cart"]["items"][0]["quantity"] == 1


def test_completing_a_cart_twice_answers_with_the_one_order(client):
    cart = client.post("/store/carts", json={"items": [{"variant_id": first_variant(client), "quantity": 1}]})
    cart_id = cart.json()["cart"]["id"]
    client.post(f"/store/carts/{cart_id}", json={"email": "g@example.com", "shipping_address": {
        "first_name": "A", "last_name": "B", "address_1": "x", "city": "y", "postal_code": "1", "country_code": "de"}})
    first = client.post(f"/store/carts/{cart_id}/complete")
    again = client.post(f"/store/carts/{cart_id}/complete")  # as Medusa v1: the completed cart's order
    assert first.status_code == again.status_code == 200
    assert again.json()["data"]["id"] == first.json()["data"]["id"]


def test_a_country_the_shop_does_not_ship_to_is_400_and_places_no_order(client):
    cart = client.post("/store/carts", json={"items": [{"variant_id": first_variant(client), "quantity": 1}]})
    cart_id = cart.json()["cart"]["id"]
    address = {"first_name": "A", "address_1": "x", "city": "y", "postal_code": "1", "country_code": "ZZ"}
    client.post(f"/store/carts/{cart_id}", json={"email": "g@example.com", "shipping_address": address})
    refused = client.post(f"/store/carts/{cart_id}/complete")
    assert_medusa_error(refused, 400, "invalid_data")
    assert "ship" in refused.json()["message"]
    assert client.get("/api/outbox/messages").json()["messages"] == []  # no order, so no confirmation
    client.post(f"/store/carts/{cart_id}", json={"shipping_address": {"country_code": "DE"}})
    done = client.post(f"/store/carts/{cart_id}/complete")
    assert done.status_code == 200, done.text
    assert done.json()["data"]["shipping_address"]["country_code"] == "de"


def test_guest_checkout_with_an_account_email_is_refused(client, other_client):
    register(other_client, "ada@example.com")
    cart = client.post("/store/carts", json={"items": [{"variant_id": first_variant(client), "quantity": 1}]})
    cart_id = cart.json()["cart"]["id"]
    client.post(f"/store/carts/{cart_id}", json={"email": "ADA@example.com", "shipping_address": {
        "first_name": "A", "last_name": "B", "address_1": "x", "city": "y", "postal_code": "1", "country_code": "de"}})
    assert_medusa_error(client.post(f"/store/carts/{cart_id}/complete"), 422, "duplicate_error")


def test_logged_in_checkout_joins_the_account(client):
    customer = register(client)
    order = guest_order(client, "ignored@example.com")
    assert order["customer_id"] == customer["id"] and order["email"] == "ada@example.com"
    mine = client.get("/store/customers/me/orders").json()
    assert mine["count"] == 1 and mine["orders"][0]["id"] == order["id"]
    assert (mine["offset"], mine["limit"]) == (0, 10)


def test_one_name_is_enough_and_every_missing_field_is_named(client):
    cart = client.post("/store/carts", json={"items": [{"variant_id": first_variant(client), "quantity": 1}]})
    cart_id = cart.json()["cart"]["id"]
    client.post(f"/store/carts/{cart_id}", json={"email": "cher@example.com", "shipping_address": {
        "first_name": "Cher", "country_code": "us"}})
    missing = client.post(f"/store/carts/{cart_id}/complete")
    assert_medusa_error(missing, 400, "invalid_data")
    assert missing.json()["message"] == "Enter your street address. Enter your city. Enter your postal code."
    client.post(f"/store/carts/{cart_id}", json={"shipping_address": {
        "address_1": "1 Sunset Blvd", "city": "Los Angeles", "postal_code": "90028"}})
    done = client.post(f"/store/carts/{cart_id}/complete")
    assert done.status_code == 200, done.text
    address = done.json()["data"]["shipping_address"]
    assert address["first_name"] == "Cher" and address["last_name"] is None
