"""Run a service in its own transaction (or a flow of them), then hand stored mail on: what both faces call.

Requests only store mail; services/courier.py delivers it after the commit, so a slow or hung SMTP server
delays emails, never a page, a checkout or a claim.
"""

from __future__ import annotations

import asyncio
import contextvars
import functools
import threading
from collections.abc import Callable
from typing import TypeVar

from storefront.db import DB_THREAD_PREFIX, db_executor, session_scope
from storefront.services import courier

T = TypeVar("T")
def run(service: Callable[..., T], /, **kwargs: object) -> T:
    """Call `service(session=..., **kwargs)` in one committed transaction; queued mail goes out after commit."""
    with session_scope() as session:
        result = service(session=session, **kwargs)
        queued = session.info.pop("mail_queued", False)
        stored = session.info.pop("mail_stored", False)
    courier.after_commit(queued=queued, stored=stored)
    return result


def later(service: Callable[..., object], /, **kwargs: object) -> None:
    """`run` the service on the mail courier's thread, after the request has answered (returns at once).

    For work whose timing must not show in the answer: asking for a password reset does the same on the request
    path whether or not the email has an account, and the lookup and the mail happen here.
    """
    context = contextvars.copy_context()
    courier.courier.submit(functools.partial(context.run, run, service, **kwargs))


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
