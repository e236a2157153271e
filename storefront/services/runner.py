"""Run a service in its own transaction, then deliver any mail it queued: what both faces call."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from typing import TypeVar

from storefront.db import session_scope
from storefront.services import outbox

logger = logging.getLogger(__name__)
T = TypeVar("T")


def deliver_mail() -> None:
    """Try to deliver due messages now; failures stay in the outbox for the periodic flush."""
    try:
        with session_scope() as session:
            outbox.flush_outbox(session=session)
    except Exception:  # the caller's work is committed already; mail must not undo it
        logger.exception("outbox flush failed")


def run(service: Callable[..., T], /, **kwargs: object) -> T:
    """Call `service(session=..., **kwargs)` in a committed transaction; mail goes out after commit."""
    with session_scope() as session:
        result = service(session=session, **kwargs)
        queued = session.info.pop("mail_queued", False)
    if queued:
        deliver_mail()
    return result


async def arun(service: Callable[..., T], /, **kwargs: object) -> T:
    """`run` in a worker thread, so argon2 hashing and SMTP never block the event loop."""
    return await asyncio.to_thread(run, service, **kwargs)
