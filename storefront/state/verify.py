"""/verify and /decline: show what a claim link would do, or why it cannot; change things only on a button press."""

from __future__ import annotations

import reflex as rx

from storefront import routes
from storefront.services import claim_links
from storefront.services.errors import ClaimDeclined, ClaimError, ClaimForbidden, when
from storefront.services.runner import arun
from storefront.state.account import OrderRow, order_rows
from storefront.state.auth import UsesSession
from storefront.state.order import EventRow, event_rows
from storefront.state.session_binding import BindsToSession


class ClaimLinkState(BindsToSession, UsesSession, rx.State):
    """Shared by both pages: the token stays server-side in `_token`."""

    phase: str = "loading"  # loading | error | login | ready | done (and, on /decline, declined)
    error: str = ""
    error_kind: str = ""  # the ClaimError's kind: which next step the page offers
    ended: str = ""  # when the claim ended, for refusals that know it
    message: str = ""
    orders: list[OrderRow] = []
    order_email: str = ""
    requester: str = ""
    submitting: bool = False
    _token: str = ""

    def _fail(self, exc: ClaimError) -> None:
        self.phase, self.error, self.error_kind = "error", exc.message, exc.kind
        self.ended = when(exc.at) if getattr(exc, "at", None) else ""

    async def _preview(self, viewer_id: int | None = None) -> claim_links.ClaimPreview | None:
        self.phase, self.error, self.error_kind, self.message, self.ended = "loading", "", "", "", ""
        self.submitting = False
        self._token = self.router.url.query_parameters.get("token", "")
        try:
            preview = await arun(claim_links.preview_claim, token=self._token, viewer_id=viewer_id)
        except ClaimError as exc:
            self._fail(exc)
            return None
        self.orders = order_rows(preview.orders)
        self.order_email = preview.claim.order_email
        name = f"{preview.customer.first_name} {preview.customer.last_name}".strip()  # names are optional in v2
        self.requester = f"{name} ({preview.customer.email})" if name else preview.customer.email
        return preview


class VerifyState(ClaimLinkState):
    @rx.var
    def login_link(self) -> str:
        return routes.login_url(self._here())

    @rx.var
    def decline_link(self) -> str:
        return routes.with_query(routes.DECLINE, token=self.router.url.query_parameters.get("token", ""))

    @rx.event
    async def load(self):
        customer_id = await self._current_customer_id()
        preview = await self._preview(customer_id)
        if preview is None:
            return
        if customer_id is None:
            self.phase = "login"
        elif customer_id != preview.claim.customer_id:
            self._fail(ClaimForbidden())
        else:
            self.phase = "ready"

    @rx.event
    async def confirm(self):
        if self.submitting or self.phase != "ready":
            return
        self.submitting = True
        yield
        customer_id = await self._current_customer_id()
        try:
            if customer_id is None:
                self.phase = "login"
                return
            joined = await arun(claim_links.confirm_claim, customer_id=customer_id, token=self._token)
        except ClaimError as exc:
            self._fail(exc)
        else:
            self.orders = order_rows(joined)
            count = len(joined)
            self.message = (f"Done: {count} order{'s' if count != 1 else ''} joined your account: "
                            + ", ".join(o.order.id for o in joined) + ".")
            self.phase = "done"
        finally:
            self.submitting = False


class DeclineState(ClaimLinkState):
    """For the owner of the order's email: the request, the history of requests for these orders, and Decline."""

    events: list[EventRow] = []

    async def _load_history(self) -> None:
        try:
            self.events = event_rows(await arun(claim_links.requests_history, token=self._token))
        except ClaimError:
            self.events = []

    @rx.event
    async def load(self):
        self.events = []
        try:
            if await self._preview() is not None:
                self.phase = "ready"
            elif self.error_kind == ClaimDeclined.kind:
                # Opened again after declining: not an error for the person who declined.
                self.phase, self.message = "declined", f"You declined this request on {self.ended}."
            elif self.error_kind == "used":
                self.error = (f"This request was confirmed on {self.ended}: the order joined the account of the "
                              "customer who asked. If that was not you, contact the shop.")
        finally:
            await self._load_history()

    @rx.event
    async def decline(self):
        if self.submitting or self.phase != "ready":
            return
        self.submitting = True
        yield
        try:
            claim = await arun(claim_links.decline_claim, token=self._token)
        except ClaimError as exc:
            self._fail(exc)
        else:
            self.phase = "done"
            self.message = (f"You declined this request on {when(claim.decided_at)}: the orders stay where they "
                            "are, and an email telling the customer who asked is on its way.")
        finally:
            self.submitting = False
            await self._load_history()
