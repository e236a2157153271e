"""New mail appears on open /outbox pages without a reload, pushed over each page's own websocket.

One watcher per backend process, not a polling loop per browser: it wakes at once when this process stores
mail (courier.mail_listeners), and every CHECK_SECONDS it asks the database for the newest message ID, so mail
stored by another worker shows up too. Each viewer that opened /outbox recently (state/outbox_viewers.py) is
then refreshed through app.modify_state, which sends the change down that browser's socket.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging

import reflex as rx

from storefront import routes
from storefront.config import get_settings
from storefront.services import outbox
from storefront.services.courier import mail_listeners
from storefront.services.runner import arun
from storefront.state import outbox_viewers
from storefront.state.outbox import OutboxState

logger = logging.getLogger(__name__)
CHECK_SECONDS = 3

_wake: asyncio.Event | None = None
_loop: asyncio.AbstractEventLoop | None = None


def _mail_stored() -> None:
    """Called from a worker thread after a commit that stored mail: wake the watcher in the event loop."""
    if _loop is not None and _wake is not None:
        _loop.call_soon_threadsafe(_wake.set)


async def _refresh(app: rx.App, client_token: str) -> None:
    async with app.modify_state(rx.BaseStateToken(ident=client_token, cls=OutboxState)) as root:
        viewer = await root.get_state(OutboxState)
        if viewer.router.url.path.rstrip("/") == routes.OUTBOX:
            await viewer._list()
        else:
            outbox_viewers.forget(client_token)  # they moved on


async def watch_outbox(app: rx.App) -> None:
    """The lifespan task: refresh the open viewers whenever the newest message changes."""
    global _wake, _loop
    _loop, _wake = asyncio.get_running_loop(), asyncio.Event()
    mail_listeners.append(_mail_stored)
    last = await arun(outbox.newest_id)
    while True:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(_wake.wait(), CHECK_SECONDS)
        _wake.clear()
        viewers = outbox_viewers.current()
        if not viewers or not get_settings().outbox_enabled:
            continue
        newest = await arun(outbox.newest_id)
        if newest == last:
            continue
        last = newest
        for token in viewers:
            try:
                await _refresh(app, token)
            except Exception:  # one broken viewer must not stop the others
                logger.warning("could not refresh an outbox viewer", exc_info=True)
