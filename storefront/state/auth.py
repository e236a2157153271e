"""Who is logged in (AuthState), what page states use of it (UsesSession), login, registration and logout."""

from __future__ import annotations

import json

import reflex as rx

from storefront import routes
from storefront.auth_cookie import device_cookie, session_token
from storefront.config import get_settings
from storefront.services import accounts, logins, outbox, sessions
from storefront.services.errors import StorefrontError
from storefront.services.runner import arun, arun_steps
from storefront.state.forms import FormMixin, field_text
from storefront.state.session_binding import BindsToSession


def post_form(action: str, fields: dict[str, str]) -> rx.event.EventSpec:
    """Make the browser POST a form to an HTTP endpoint (a full navigation, so cookies get set).

    The page that follows focuses its heading, as after a client-side navigation (assets/storefront.js).
    """
    script = (
        "(() => {window.storefront && window.storefront.noteFormPost(); "
        "const f = document.createElement('form'); f.method = 'POST'; "
        f"f.action = {json.dumps(action)}; const v = {json.dumps(fields)}; "
        "for (const [k, x] of Object.entries(v)) {const i = document.createElement('input'); "
        "i.type = 'hidden'; i.name = k; i.value = x; f.appendChild(i);} "
        "document.body.appendChild(f); f.submit();})()"
    )
    return rx.call_script(script)


def _location(state: rx.State) -> str:
    """The page's path and query as the browser sent them: where a login sends the customer back to."""
    url = state.router.url
    return url.path + (f"?{url.query}" if url.query else "")


class AuthState(BindsToSession, rx.State):
    """Who is logged in, read from the HttpOnly session cookie on the websocket's handshake."""

    customer_name: str = ""
    customer_full_name: str = ""
    customer_email: str = ""
    # Pages are prerendered with these defaults, so start from the setting the app is built with: a shop
    # without an outbox never flashes the link. Every page load re-reads it.
    outbox_enabled: bool = get_settings().outbox_enabled
    outbox_public: bool = get_settings().outbox_public
    outbox_unread: int = 0
    session_checked: bool = False
    # The page (path and query) whose load last ran: a page shows its own content only while this matches
    # the address the browser is on, so an earlier visit's outcome is never painted as this visit's.
    visit: str = ""
    _customer_id: int | None = None

    @rx.var
    def logged_in(self) -> bool:
        return self.customer_email != ""

    _here = _location

    async def _current_customer_id(self) -> int | None:
        """Resolve the session now: never trust a value cached from an earlier page."""
        token = session_token(self.router.headers.cookie)
        customer = await arun(sessions.customer_for_token, token=token) if token else None
        self._customer_id = customer.id if customer else None
        self.customer_name = customer.first_name if customer else ""
        self.customer_full_name = f"{customer.first_name} {customer.last_name}".strip() if customer else ""
        self.customer_email = customer.email if customer else ""
        self.session_checked = True
        return self._customer_id

    async def _read_outbox_setting(self) -> None:
        settings = get_settings()
        self.outbox_enabled, self.outbox_public = settings.outbox_enabled, settings.outbox_public
        self.outbox_unread = await arun(outbox.unread_count) if self.outbox_enabled else 0

    def _begin_visit(self) -> None:
        self.visit = routes.visit_key(self.router.url.path, self.router.url.query)

    @rx.event
    async def load_session(self):
        self._begin_visit()
        await self._read_outbox_setting()
        await self._current_customer_id()

    @rx.event
    async def require_login(self):
        """on_load guard for pages that need a customer (like reflex-local-auth's require_login)."""
        self._begin_visit()
        await self._read_outbox_setting()
        if await self._current_customer_id() is None:
            return rx.redirect(routes.login_url(self._here()))

    @rx.event
    def logout(self):
        """Only ever bound to a button: the POST it makes ends the session (see api/session.py)."""
        self._customer_id, self.customer_name, self.customer_full_name, self.customer_email = None, "", "", ""
        return post_form(routes.SESSION_END, {})

    @rx.event
    def switch_account(self):
        """Log out, then log in again as someone else and come back to this page."""
        self._customer_id, self.customer_name, self.customer_full_name, self.customer_email = None, "", "", ""
        return post_form(routes.SESSION_END, {"next": routes.login_url(self._here())})


class UsesSession(rx.State, mixin=True):
    """Mixed into page states that need the customer. Page states are AuthState's siblings, not its substates.

    Reflex loads a state's substates with it: when every page state extended AuthState, the `load_session` that
    every page runs loaded every page's state (and with several workers fetched them all from Redis). Now an
    event loads its own state, plus AuthState only when it asks for the customer.
    """

    _here = _location

    async def _auth(self) -> AuthState:
        return await self.get_state(AuthState)

    async def _current_customer_id(self) -> int | None:
        """Resolve the session now (AuthState's copy of the customer, shown in the header, is refreshed too)."""
        return await (await self._auth())._current_customer_id()


class LoginState(FormMixin, rx.State):

    @rx.var
    def next_path(self) -> str:
        return routes.safe_next(self.router.url.query_parameters.get("next"))

    @rx.var
    def for_claim_link(self) -> bool:
        """The visitor came from a claim link: the page says which account should log in (no email shown)."""
        return routes.is_claim_link(self.next_path)

    @rx.var
    def register_link(self) -> str:
        return routes.with_query(routes.REGISTER, next=self.router.url.query_parameters.get("next", ""))

    @rx.event
    async def submit(self, form: dict):
        if not self._begin(form):
            return
        yield
        try:
            _, ticket = await arun_steps(logins.login, email=field_text(form, "email"),
                                         password=field_text(form, "password"), ticket=True,
                                         client=self.router.session.client_ip,
                                         device_cookie=device_cookie(self.router.headers.cookie))
        except StorefrontError as exc:
            self._fail(exc)
            return
        yield post_form(routes.SESSION_BEGIN, {"ticket": ticket, "next": self.next_path})


REGISTER_LABELS = {"first_name": "First name", "last_name": "Last name", "email": "Email", "password": "Password"}


class RegisterState(FormMixin, rx.State):
    @rx.event
    async def submit(self, form: dict):
        if not self._begin(form):
            return
        yield
        try:
            _, ticket = await arun_steps(
                accounts.register_and_login, ticket=True, client=self.router.session.client_ip,
                **{name: field_text(form, name) for name in REGISTER_LABELS},
            )
        except StorefrontError as exc:
            self._fail(exc, labels=REGISTER_LABELS)
            return
        next_path = routes.safe_next(self.router.url.query_parameters.get("next"))
        yield post_form(routes.SESSION_BEGIN, {"ticket": ticket, "next": next_path})
