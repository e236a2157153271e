"""The claim endpoints: every status code they promise (docs/api.md)."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from storefront.config import get_settings
from tests.api.conftest import claim_token, guest_order, register
from tests.api.test_store_shop import assert_medusa_error

TOKEN_PATH = "/store/orders/batch/customer/token"
CONFIRM_PATH = "/store/orders/customer/confirm"


def test_full_claim_over_the_api(client, other_client):
    order = guest_order(other_client, "guest@example.com")
    customer = register(client, "ada@example.com")
    response = client.post(TOKEN_PATH, json={"order_ids": [order["id"]]})
    assert response.status_code == 200
    token = claim_token(client, "guest@example.com")
    confirmed = client.post(CONFIRM_PATH, json={"token": token})
    assert confirmed.status_code == 200 and confirmed.json()["orders"][0]["id"] == order["id"]
    mine = client.get("/store/customers/me/orders").json()["orders"]
    assert [o["id"] for o in mine] == [order["id"]]
    assert mine[0]["customer_id"] == customer["id"] and mine[0]["email"] == "guest@example.com"
    assert_medusa_error(client.post(CONFIRM_PATH, json={"token": token}), 400, "invalid_data")  # single use


def test_same_answer_whether_or_not_the_ids_exist(client, other_client):
    order = guest_order(other_client)
    register(client)
    real = client.post(TOKEN_PATH, json={"order_ids": [order["id"]]})
    fake = client.post(TOKEN_PATH, json={"order_ids": ["order_01JABCDEFGHJKMNPQRSTVWXYZ0"]})
    assert (real.status_code, real.content) == (fake.status_code, fake.content)


def test_not_logged_in_is_401(client):
    assert_medusa_error(client.post(TOKEN_PATH, json={"order_ids": ["order_01JABCDEFGHJKMNPQRSTVWXYZ0"]}), 401,
                        "unauthorized")
    assert_medusa_error(client.post(CONFIRM_PATH, json={"token": "x"}), 401, "unauthorized")


@pytest.mark.parametrize("body", [{}, {"order_ids": []}, {"order_ids": "order_01JABCDEFGHJKMNPQRSTVWXYZ0"},
                                  {"order_ids": ["nope"]}, {"order_ids": [None]},
                                  {"order_ids": [f"order_01JABCDEFGHJKMNPQRSTVWXY{i:02d}" for i in range(21)]}])
def test_malformed_token_requests_are_400(client, body):
    register(client)
    assert_medusa_error(client.post(TOKEN_PATH, json=body), 400, "invalid_data")


@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded", None])
def test_a_body_not_declared_json_is_415(client, content_type):
    register(client)
    headers = {"content-type": content_type} if content_type else {}
    response = client.post(TOKEN_PATH, content=b'{"order_ids": ["order_1"]}', headers=headers)
    assert_medusa_error(response, 415, "unsupported_media_type")


@pytest.mark.parametrize("body", [{}, {"token": ""}, {"token": 5}, {"token": "not.a.token"}])
def test_bad_tokens_are_400(client, body):
    register(client)
    assert_medusa_error(client.post(CONFIRM_PATH, json=body), 400, "invalid_data")


def test_expired_token_is_400_and_works_until_then(client, other_client, api_env):
    api_env.setenv("CLAIM_TOKEN_MAX_AGE", "60")
    get_settings.cache_clear()
    order = guest_order(other_client)
    register(client)
    asked = datetime.now(UTC)
    client.post(TOKEN_PATH, json={"order_ids": [order["id"]]})
    token = claim_token(client, "guest@example.com")
    # The whole process's clock moves (time_machine), whatever clock the link's expiry reads: no waiting.
    with time_machine.travel(asked + timedelta(seconds=62)):
        response = client.post(CONFIRM_PATH, json={"token": token})
    assert_medusa_error(response, 400, "invalid_data")
    assert "expired" in response.json()["message"]
    with time_machine.travel(asked + timedelta(seconds=55)):
        assert client.post(CONFIRM_PATH, json={"token": token}).status_code == 200


def test_another_customers_token_is_403(client, other_client):
    order = guest_order(other_client)
    register(client, "ada@example.com")
    client.post(TOKEN_PATH, json={"order_ids": [order["id"]]})
    token = claim_token(client, "guest@example.com")
    register(other_client, "eve@example.com")
    response = other_client.post(CONFIRM_PATH, json={"token": token})
    assert_medusa_error(response, 403, "not_allowed")
    assert other_client.get("/store/customers/me/orders").json()["count"] == 0
    assert client.post(CONFIRM_PATH, json={"token": token}).status_code == 200
