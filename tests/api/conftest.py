"""REST API tests: the Starlette routes over a fresh, migrated database per test, SQLite and PostgreSQL.

Every API test runs twice, once per database: the promises (no 500, nothing half-written, one order per
cart) must hold on both.
"""

from __future__ import annotations

import itertools
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from starlette.testclient import TestClient

from storefront import config, db
from storefront.api.app import build_api
from storefront.api.edge import guard
from storefront.migrate import prepare_database
from storefront.services import ratelimit
from storefront.services.courier import courier

BASE = "http://localhost:3000"


_databases = itertools.count(1)
TEMPLATE = "storefront_api_template"


def _admin(postgres_url: str) -> psycopg.Connection:
    dsn = postgres_url.replace("postgresql+psycopg://", "postgresql://").rsplit("/", 1)[0] + "/postgres"
    return psycopg.connect(dsn, autocommit=True)


@pytest.fixture(scope="session")
def pg_template(postgres_url) -> str:
    """A migrated, seeded PostgreSQL database that each test copies (CREATE DATABASE ... TEMPLATE)."""
    with _admin(postgres_url) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {TEMPLATE}")
        admin.execute(f"CREATE DATABASE {TEMPLATE}")
    url = postgres_url.rsplit("/", 1)[0] + f"/{TEMPLATE}"
    prepare_database(url)
    return url


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory) -> Path:
    """A migrated, seeded SQLite file that each test copies: migrating costs ~60 ms a test, a copy under 1 ms."""
    path = tmp_path_factory.mktemp("sqlite-template") / "api.db"
    prepare_database(f"sqlite:///{path}")
    return path


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path) -> Iterator[str]:
    """A fresh, migrated database for one test."""
    if request.param == "sqlite":
        path = tmp_path / "api.db"
        # SQLite's own backup copies the pages as one consistent file, whatever its journal (WAL) holds.
        with sqlite3.connect(request.getfixturevalue("sqlite_template")) as template, sqlite3.connect(path) as copy:
            template.backup(copy)
        template.close()
        copy.close()
        yield f"sqlite:///{path}"
        return
    template = request.getfixturevalue("pg_template")
    name = f"storefront_api_{next(_databases)}"
    with _admin(template) as admin:
        admin.execute(f"CREATE DATABASE {name} TEMPLATE {TEMPLATE}")
    yield template.rsplit("/", 1)[0] + f"/{name}"
    db.get_engine.cache_clear()
    with _admin(template) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.fixture
def api_env(monkeypatch, tmp_path, database_url):
    url = database_url
    monkeypatch.chdir(tmp_path)
    for name in ("SMTP_URL", "REDIS_URL", "STORE_CORS", "CLAIM_TOKEN_MAX_AGE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("STOREFRONT_SECRET_KEYS", "api-test-key")
    monkeypatch.setenv("STOREFRONT_BASE_URL", BASE)
    monkeypatch.setenv("MAIL_BACKEND", "outbox")
    monkeypatch.setenv("OUTBOX_ENABLED", "1")
    config.get_settings.cache_clear()
    db.get_engine.cache_clear()
    ratelimit.reset_all()
    yield monkeypatch
    courier.wait_idle(15)  # mail this test queued is delivered into this test's database, not the next one's
    db.get_engine().dispose()
    db.get_engine.cache_clear()
    config.get_settings.cache_clear()


def make_client(peer: str = "testclient") -> TestClient:
    """A client of the routes behind the same edge guard the app runs them behind, from address `peer`."""
    return TestClient(guard(build_api()), base_url=BASE, follow_redirects=False, client=(peer, 50000))


@pytest.fixture
def client(api_env):
    with make_client() as client:
        yield client


@pytest.fixture
def other_client(api_env):
    with make_client() as client:
        yield client


def first_variant(client: TestClient) -> str:
    return client.get("/store/products").json()["products"][0]["variants"][0]["id"]


def guest_order(client: TestClient, email: str = "guest@example.com") -> dict:
    """A completed guest cart through the API; returns the order."""
    cart = client.post("/store/carts", json={"items": [{"variant_id": first_variant(client), "quantity": 2}]}).json()
    client.post(f"/store/carts/{cart['cart']['id']}", json={"email": email, "shipping_address": {
        "first_name": "Grace", "last_name": "Hopper", "address_1": "1 Harbour St", "city": "Arlington",
        "postal_code": "22201", "country_code": "us"}})
    done = client.post(f"/store/carts/{cart['cart']['id']}/complete")
    assert done.status_code == 200, done.text
    return done.json()["data"]


def register(client: TestClient, email: str = "ada@example.com") -> dict:
    response = client.post("/store/customers", json={"first_name": "Ada", "last_name": "Lovelace", "email": email,
                                                     "password": "correct horse battery"})
    assert response.status_code == 200, response.text
    return response.json()["customer"]


def claim_token(client: TestClient, to: str) -> str:
    from urllib.parse import parse_qs, urlsplit

    messages = client.get("/api/outbox/messages", params={"to": to}).json()["messages"]
    verify = next(link for m in messages if "claim" in m["subject"] for link in m["links"] if "/verify/?" in link)
    return parse_qs(urlsplit(verify).query)["token"][0]
