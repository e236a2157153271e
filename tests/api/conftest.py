"""REST API tests: the Starlette routes over a fresh, migrated database per test, SQLite and PostgreSQL.

Every API test runs twice, once per database: the promises (no 500, nothing half-written, one order per
cart) must hold on both.
"""

from __future__ import annotations

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


TEMPLATE = "storefront_api_template"


def _admin(postgres_url: str) -> psycopg.Connection:
    dsn = postgres_url.replace("postgresql+psycopg://", "postgresql://").rsplit("/", 1)[0] + "/postgres"
    return psycopg.connect(dsn, autocommit=True)


@pytest.fixture(scope="session")
def pg_template(postgres_url) -> str:
    """A migrated, seeded PostgreSQL database that each test process copies once (CREATE DATABASE ... TEMPLATE)."""
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


class PostgresCopy:
    """This test process's own copy of the template database, put back to the template's state before each test.

    Emptying it (TRUNCATE, and the template's few rows written back) takes a few ms; a new database from the
    template (CREATE DATABASE ... TEMPLATE) took ~0.2 s a test under the suite's load, for ~330 tests.
    """

    def __init__(self, template_url: str, name: str) -> None:
        self.url = template_url.rsplit("/", 1)[0] + f"/{name}"
        with _admin(template_url) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
            admin.execute(f"CREATE DATABASE {name} TEMPLATE {TEMPLATE}")
        with self._connect() as copy:
            # RESTART IDENTITY starts every sequence again, which is the template's state only while the
            # template has used none (its rows have text IDs): a seed that takes numbers must change this class.
            used = copy.execute("SELECT sequencename FROM pg_sequences WHERE last_value IS NOT NULL").fetchall()
            assert not used, f"the template has used sequences {used}: TRUNCATE ... RESTART IDENTITY would not match it"
            self.tables = [name for (name,) in copy.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'alembic_version'")]
            self.rows = {table: copy.execute(f'SELECT * FROM "{table}"').fetchall() for table in self.tables}
        self.rows = {table: rows for table, rows in self.rows.items() if rows}

    def _connect(self) -> psycopg.Connection:
        return psycopg.connect(self.url.replace("postgresql+psycopg://", "postgresql://"), autocommit=True)

    def reset(self) -> None:
        with self._connect() as copy:
            # A connection a test left open would hold its locks: end it, as DROP DATABASE ... WITH (FORCE) did.
            copy.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                         "WHERE datname = current_database() AND pid <> pg_backend_pid()")
            with copy.transaction():
                copy.execute("TRUNCATE " + ", ".join(f'"{table}"' for table in self.tables)
                             + " RESTART IDENTITY CASCADE")
                # The rows go back in any order (variants may come before their products): no foreign key
                # trigger fires for this transaction's writes. The test server runs as its superuser.
                copy.execute("SET LOCAL session_replication_role = replica")
                for table, rows in self.rows.items():
                    marks = ", ".join(["%s"] * len(rows[0]))
                    with copy.cursor() as cursor:
                        cursor.executemany(f'INSERT INTO "{table}" VALUES ({marks})', rows)


@pytest.fixture(scope="session")
def pg_copy(pg_template, worker_id) -> PostgresCopy:
    return PostgresCopy(pg_template, f"storefront_api_{worker_id}")


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
    pg_copy = request.getfixturevalue("pg_copy")
    pg_copy.reset()
    yield pg_copy.url
    db.get_engine.cache_clear()


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
