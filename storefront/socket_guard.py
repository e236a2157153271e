"""Websocket frames the app cannot dispatch are refused before Reflex's event processor sees them.

Reflex queues any frame and, when its name matches no event handler, logs the whole event with a traceback
(19 lines a frame) and keeps the socket open: 200 frames in 3 s added a third of a megabyte of log. Here a
socket may send MAX_REFUSED undispatchable or malformed frames; the last of them cuts it. What a socket caused
is logged once, at its first refused frame, whatever it sends after.
"""

from __future__ import annotations

import logging
from typing import Any

import reflex as rx
from reflex_base.registry import RegistrationContext

logger = logging.getLogger("storefront")
MAX_REFUSED = 3
MAX_NAME = 200  # longest event name worth looking up; Reflex's are well under 100 characters


def why_refused(data: Any) -> str | None:
    """Why a frame cannot be dispatched, or None when Reflex should process it."""
    if not isinstance(data, dict):
        return "a frame that is not an event object"
    name = data.get("name")
    if not isinstance(name, str) or not name or len(name) > MAX_NAME:
        return "an event without a usable name"
    if not isinstance(data.get("payload", {}), dict) or not isinstance(data.get("router_data", {}), dict):
        return "an event whose payload or router data is not an object"
    try:
        handlers = RegistrationContext.get().event_handlers
    except LookupError:  # no registry in this context: Reflex's own checks apply
        return None
    return None if name in handlers else "an event naming no event handler"


class SocketGuard:
    """Counts each socket's refused frames; the MAX_REFUSED-th one disconnects it."""

    def __init__(self, namespace: Any) -> None:
        self.namespace = namespace
        self.refused: dict[str, int] = {}

    async def refuse(self, sid: str, why: str) -> None:
        count = self.refused.get(sid, 0) + 1
        self.refused[sid] = count
        if count == 1:
            logger.warning("refused %s on a websocket; it is cut at frame %d of that kind", why, MAX_REFUSED)
        if count >= MAX_REFUSED:
            await self.namespace.disconnect(sid)

    def forget(self, sid: str) -> None:
        self.refused.pop(sid, None)


def install(app: rx.App) -> SocketGuard | None:
    """Put the guard in front of the app's event namespace (idempotent); None when the app has no websocket."""
    namespace = app.event_namespace
    if namespace is None:
        return None
    existing = getattr(namespace, "storefront_guard", None)
    if existing is not None:
        return existing
    guard = SocketGuard(namespace)
    dispatch, disconnected = namespace.on_event, namespace.on_disconnect

    async def on_event(sid: str, data: Any) -> None:
        why = why_refused(data)
        if why is None:
            await dispatch(sid, data)
        else:
            await guard.refuse(sid, why)

    def on_disconnect(sid: str, *_reason: Any) -> Any:
        guard.forget(sid)
        return disconnected(sid)

    # python-socketio looks the handlers up on the instance at every frame, and Reflex's connect calls
    # self.on_event for the boot event, so both paths pass the guard.
    namespace.on_event, namespace.on_disconnect = on_event, on_disconnect
    namespace.storefront_guard = guard
    return guard


async def guard_sockets(app: rx.App) -> None:
    """The lifespan task: the namespace exists once the app has started."""
    install(app)
