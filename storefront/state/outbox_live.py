"""New mail appears on open /outbox pages without a reload, pushed over each page's own websocket.

One watcher per backend process, not a polling loop per browser: it wakes at once when this process stores
mail (runner.mail_listeners), and every CHECK_SECONDS it asks the database for the newest message ID, so mail
stored by another worker shows up too. Each viewer that opened /outbox recently is then refreshed through
app.modify_state, which sends the change down that browser's socket.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time

import reflex as rx

from storefront.config import get_settings
from storefront.services import outbox
from storefront.services.runner import arun, mail_listeners

logger = logging.getLogger(__name__)
CHECK_SECONDS = 3
MAX_VIEWERS = 100  # the most recent viewers only: a demo tool, not a broadcast service
VIEWER_TTL = 3600  # seconds after its last load that a viewer is still refreshed

_viewers: dict[str, float] = {}  # client token -> when it last loaded /outbox
_wake: asyncio.Event | None = None
_loop: asyncio.AbstractEventLoop | None = None


def watch(client_token: str) -> None:
    """Refresh this browser's outbox page when mail arrives."""
    if not client_token:
        return
    _viewers.pop(client_token, None)
    _viewers[client_token] = time.monotonic()
    while len(_viewers) > MAX_VIEWERS:
        _viewers.pop(next(iter(_viewers)))


def _mail_stored() -> None:
    """Called from a worker thread after a commit that stored mail: wake the watcher in the event loop."""
    if _loop is not None and _wake is not None:
        _loop.call_soon_threadsafe(_wake.set)


async def _refresh(app: rx.App, client_token: str) -> None:
    from storefront.state.outbox import OutboxState  # that module registers viewers here

    async with app.modify_state(rx.BaseStateToken(ident=client_token, cls=OutboxState)) as root:
        viewer = await root.get_state(OutboxState)
        if viewer.router.page.path.rstrip("/") == "/outbox":
            await viewer._list()
        else:
            _viewers.pop(client_token, None)  # they moved on


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
        now = time.monotonic()
        for token, seen in list(_viewers.items()):
            if now - seen > VIEWER_TTL:
                _viewers.pop(token, None)
        if not _viewers or not get_settings().outbox_enabled:
            continue
        newest = await arun(outbox.newest_id)
        if newest == last:
            continue
        last = newest
        for token in list(_viewers):
            try:
                await _refresh(app, token)
            except Exception:  # one broken viewer must not stop the others
                logger.warning("could not refresh an outbox viewer", exc_info=True)
