"""Medusa v2's order transfer and order list on the claims service: every status code, as js-sdk 2.x calls them
(bearer token), and the places this app is stricter than v2 (docs/api.md)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from storefront.models import utcnow
from storefront.services import claims, transfers
from storefront.services.runner import run
from tests.api.conftest import claim_token, guest_order, make_client, register
from tests.api.test_customer_auth import sign_up_v2
from tests.api.test_store_shop import assert_medusa_error

UNKNOWN = "order_01JABCDEFGHJKMNPQRSTVWXYZ0"


def transfer(order_id: str, action: str) -> str:
    return f"/store/orders/{order_id}/transfer/{action}"


def claim_mails(client, to: str = "guest@example.com") -> list[dict]:
    return [m for m in client.get("/api/outbox/messages", params={"to": to}).json()["messages"]
            if "claim" in m["subject"]]


def pk(customer_id: str) -> int:
    return int(customer_id.removeprefix("cus_"))


@pytest.fixture
def asked(client, other_client):
    """A guest order, a customer with a bearer token who asked to transfer it, and the emailed token."""
    order = guest_order(other_client, "guest@example.com")
    headers = sign_up_v2(client, "ada@example.com")
    response = client.post(transfer(order["id"], "request"), json={"description": "Bought it as a guest"},
                           headers=headers)
    assert response.status_code == 200, response.text
    return order, headers, claim_token(client, "guest@example.com")


def test_request_mails_the_order_email_and_accept_moves_the_order(client, other_client):
    order = guest_order(other_client, "guest@example.com")
    headers = sign_up_v2(client, "ada@example.com")
    me = client.get("/store/customers/me", headers=headers).json()["customer"]
    response = client.post(transfer(order["id"], "request"), json={}, headers=headers)
    assert response.status_code == 200
    shown = response.json()["order"]
    assert shown["id"] == order["id"] and shown["customer_id"] is None and shown["email"] == "guest@example.com"
    assert shown["display_id"] == order["display_id"] and shown["created_at"]
    assert shown["total"] == order["total"] / 100  # v2 counts in euros, v1 in cents
    assert shown["items"][0]["unit_price"] == order["items"][0]["unit_price"] / 100
    (mail,) = claim_mails(client)
    assert [link.split("?")[0] for link in mail["links"]] == ["http://localhost:3000/verify/",
                                                              "http://localhost:3000/decline/"]
    (pending,) = run(claims.list_claims, customer_id=pk(me["id"]))  # what My orders shows as pending
    assert pending.order_ids == [order["id"]] and pending.claim.order_email == "guest@example.com"
    token = claim_token(client, "guest@example.com")
    assert token not in response.text  # the token goes only to the order's email
    accepted = client.post(transfer(order["id"], "accept"), json={"token": token}, headers=headers)
    assert accepted.status_code == 200
    assert accepted.json()["order"]["customer_id"] == me["id"]
    assert accepted.json()["order"]["email"] == "guest@example.com"  # kept as placed
    listed = client.get("/store/orders", headers=headers).json()
    assert [o["id"] for o in listed["orders"]] == [order["id"]]
    assert (listed["count"], listed["offset"], listed["limit"]) == (1, 0, 50)
    assert_medusa_error(client.post(transfer(order["id"], "accept"), json={"token": token}, headers=headers), 400,
                        "invalid_data")  # used once
    assert_medusa_error(client.post(transfer(order["id"], "request"), json={}, headers=headers), 400,
                        "invalid_data")  # already the customer's


def test_one_claim_core_v2_tokens_confirm_in_v1_and_v1_tokens_accept_in_v2(client, other_client):
    first, second = guest_order(other_client, "one@example.com"), guest_order(other_client, "two@example.com")
    headers = sign_up_v2(client)
    client.post(transfer(first["id"], "request"), json={}, headers=headers)
    confirmed = client.post("/store/orders/customer/confirm", json={"token": claim_token(client, "one@example.com")},
                            headers=headers)
    assert confirmed.status_code == 200 and confirmed.json()["orders"][0]["id"] == first["id"]
    client.post("/store/orders/batch/customer/token", json={"order_ids": [second["id"]]}, headers=headers)
    accepted = client.post(transfer(second["id"], "accept"), json={"token": claim_token(client, "two@example.com")},
                           headers=headers)
    assert accepted.status_code == 200
    assert client.get("/store/orders", headers=headers).json()["count"] == 2


def test_request_refusals(client, other_client):
    mine = guest_order(other_client, "guest@example.com")
    taken = guest_order(other_client, "taken@example.com")
    assert_medusa_error(client.post(transfer(mine["id"], "request"), json={}), 401, "unauthorized")
    owner = sign_up_v2(other_client, "owner@example.com")
    other_client.post(transfer(taken["id"], "request"), json={}, headers=owner)
    other_client.post(transfer(taken["id"], "accept"), json={"token": claim_token(other_client, "taken@example.com")},
                      headers=owner)
    headers = sign_up_v2(client, "ada@example.com")
    mails_before = len(client.get("/api/outbox/messages").json()["messages"])
    assert_medusa_error(client.post(transfer(UNKNOWN, "request"), json={}, headers=headers), 404, "not_found")
    assert_medusa_error(client.post(transfer("nope", "request"), json={}, headers=headers), 404, "not_found")
    refused = client.post(transfer(taken["id"], "request"), json={}, headers=headers)
    assert_medusa_error(refused, 400, "invalid_data")
    assert "another account" in refused.json()["message"]
    for body in ({"description": 5}, {"description": "x" * 501}):
        assert_medusa_error(client.post(transfer(mine["id"], "request"), json=body, headers=headers), 400,
                            "invalid_data")
    response = client.post(transfer(mine["id"], "request"), content=b"{}", headers={**headers,
                                                                                      "content-type": "text/plain"})
    assert_medusa_error(response, 415, "unsupported_media_type")
    assert len(client.get("/api/outbox/messages").json()["messages"]) == mails_before  # no refusal sent mail


def test_the_customer_limit_is_429_with_retry_after_and_sends_nothing(client, other_client):
    order = guest_order(other_client, "guest@example.com")
    headers = sign_up_v2(client)
    answers = [client.post(transfer(order["id"], "request"), json={}, headers=headers) for _ in range(6)]
    assert [a.status_code for a in answers] == [200] * 5 + [429]
    assert_medusa_error(answers[-1], 429, "too_many_requests")
    assert 3500 <= int(answers[-1].headers["retry-after"]) <= 3600
    assert "asked for 5 links in the last hour" in answers[-1].json()["message"]
    assert len(claim_mails(client)) == 5


def test_the_per_order_limit_stays_silent_as_in_v1(client, other_client):
    order = guest_order(other_client, "guest@example.com")
    answers = []
    for n in range(6):
        with make_client() as each:
            register(each, f"asker{n}@example.com")
            answers.append(each.post(transfer(order["id"], "request"), json={}))
    assert [a.status_code for a in answers] == [200] * 6
    assert answers[5].content == answers[4].content  # the sixth is not told that it sent nothing
    assert len(claim_mails(client)) == 5


def test_accept_needs_the_customer_who_asked(client, other_client, asked):
    order, headers, token = asked
    assert_medusa_error(other_client.post(transfer(order["id"], "accept"), json={"token": token}), 403,
                        "not_allowed")  # v2 needs no login here; we need the customer who asked
    eve = sign_up_v2(other_client, "eve@example.com")
    forbidden = other_client.post(transfer(order["id"], "accept"), json={"token": token}, headers=eve)
    assert_medusa_error(forbidden, 403, "not_allowed")
    assert other_client.get("/store/orders", headers=eve).json()["count"] == 0
    assert client.post(transfer(order["id"], "accept"), json={"token": token}, headers=headers).status_code == 200


@pytest.mark.parametrize("body", [{}, {"token": ""}, {"token": 5}, {"token": "not.a.token"}, {"token": "x" * 600}])
def test_bad_tokens_are_400_never_500(client, asked, body):
    order, headers, _token = asked
    assert_medusa_error(client.post(transfer(order["id"], "accept"), json=body, headers=headers), 400,
                        "invalid_data")
    assert_medusa_error(client.post(transfer(order["id"], "decline"), json=body), 400, "invalid_data")


def test_a_token_for_another_order_is_400(client, other_client, asked):
    _order, headers, token = asked
    elsewhere = guest_order(other_client, "guest@example.com")
    response = client.post(transfer(elsewhere["id"], "accept"), json={"token": token}, headers=headers)
    assert_medusa_error(response, 400, "invalid_data")
    assert "another order" in response.json()["message"]
    assert_medusa_error(client.post(transfer(UNKNOWN, "decline"), json={"token": token}), 400, "invalid_data")


def test_an_expired_token_is_400(client, other_client):
    order = guest_order(other_client, "guest@example.com")
    headers = sign_up_v2(client)
    me = client.get("/store/customers/me", headers=headers).json()["customer"]
    asked_at = utcnow() - timedelta(seconds=3600 + 5)  # CLAIM_TOKEN_MAX_AGE's default is an hour
    run(transfers.request_transfer, customer_id=pk(me["id"]), order_id=order["id"], now=asked_at)
    response = client.post(transfer(order["id"], "accept"), json={"token": claim_token(client, "guest@example.com")},
                           headers=headers)
    assert_medusa_error(response, 400, "invalid_data")
    assert "expired" in response.json()["message"]


def test_decline_needs_no_login_tells_the_asker_and_ends_the_token(client, other_client, asked):
    order, headers, token = asked
    declined = other_client.post(transfer(order["id"], "decline"), json={"token": token})
    assert declined.status_code == 200 and declined.json()["order"]["customer_id"] is None
    told = client.get("/api/outbox/messages", params={"to": "ada@example.com"}).json()["messages"]
    assert any("declined" in m["subject"].lower() or "declined" in m["text"].lower() for m in told)
    refused = client.post(transfer(order["id"], "accept"), json={"token": token}, headers=headers)
    assert_medusa_error(refused, 400, "invalid_data")
    assert "declined" in refused.json()["message"]
    assert_medusa_error(other_client.post(transfer(order["id"], "decline"), json={"token": token}), 400,
                        "invalid_data")


def test_cancel_by_the_asker_ends_the_token_and_nobody_else_can_cancel(client, other_client, asked):
    order, headers, token = asked
    assert_medusa_error(other_client.post(transfer(order["id"], "cancel")), 401, "unauthorized")
    eve = sign_up_v2(other_client, "eve@example.com")
    assert_medusa_error(other_client.post(transfer(order["id"], "cancel"), headers=eve), 404, "not_found")
    assert_medusa_error(client.post(transfer(UNKNOWN, "cancel"), headers=headers), 404, "not_found")
    cancelled = client.post(transfer(order["id"], "cancel"), headers=headers)  # js-sdk sends no body
    assert cancelled.status_code == 200 and cancelled.json()["order"]["id"] == order["id"]
    refused = client.post(transfer(order["id"], "accept"), json={"token": token}, headers=headers)
    assert_medusa_error(refused, 400, "invalid_data")
    assert "cancelled" in refused.json()["message"]
    assert_medusa_error(client.post(transfer(order["id"], "cancel"), json={}, headers=headers), 404, "not_found")


def test_the_order_list_is_the_customers_own_and_pages(client, other_client):
    assert_medusa_error(client.get("/store/orders"), 401, "unauthorized")
    headers = sign_up_v2(client)
    for email in ("one@example.com", "two@example.com"):
        order = guest_order(other_client, email)
        client.post(transfer(order["id"], "request"), json={}, headers=headers)
        client.post(transfer(order["id"], "accept"), json={"token": claim_token(client, email)}, headers=headers)
    guest_order(other_client, "three@example.com")  # a guest's, not in the list
    page = client.get("/store/orders", params={"limit": 1, "offset": 1}, headers=headers).json()
    assert (page["count"], page["offset"], page["limit"], len(page["orders"])) == (2, 1, 1, 1)
    assert page["orders"][0]["email"] == "one@example.com"  # newest first
    for query in ({"limit": 0}, {"limit": 101}, {"offset": -1}, {"limit": "ten"}):
        assert_medusa_error(client.get("/store/orders", params=query, headers=headers), 400, "invalid_data")
