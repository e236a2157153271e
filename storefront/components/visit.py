"""Whether the page on screen shows this visit's own state, or must still wait for it.

Reflex keeps page state across client-side navigations and runs a page's on_load handlers only after the new
page has rendered once, so that first render would show the previous visit's outcome (a claim "done", an
earlier product, an old error). Pages that show what their load found wait for `loaded()`.
"""

from __future__ import annotations

import reflex as rx
from reflex.utils.imports import ImportVar
from reflex.vars import VarData

from storefront.state.auth import AuthState

# Where the browser is, read in the page itself (React Router's location): it changes in the very render a
# client-side navigation makes, before any event reaches the server. Written as routes.visit_key writes it.
HERE = rx.Var(
    "(routerLocation.pathname.replace(/\\/+$/, \"\") + routerLocation.search)",
    _var_data=VarData(imports={"react-router": [ImportVar(tag="useLocation")]},
                      hooks={"const routerLocation = useLocation();": None}),
).to(str)


HERE_PATH = rx.Var(
    "routerLocation.pathname.replace(/\\/+$/, \"\")",
    _var_data=VarData(imports={"react-router": [ImportVar(tag="useLocation")]},
                      hooks={"const routerLocation = useLocation();": None}),
).to(str)


def loaded(*, same_path: bool = False) -> rx.Var:
    """True once this visit's own on_load handlers have all run: never for a visit's first render, and never
    while the state still holds an earlier visit's outcome (Reflex flips is_hydrated only after a render).

    `same_path` keeps showing the page while only its query changes (the outbox's search and open message),
    where the earlier state is this same page a moment ago, not another visit's outcome.
    """
    if same_path:
        return rx.State.is_hydrated & ((AuthState.visit == HERE_PATH) | AuthState.visit.startswith(HERE_PATH + "?"))
    return rx.State.is_hydrated & (AuthState.visit == HERE)


def connected() -> rx.Var:
    """True once the server has answered this page over its websocket, so an event sent now is handled.

    Before that (the prebuilt HTML, then while the JavaScript loads and the socket opens) a form would be sent
    nowhere, or as a plain GET of the page itself: its submit button waits for this.
    """
    return rx.State.is_hydrated
