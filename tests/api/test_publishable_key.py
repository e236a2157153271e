"""STORE_PUBLISHABLE_KEY: when set, /store/* needs the x-publishable-api-key header (Medusa v2 answers 400)."""

from __future__ import annotations

import pytest

from storefront import config
from tests.api.test_store_shop import assert_medusa_error

KEY = "pk_01JTESTPUBLISHABLEKEY"


@pytest.fixture
def keyed(api_env):
    api_env.setenv("STORE_PUBLISHABLE_KEY", KEY)
    config.get_settings.cache_clear()


def test_without_the_setting_no_key_is_needed(client):
    assert client.get("/store/products").status_code == 200


def test_store_routes_need_the_key_when_it_is_set(client, keyed):
    missing = client.get("/store/products")
    assert_medusa_error(missing, 400, "invalid_data")
    assert "x-publishable-api-key" in missing.json()["message"]
    assert_medusa_error(client.get("/store/products", headers={"x-publishable-api-key": KEY + "x"}), 400,
                        "invalid_data")
    assert_medusa_error(client.post("/store/carts", json={}), 400, "invalid_data")
    assert client.get("/store/products", headers={"x-publishable-api-key": KEY}).status_code == 200


def test_the_key_guards_only_the_store_routes(client, keyed):
    response = client.post("/auth/customer/emailpass", json={"email": "ada@example.com", "password": "wrong one"})
    assert_medusa_error(response, 401, "unauthorized")  # Medusa's /auth routes take no publishable key
    assert client.get("/api/outbox/messages").status_code == 200
