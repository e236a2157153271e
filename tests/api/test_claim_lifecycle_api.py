"""The claim lifecycle over REST: each stale link answers 400 with its own reason, and an order's history."""

import pytest

from tests.api.conftest import claim_token, guest_order, make_client, register
from tests.api.test_store_shop import assert_medusa_error

TOKEN_PATH = "/store/orders/batch/customer/token"
CONFIRM_PATH = "/store/orders/customer/confirm"


def events_path(order_id: str) -> str:
    return f"/store/customers/me/orders/{order_id}/events"


def ask(client, order_id, to="guest@example.com") -> str:
    assert client.post(TOKEN_PATH, json={"order_ids": [order_id]}).status_code == 200
    return claim_token(client, to)


def test_asking_twice_leaves_one_open_claim_and_the_first_link_points_to_the_newer(client, other_client):
    order = guest_order(other_client)
    register(client)
    first = ask(client, order["id"])
    second = ask(client, order["id"])
    stale = client.post(CONFIRM_PATH, json={"token": first})
    assert_medusa_error(stale, 400, "invalid_data")
    assert "newer" in stale.json()["message"] and "guest@example.com" in stale.json()["message"]
    assert client.post(CONFIRM_PATH, json={"token": second}).status_code == 200


def test_the_loser_of_two_customers_hears_another_account_never_an_empty_success(client, other_client):
    order = guest_order(other_client)
    register(client, "ada@example.com")
    ada_token = ask(client, order["id"])
    bob = make_client()
    register(bob, "bob@example.com")
    bob_token = ask(bob, order["id"])
    assert bob.post(CONFIRM_PATH, json={"token": bob_token}).status_code == 200
    lost = client.post(CONFIRM_PATH, json={"token": ada_token})
    assert_medusa_error(lost, 400, "invalid_data")
    assert "another account" in lost.json()["message"] and "bob" not in lost.json()["message"]
    assert client.get("/store/customers/me/orders").json()["orders"] == []


def test_history_over_rest_for_the_owner_with_cookie_or_bearer(client, other_client):
    order = guest_order(other_client)
    customer = register(client, "ada@example.com")
    client.post(f"/store/orders/{order['id']}/transfer/decline", json={"token": ask(client, order["id"])})
    assert client.post(CONFIRM_PATH, json={"token": ask(client, order["id"])}).status_code == 200
    answer = client.get(events_path(order["id"]))
    assert answer.status_code == 200
    events = answer.json()["events"]
    assert [e["type"] for e in events] == ["placed", "claim_requested", "link_sent", "declined", "claim_requested",
                                           "link_sent", "confirmed"]
    assert [e["actor"] for e in events][:4] == ["order_email", "customer", "system", "order_email"]
    assert all(e["created_at"] and e["message"] for e in events) and events[2]["email"] == "guest@example.com"
    bearer = make_client().post("/auth/customer/emailpass",
                                json={"email": customer["email"], "password": "correct horse battery"})
    assert bearer.status_code == 200
    authorization = {"Authorization": f"Bearer {bearer.json()['token']}"}
    by_token = make_client().get(events_path(order["id"]), headers=authorization)
    assert by_token.status_code == 200 and by_token.json()["events"] == events


@pytest.mark.parametrize("order_id", ["someone-elses", "order_01JABCDEFGHJKMNPQRSTVWXYZ0", "x" * 300, "%00"])
def test_history_is_the_same_404_for_an_unknown_or_someone_elses_order(client, other_client, order_id):
    order = guest_order(other_client)
    register(client)
    target = order["id"] if order_id == "someone-elses" else order_id
    answer = client.get(events_path(target))
    assert_medusa_error(answer, 404, "not_found")
    assert answer.json()["message"] == "We could not find that order in your account."


def test_history_needs_a_login(client):
    assert_medusa_error(client.get(events_path("order_01JABCDEFGHJKMNPQRSTVWXYZ0")), 401, "unauthorized")
