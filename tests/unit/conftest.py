"""Service tests: a fresh SQLite database per test, settings from a clean environment."""

from __future__ import annotations

import pytest
from sqlmodel import Session, SQLModel

from storefront import config, db
from storefront.db import make_engine
from storefront.services import ratelimit
from storefront.services.courier import courier

TEST_KEYS = ["test-key-current", "test-key-previous"]


@pytest.fixture(autouse=True)
def settings(monkeypatch, tmp_path):
    """Known settings for every test; the process-wide settings and engine caches are cleared around it."""
    for name in ("DATABASE_URL", "STORE_CORS", "SMTP_URL", "REDIS_URL", "OUTBOX_ENABLED"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("STOREFRONT_SECRET_KEYS", ",".join(TEST_KEYS))
    monkeypatch.setenv("STOREFRONT_BASE_URL", "http://shop.test")
    monkeypatch.setenv("MAIL_BACKEND", "outbox")
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'test.db'}")
    monkeypatch.chdir(tmp_path)  # no stray .env is read
    config.get_settings.cache_clear()
    db.get_engine.cache_clear()
    ratelimit.reset_all()
    yield config.get_settings()
    courier.wait_idle(15)  # mail this test queued is delivered into this test's database, not the next one's
    if db.get_engine.cache_info().currsize:
        db.get_engine().dispose()
    db.get_engine.cache_clear()
    config.get_settings.cache_clear()


@pytest.fixture
def engine(tmp_path, settings):
    engine = make_engine(settings.database_url)
    SQLModel.metadata.create_all(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def session(engine):
    with Session(engine, expire_on_commit=False) as session:
        yield session


@pytest.fixture(scope="session")
def lifecycle_pg(postgres_url):
    """A PostgreSQL database of its own for the tests that run on both databases, tables made once."""
    from bench import servers

    engine = make_engine(servers.create_database(postgres_url, "lifecycle_tests"))
    SQLModel.metadata.create_all(engine)
    yield engine
    engine.dispose()


@pytest.fixture(params=["sqlite", "postgres"])
def any_engine(request, engine):
    """The test's fresh SQLite database, then (second run) the PostgreSQL one, emptied first."""
    if request.param == "sqlite":
        yield engine
        return
    from sqlalchemy import text

    pg = request.getfixturevalue("lifecycle_pg")
    names = ", ".join(f'"{table.name}"' for table in SQLModel.metadata.sorted_tables)
    with pg.begin() as connection:
        connection.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    yield pg


@pytest.fixture
def any_session(any_engine):
    with Session(any_engine, expire_on_commit=False) as session:
        yield session
