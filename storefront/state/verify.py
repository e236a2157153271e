"""/verify and /decline: show what a claim link would do, change things only on a button press."""

from __future__ import annotations

import reflex as rx

from storefront import routes
from storefront.services import claims
from storefront.services.errors import (
    ClaimCancelled,
    ClaimDeclined,
    ClaimError,
    ClaimForbidden,
    ClaimTokenExpired,
    ClaimTokenUsed,
)
from storefront.services.runner import arun
from storefront.state.account import order_rows
from storefront.state.auth import UsesSession
from storefront.state.session_binding import BindsToSession


def _kind(exc: ClaimError) -> str:
    """Which next step the page offers for an unusable link."""
    return {ClaimTokenExpired: "expired", ClaimTokenUsed: "used", ClaimForbidden: "forbidden",
            ClaimDeclined: "closed", ClaimCancelled: "closed"}.get(type(exc), "invalid")


class ClaimLinkState(BindsToSession, UsesSession, rx.State):
    """Shared by both pages: the token stays server-side in `_token`."""

    phase: str = "loading"  # loading | error | login | ready | done
    error: str = ""
    error_kind: str = ""
    message: str = ""
    orders: list[dict[str, str]] = []
    order_email: str = ""
    requester: str = ""
    submitting: bool = False
    _token: str = ""

    def _fail(self, exc: ClaimError) -> None:
        self.phase, self.error, self.error_kind = "error", exc.message, _kind(exc)

    async def _preview(self) -> claims.ClaimPreview | None:
        self.phase, self.error, self.error_kind, self.message, self.submitting = "loading", "", "", "", False
        self._token = self.router.url.query_parameters.get("token", "")
        try:
            preview = await arun(claims.preview_claim, token=self._token)
        except ClaimError as exc:
            self._fail(exc)
            return None
        self.orders = order_rows(preview.orders)
        self.order_email = preview.claim.order_email
        self.requester = f"{preview.customer.first_name} {preview.customer.last_name} ({preview.customer.email})"
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
        preview = await self._preview()
        customer_id = await self._current_customer_id()
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
            joined = await arun(claims.confirm_claim, customer_id=customer_id, token=self._token)
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
    @rx.event
    async def load(self):
        if await self._preview() is not None:
            self.phase = "ready"

    @rx.event
    async def decline(self):
        if self.submitting or self.phase != "ready":
            return
        self.submitting = True
        yield
        try:
            await arun(claims.decline_claim, token=self._token)
        except ClaimError as exc:
            self._fail(exc)
        else:
            self.phase = "done"
            self.message = ("The claim was declined: the orders stay where they are, and an email telling the "
                            "customer who asked is on its way.")
        finally:
            self.submitting = False
