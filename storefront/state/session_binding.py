"""Per-customer page state is shown only to a connection with the cookies it was loaded under.

Reflex keys page state by the tab's client token, which travels in the websocket's URL (so proxy logs carry
it) and outlives the tab. A cookie-less socket that connects with a closed tab's token was sent that tab's
state at its first event: the customer's email and name, a claim's order email and order IDs. Here every
event first compares the connection's session cookie (and browser cookie) with those the state's data was
loaded under, and a state that does not match is reset to its defaults before anything is sent (the page's
own on_load then loads what this connection may see).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator

import reflex as rx
from reflex.middleware import Middleware

from storefront import routes
from storefront.auth_cookie import read_cookie, session_token


def session_fingerprint(cookie_header: str | None) -> str:
    """A digest of the session and browser cookies in a Cookie header ("" with neither); never the tokens.

    The browser cookie (api/edge.py) binds what a page loaded without a session, so a cookie-less socket
    does not match a guest's tab either.
    """
    session, browser = session_token(cookie_header) or "", read_cookie(cookie_header, routes.BROWSER_COOKIE) or ""
    if not session and not browser:
        return ""
    joined = f"{session}\x1f{browser}".encode("utf-8", "surrogatepass")
    return hashlib.sha256(joined).hexdigest()[:32]


class BindsToSession(rx.State, mixin=True):
    """Mixed into every state holding one customer's data: it is forgotten when the session cookie changes."""

    _loaded_under: str = ""
    def _kept_across_sessions(self) -> tuple[str, ...]:
        """Vars that carry no customer data and must outlive the change of session they announce (a fixed
        sentence for the page reached after a password reset logs the customer in anew, say)."""
        return ()


def _states(state: rx.State) -> Iterator[rx.State]:
    pending = [state]
    while pending:
        current = pending.pop()
        yield current
        pending.extend(current.substates.values())


class SessionBinding(Middleware):
    """Before every event: reset the customer data a different session cookie (or none) loaded."""

    async def preprocess(self, app, state, event):
        fingerprint = session_fingerprint(state.router.headers.cookie)
        for each in _states(state):
            if isinstance(each, BindsToSession) and each._loaded_under != fingerprint:
                kept = {name: getattr(each, name) for name in each._kept_across_sessions()}
                each.reset()
                for name, value in kept.items():
                    setattr(each, name, value)
                each._loaded_under = fingerprint
        return None
