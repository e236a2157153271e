"""The mail courier: one thread per process that delivers stored mail, and the listeners told of new mail.

Requests only store mail (services/outbox.py). The courier delivers it: woken right after a commit that queued
mail, and every FLUSH_SECONDS for retries. With several backend workers each has its own courier; the outbox's
leases keep them from sending a message twice.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable

from storefront.db import session_scope
from storefront.services import outbox

logger = logging.getLogger(__name__)
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
    """One background thread that delivers stored mail, started on first use."""

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


def after_commit(*, queued: bool, stored: bool) -> None:
    """What a committed transaction that stored mail sets off: delivery soon, and the open outbox viewers."""
    if queued:
        courier.wake()
    if stored:
        for listener in mail_listeners:
            listener()
