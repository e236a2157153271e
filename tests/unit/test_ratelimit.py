"""Rate limits count atomically in both storages: this process's memory, and Redis (several workers)."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from storefront import config
from storefront.services import ratelimit
from storefront.services.errors import TooManyAttempts

RULE = ratelimit.Rule("test-burst", "5/hour")


@pytest.fixture(params=["memory", "redis"])
def storage(request, monkeypatch):
    if request.param == "redis":
        monkeypatch.setenv("REDIS_URL", request.getfixturevalue("redis_url"))
    config.get_settings.cache_clear()
    ratelimit.reset_all()
    yield request.param
    ratelimit.reset_all()
    config.get_settings.cache_clear()


def test_a_parallel_burst_gets_exactly_the_limit_through(storage):
    start = threading.Barrier(40)

    def attempt(_):
        start.wait()
        return ratelimit.allow(RULE, "customer-1")

    with ThreadPoolExecutor(max_workers=40) as pool:
        answers = list(pool.map(attempt, range(40)))
    assert answers.count(True) == 5
    assert ratelimit.storage_url().startswith("redis://" if storage == "redis" else "memory://")


def test_a_refusal_says_how_long_to_wait_and_counts_nothing(storage):
    for _ in range(5):
        ratelimit.hit(RULE, "customer-2")
    with pytest.raises(TooManyAttempts) as refused:
        ratelimit.hit(RULE, "customer-2")
    assert 3590 <= refused.value.retry_after <= 3600 and refused.value.wait_words() == "60 minutes"
    assert ratelimit.allow(RULE, "customer-3")  # others are not affected
    ratelimit.clear(RULE, "customer-2")
    assert ratelimit.allow(RULE, "customer-2")


def test_huge_identifiers_become_fixed_size_keys(storage):
    assert ratelimit.allow(RULE, "x" * 10_000_000)
    assert len(ratelimit._key(RULE, ("x" * 10_000_000,))) < 100
    assert ratelimit.allow(RULE, "\ud800 not valid unicode")  # hashed as it came


def test_the_private_limits_hook_the_swept_storage_overrides_still_exists():
    """_SweptMemoryStorage replaces a private method of `limits`' MemoryStorage: an upgrade that renames it would
    quietly bring back a sweep after every hit (13% of a claim's profile), so this fails first."""
    from limits.storage import MemoryStorage

    assert callable(getattr(MemoryStorage, "_MemoryStorage__schedule_expiry", None))
    assert callable(getattr(MemoryStorage, "_MemoryStorage__expire_events", None))
    storage = ratelimit._SweptMemoryStorage()
    storage.timer.join(1)  # the sweep its constructor starts
    limiter = ratelimit.MovingWindowRateLimiter(storage)
    limiter.hit(ratelimit.Rule("hook", "5/hour").items[0], "key")
    assert storage.timer.is_alive() and storage.timer.interval == ratelimit.SWEEP_SECONDS
    storage.timer.cancel()
