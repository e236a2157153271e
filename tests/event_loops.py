"""Running a coroutine from a synchronous test, whichever tests ran before it in this process: once an e2e test
has run in it (`make test` mixes them in each of its processes), the session's Playwright fixture drives a loop
on the main thread, and asyncio.run refuses to start another there."""

from __future__ import annotations

import asyncio
import contextvars
from collections.abc import Awaitable, Callable, Coroutine
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

T = TypeVar("T")


def run_in_fresh_loop(coroutine_function: Callable[[], Awaitable[T]]) -> T:
    """Run a coroutine in a new event loop on a thread of its own, as a worker thread with a loop would.

    Not on the main thread (see above). The coroutine sees the caller's context variables (a registry a test
    set up, say), as it would on this thread.
    """
    context = contextvars.copy_context()
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(context.run, asyncio.run, coroutine_function()).result(timeout=30)


def run_to_completion(coroutine: Coroutine[Any, Any, T]) -> T:
    """Run a coroutine that never waits on I/O on this thread, with no event loop at all: cheaper than a thread per
    call where that is so, and it fails loudly where it is not."""
    try:
        coroutine.send(None)
    except StopIteration as done:
        return done.value
    coroutine.close()
    raise AssertionError("the coroutine waited on something: it needs a real event loop")
