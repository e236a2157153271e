"""Shared fixtures: the production app, started once per test session, and Chromium."""

from __future__ import annotations

import glob
import os
import shutil

import pytest
from hypothesis import settings

from bench import chromium, servers
from bench.app_process import RunningApp, kept_build_folder, start_app
from storefront.services import passwords

# Generated examples per property test: about 100 in `make test`; `make test-deep` (--hypothesis-profile=deep)
# runs ten times as many.
settings.register_profile("suite", max_examples=100)
settings.register_profile("deep", max_examples=1000)
settings.load_profile("suite")

# argon2id at its floor (8 KiB, one pass) for the in-process tests: at the app's 19 MiB and 2 passes, every
# test user's hash and login costs ~50 ms of a shared core. The tests of hashing itself ask for the real
# parameters with the real_password_hashes fixture.
REAL_ARGON2_PARAMS = dict(passwords.ARGON2_PARAMS)
CHEAP_ARGON2_PARAMS = {"memory_cost": 8, "time_cost": 1, "parallelism": 1}


def _use_argon2_params(patch: pytest.MonkeyPatch, params: dict[str, int]) -> None:
    patch.setattr(passwords, "ARGON2_PARAMS", params)
    passwords.default_context.cache_clear()
    passwords._dummy_hash.cache_clear()


@pytest.fixture(autouse=True, scope="session")
def cheap_password_hashes():
    """Hash and verify passwords with the cheapest argon2id parameters in this process (not in the apps the
    e2e tests start)."""
    with pytest.MonkeyPatch.context() as patch:
        _use_argon2_params(patch, CHEAP_ARGON2_PARAMS)
        yield
    passwords.default_context.cache_clear()
    passwords._dummy_hash.cache_clear()


@pytest.fixture
def real_password_hashes(monkeypatch):
    """The app's own argon2id parameters, for a test about them (a hash made with weaker ones is upgraded)."""
    _use_argon2_params(monkeypatch, REAL_ARGON2_PARAMS)
    yield
    passwords.default_context.cache_clear()  # the session's cheap parameters are back: no context of these
    passwords._dummy_hash.cache_clear()


@pytest.fixture(autouse=True, scope="session")
def no_timed_mail_rounds():
    """In-process tests deliver mail only when their own commit wakes the courier.

    Its 30 s retry timer would otherwise fire in the middle of another test's setup, while that test's settings
    are half changed, and cache an engine for the wrong database. (Apps started by the e2e tests keep it.)
    """
    from storefront.services import courier

    courier.courier.period = None
    yield
    courier.courier.period = courier.FLUSH_SECONDS


class LimitClock:
    """A settable clock for the rate limits (the `limits` library reads time.time())."""

    def __init__(self) -> None:
        import time as real_time

        self.now = real_time.time()

    def time(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def limit_clock(monkeypatch) -> LimitClock:
    """Move the rate limits' clock forward without waiting."""
    import limits.storage.memory

    from storefront.services import ratelimit

    clock = LimitClock()
    monkeypatch.setattr(limits.storage.memory, "time", clock)
    monkeypatch.setattr(ratelimit, "time", clock)
    return clock


@pytest.fixture(scope="session")
def app_server(tmp_path_factory) -> RunningApp:
    """The app as `make run` serves it, once for the whole test session."""
    with start_app(tmp_path_factory.mktemp("app")) as app:
        yield app


@pytest.fixture(scope="session")
def shop_on_postgres_and_redis(tmp_path_factory, postgres_url, redis_url) -> RunningApp:
    """The app on PostgreSQL with its page state in Redis and several backend workers, once per test session.

    The Redis tests and the bench smoke run share it: a production build costs a minute on 2 cores. Its
    database is its own on the session's PostgreSQL server, which other tests empty and migrate at will.
    """
    database_url = servers.create_database(postgres_url, "storefront_e2e")
    workdir = tmp_path_factory.mktemp("postgres-redis")
    with start_app(workdir, DATABASE_URL=database_url, REDIS_URL=redis_url,
                   web_dir=kept_build_folder("postgres-redis")) as app:
        yield app


@pytest.fixture(scope="session")
def browser():
    """The headless Chromium of bench/chromium.py (Debian's headless shell where installed)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = chromium.launch(playwright)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def postgres_url():
    """A throwaway PostgreSQL server (Debian's binaries) for this test session: bench/servers.py starts it.

    Skipped only where no PostgreSQL is installed and not in CI: CI installs it and must run these tests.
    """
    if not glob.glob("/usr/lib/postgresql/*/bin/initdb"):
        _missing_server("PostgreSQL")
    with servers.postgres() as (url, _):
        yield url


def _missing_server(what: str) -> None:
    """Skip where a test server is not installed, except in CI: there `make install-test` must have installed it."""
    if os.environ.get("CI"):
        pytest.fail(f"{what} is not installed: `make install-test` (run by `make test`) should have installed it")
    pytest.skip(f"{what} is not installed here")


@pytest.fixture(scope="session")
def redis_url():
    """A throwaway Redis server (Debian's redis-server) for this test session, nothing saved to disk."""
    if not shutil.which("redis-server"):
        _missing_server("Redis")
    with servers.redis() as (url, _):
        yield url
