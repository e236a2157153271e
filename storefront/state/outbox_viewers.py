"""Which browsers have /outbox open, so the live watcher (state/outbox_live.py) knows whom to refresh.

Its own module, imported by both the page's state and the watcher, so neither imports the other's module
just to reach this list.
"""

from __future__ import annotations

import time

MAX_VIEWERS = 100  # the most recent viewers only: a demo tool, not a broadcast service
VIEWER_TTL = 3600  # seconds after its last load that a viewer is still refreshed

_viewers: dict[str, float] = {}  # client token -> when it last loaded /outbox


def watch(client_token: str) -> None:
    """Refresh this browser's outbox page when mail arrives."""
    if not client_token:
        return
    _viewers.pop(client_token, None)
    _viewers[client_token] = time.monotonic()
    while len(_viewers) > MAX_VIEWERS:
        _viewers.pop(next(iter(_viewers)))


def forget(client_token: str) -> None:
    """Stop refreshing a browser (it left the outbox)."""
    _viewers.pop(client_token, None)


def current() -> list[str]:
    """The viewers still worth refreshing, oldest first; those idle for longer than VIEWER_TTL are dropped."""
    now = time.monotonic()
    for token, seen in list(_viewers.items()):
        if now - seen > VIEWER_TTL:
            _viewers.pop(token, None)
    return list(_viewers)
