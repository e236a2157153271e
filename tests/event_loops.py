"""Running a coroutine from a synchronous test, whichever tests ran before it in this process."""

from __future__ import annotations

import asyncio
import contextvars
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

T = TypeVar("T")


def run_in_fresh_loop(coroutine_function: Callable[[], Awaitable[T]]) -> T:
    """Run a coroutine in a new event loop on a thread of its own, as a worker thread with a loop would.

    Not on the main thread: once an e2e test has run in this process (`make test` mixes them in each of its
    processes), the session's Playwright fixture drives a loop there, and asyncio.run refuses to start another.
    The coroutine sees the caller's context variables (a registry a test set up, say), as it would on this thread.
    """
    context = contextvars.copy_context()
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(context.run, asyncio.run, coroutine_function()).result(timeout=30)
