"""Rate limits, on the maintained `limits` library: moving windows whose check-and-count is one atomic step.

Counts live in this process's memory, or in Redis when REDIS_URL is set, so several backend workers (which
Reflex only runs with Redis) share them. `limits` counts a hit atomically in both (a lock in memory, a Lua
script in Redis): twenty parallel requests against a limit of five get exactly five through.

Identifiers are hashed before they become storage keys, so a 10 MB email costs the store 64 bytes.
"""

from __future__ import annotations

import hashlib
import math
import threading
import time
from dataclasses import dataclass
from functools import lru_cache

from limits import RateLimitItem, parse_many
from limits.storage import MemoryStorage, Storage, storage_from_string
from limits.strategies import MovingWindowRateLimiter

from storefront.config import get_settings
from storefront.services.errors import TooManyAttempts


@dataclass(frozen=True)
class Rule:
    """A named set of limits that all apply, e.g. "5/minute;10/15 minutes" for a growing delay."""

    name: str
    spec: str

    @property
    def items(self) -> list[RateLimitItem]:
        return _parse(self.spec)


@lru_cache
def _parse(spec: str) -> list[RateLimitItem]:
    return parse_many(spec)


SWEEP_SECONDS = 1.0


class _SweptMemoryStorage(MemoryStorage):
    """`limits`' in-memory storage, sweeping out expired counts once a second rather than 10 ms after every hit.

    Its sweep walks every key it holds (a key per customer, order, client...) in a new thread: under load that ran
    about 100 times a second and was 13% of a claim's profile (docs/performance.md). The moving window
    reads the timestamps itself, so a later sweep only frees memory later; it never lets an attempt through.
    """

    def _MemoryStorage__schedule_expiry(self) -> None:  # the parent's private hook, called on every hit
        if not self.timer.is_alive():
            self.timer = threading.Timer(SWEEP_SECONDS, self._MemoryStorage__expire_events)
            self.timer.daemon = True
            self.timer.start()


@lru_cache
def _limiter(url: str) -> MovingWindowRateLimiter:
    return MovingWindowRateLimiter(_SweptMemoryStorage() if url == "memory://" else storage_from_string(url))


def storage_url() -> str:
    """Where counts live: Redis when the app has it (several workers), else this process's memory."""
    redis_url = get_settings().redis_url
    return redis_url if redis_url else "memory://"


def limiter() -> MovingWindowRateLimiter:
    """The process-wide limiter for the configured storage."""
    return _limiter(storage_url())


def storage() -> Storage:
    return limiter().storage


def _key(rule: Rule, parts: tuple[object, ...]) -> str:
    joined = "\x1f".join(str(part) for part in parts).encode("utf-8", "surrogatepass")
    return f"{rule.name}:{hashlib.sha256(joined).hexdigest()[:32]}"


def retry_after(rule: Rule, *parts: object) -> int:
    """Seconds until `rule` lets the next attempt for `parts` through (0 when it would now)."""
    key, now, wait = _key(rule, parts), time.time(), 0.0
    for item in rule.items:
        if not limiter().test(item, key):
            wait = max(wait, limiter().get_window_stats(item, key).reset_time - now)
    return max(1, math.ceil(wait)) if wait > 0 else 0


def allow(rule: Rule, *parts: object) -> bool:
    """Count one attempt against every limit of `rule`; False (and nothing counted) once one is used up."""
    key = _key(rule, parts)
    if not all(limiter().test(item, key) for item in rule.items):
        return False
    return all([limiter().hit(item, key) for item in rule.items])  # a list: every limit counts the attempt


def check(rule: Rule, *parts: object) -> None:
    """Raise TooManyAttempts if `rule` is used up for `parts`, counting nothing.

    Raises:
        TooManyAttempts: With `retry_after` in seconds.
    """
    wait = retry_after(rule, *parts)
    if wait:
        raise TooManyAttempts(retry_after=wait)


def hit(rule: Rule, *parts: object, message: str | None = None) -> None:
    """Count one attempt, or raise TooManyAttempts saying how long to wait.

    Raises:
        TooManyAttempts: The rule is used up for `parts`; `retry_after` is in seconds.
    """
    if not allow(rule, *parts):
        raise TooManyAttempts(message, retry_after=retry_after(rule, *parts) or 1)


def clear(rule: Rule, *parts: object) -> None:
    """Forget the attempts counted for `parts` (a successful login clears its own failures)."""
    key = _key(rule, parts)
    for item in rule.items:
        limiter().clear(item, key)


def reset_all() -> None:
    """Forget every count (tests; an operator after an incident)."""
    storage().reset()
