"""One simulated browser tab on Reflex's websocket: socket.io (python-socketio) on `/_event`, a fresh client token,
the session cookie on the handshake, and the frames a real Chromium sent (bench/capture.py).

Reflex sends no "done" message for an event: a handler's changes arrive as deltas, in order, per client. So each
call says which delta ends it (e.g. the cart state's `error`, set by every add; a form's `submitting` going back
to false), and the browser keeps the merged state to judge success.
"""

from __future__ import annotations

import asyncio
import copy
import json
import time
import uuid
from collections.abc import Callable
from typing import Any

import socketio

NAMESPACE = "/_event"
ROOT_STATE = "reflex___state____state"
Outcome = bool | None  # True: done and fine, False: done with an error, None: not done yet
Judge = Callable[[dict[str, Any]], Outcome]


def state_of(event_name: str) -> str:
    """The full state name an event's handler lives on (the delta's key for it)."""
    return event_name.rpartition(".")[0]


def hydrated(update: dict[str, Any]) -> Outcome:
    return True if update.get("delta", {}).get(ROOT_STATE, {}).get("is_hydrated_rx_state_") is True else None


def when_set(state: str, var: str, ok: Callable[[Any, dict[str, Any]], Outcome]) -> Judge:
    """Judged at each delta that sets `state.var`: `ok(value, that state's delta)` says done-and-fine (True),
    done-with-an-error (False) or not yet (None)."""
    key = f"{var}_rx_state_"
    parts = state.split(".")
    # A var a state inherits lives on the parent state that declares it, and arrives under that name.
    owners = [".".join(parts[:i]) for i in range(len(parts), 0, -1)]

    def judge(update: dict[str, Any]) -> Outcome:
        delta = update.get("delta", {})
        for owner in owners:
            values = delta.get(owner)
            if values is not None and key in values:
                return ok(values[key], values)
        return None

    return judge


def with_path(frame: dict, path: str | None) -> dict:
    """A copy of a hydrate frame for another page (`path` may carry a query, like /verify?token=...)."""
    frame = copy.deepcopy(frame)
    if path is not None:
        event = frame.get("event", frame)
        pathname = path.split("?")[0].rstrip("/") + "/"
        event["router_data"] = {"pathname": pathname, "asPath": pathname + ("?" + path.split("?", 1)[1]
                                                                             if "?" in path else "")}
    return frame


def replaced(frame: dict, old: str, new: str) -> dict:
    """The frame with every occurrence of one captured value (an order ID, a token) swapped for another."""
    return json.loads(json.dumps(frame).replace(old, new))


class Browser:
    def __init__(self, url: str, http_session, cookie: str | None = None) -> None:
        self.url, self.cookie = url, cookie
        self.sio = socketio.AsyncClient(reconnection=False, http_session=http_session)
        self.sio.on("event", self._on_update, namespace=NAMESPACE)
        self._judge: Judge | None = None
        self._done: asyncio.Future | None = None

    async def _on_update(self, update: dict[str, Any]) -> None:
        if self._judge is None or self._done is None or self._done.done():
            return
        outcome = self._judge(update)
        if outcome is not None:
            self._done.set_result(outcome)

    def _expect(self, judge: Judge) -> asyncio.Future:
        self._judge, self._done = judge, asyncio.get_running_loop().create_future()
        return self._done

    async def open(self, connect_frame: dict, judge: Judge = hydrated, timeout: float = 30) -> bool:
        """Connect as a new tab (its own client token) and wait until the page's on_load handlers ran."""
        headers = {"Origin": self.url}
        if self.cookie:
            headers["Cookie"] = f"sf_session={self.cookie}"
        done = self._expect(judge)
        await self.sio.connect(f"{self.url}?token={uuid.uuid4()}", headers=headers, auth=connect_frame,
                               transports=["websocket"], namespaces=[NAMESPACE], socketio_path="_event",
                               wait_timeout=timeout)
        return await asyncio.wait_for(done, timeout)

    async def call(self, frame: dict, judge: Judge, timeout: float = 30) -> tuple[bool, float]:
        """Send one event; (went well, seconds until the delta that ends it). A timeout counts as an error."""
        done = self._expect(judge)
        start = time.perf_counter()
        await self.sio.emit("event", frame, namespace=NAMESPACE)
        try:
            ok = await asyncio.wait_for(done, timeout)
        except TimeoutError:
            ok = False
        return ok, time.perf_counter() - start

    async def close(self) -> None:
        await self.sio.disconnect()
