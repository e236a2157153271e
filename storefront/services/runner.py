"""Run a service in its own transaction (or a flow of them), then wake the mail courier: what both faces call.

Requests only store mail. A courier thread per process delivers it: woken right after a commit that
queued mail, and every FLUSH_SECONDS for retries. So a slow or hung SMTP server delays emails, never a
page, a checkout or a claim.
"""

from __future__ import annotations

import asyncio
import contextvars
import functools
import logging
import queue
import threading
from collections.abc import Callable
from typing import TypeVar

from storefront.db import DB_THREAD_PREFIX, db_executor, session_scope
from storefront.services import outbox

logger = logging.getLogger(__name__)
T = TypeVar("T")
FLUSH_SECONDS = 30


def deliver_mail() -> int:
    """Try to deliver due messages now; failures stay in the outbox for a later round. Returns how many went."""
    try:
        with session_scope() as session:
            return outbox.flush_outbox(session=session)
    except Exception:  # the work that queued the mail is committed already; mail must not undo it
        logger.exception("outbox flush failed")
        return 0


class Courier:
    """One background thread that delivers stored mail, started on first use.

    With several backend workers each has its own courier; the outbox's leases keep them from sending a
    message twice.
    """

    def __init__(self, deliver: Callable[[], object] = deliver_mail, every: float | None = FLUSH_SECONDS) -> None:
        self._deliver = deliver
        self.period = every  # seconds between retry rounds; None: only when woken (in-process tests)
        self._jobs: queue.SimpleQueue[Callable[[], object]] = queue.SimpleQueue()
        self._wake = threading.Event()
        self._idle = threading.Event()
        self._idle.set()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None

    def wake(self) -> None:
        """Deliver soon (returns at once)."""
        with self._lock:
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._loop, name="storefront-mail", daemon=True)
                self._thread.start()
        self._idle.clear()
        self._wake.set()

    def submit(self, job: Callable[[], object]) -> None:
        """Run `job` on the courier's thread before its next delivery round (returns at once)."""
        self._jobs.put(job)
        self.wake()

    def wait_idle(self, timeout: float = 10) -> bool:
        """Block until the courier has finished a round after the last wake (tests and shutdown)."""
        return self._idle.wait(timeout)

    def _loop(self) -> None:
        while True:
            self._wake.wait(self.period)
            self._wake.clear()
            while not self._jobs.empty():
                job = self._jobs.get()
                try:
                    job()
                except Exception:  # the request that queued it has answered already; the next job still runs
                    logger.exception("a background job failed")
            self._deliver()
            if not self._wake.is_set():
                self._idle.set()


courier = Courier()
# Called (from the request's thread) after a commit that stored mail: the UI's live outbox listens here.
mail_listeners: list[Callable[[], None]] = []


def run(service: Callable[..., T], /, **kwargs: object) -> T:
    """Call `service(session=..., **kwargs)` in one committed transaction; queued mail goes out after commit."""
    with session_scope() as session:
        result = service(session=session, **kwargs)
        queued = session.info.pop("mail_queued", False)
        stored = session.info.pop("mail_stored", False)
    if queued:
        courier.wake()
    if stored:
        for listener in mail_listeners:
            listener()
    return result


def later(service: Callable[..., object], /, **kwargs: object) -> None:
    """`run` the service on the mail courier's thread, after the request has answered (returns at once).

    For work whose timing must not show in the answer: asking for a password reset does the same on the request
    path whether or not the email has an account, and the lookup and the mail happen here.
    """
    context = contextvars.copy_context()
    courier.submit(functools.partial(context.run, run, service, **kwargs))


async def arun(service: Callable[..., T], /, **kwargs: object) -> T:
    """`run` in a worker thread, so database work never blocks the event loop.

    On SQLite that is the one database thread (see db.db_executor), which queues the work in order.
    """
    context = contextvars.copy_context()  # as asyncio.to_thread does
    call = functools.partial(context.run, run, service, **kwargs)
    return await asyncio.get_running_loop().run_in_executor(db_executor(), call)


def transaction(service: Callable[..., T], /, **kwargs: object) -> T:
    """One step of a flow: `run` on the database thread (SQLite) and wait for it; see `run_steps`."""
    executor = db_executor()
    if executor is None or threading.current_thread().name.startswith(DB_THREAD_PREFIX):
        return run(service, **kwargs)
    return executor.submit(contextvars.copy_context().run, run, service, **kwargs).result()


def run_steps(flow: Callable[..., T], /, **kwargs: object) -> T:
    """Call `flow(transaction=..., **kwargs)`: a flow whose database steps are transactions of their own.

    A password hash or verify (~20 ms of argon2) runs between the flow's steps, in no transaction: an open one
    holds SQLite's write lock and the database thread for as long as it lasts. Each step is one `run`, so a
    flow says in its code where it commits, and `run` always means one transaction.
    """
    return flow(transaction=transaction, **kwargs)


async def arun_steps(flow: Callable[..., T], /, **kwargs: object) -> T:
    """`run_steps` in a worker thread beside the database thread, so the hash holds up no other request."""
    context = contextvars.copy_context()
    return await asyncio.get_running_loop().run_in_executor(
        None, functools.partial(context.run, run_steps, flow, **kwargs))
