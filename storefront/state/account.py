"""My orders and pending claims."""

from __future__ import annotations

import dataclasses

import reflex as rx

from storefront import routes
from storefront.mail.render import money
from storefront.services import claims, orders
from storefront.services.errors import StorefrontError, when
from storefront.services.runner import arun
from storefront.state.auth import UsesSession
from storefront.state.forms import UNREADABLE, text_arg
from storefront.state.session_binding import BindsToSession


@dataclasses.dataclass
class OrderRow:
    """What the UI shows of an order in a list."""

    id: str = ""
    date: str = ""
    email: str = ""
    total: str = ""
    contents: str = ""
    href: str = ""


@dataclasses.dataclass
class ClaimRow:
    """A pending claim on My orders."""

    id: str = ""
    email: str = ""
    orders: str = ""
    expires: str = ""


def order_rows(views: list[orders.OrderView]) -> list[OrderRow]:
    return [
        OrderRow(id=v.order.id, date=v.order.created_at.strftime("%d %b %Y"), email=v.order.email,
                 total=money(v.order.total, v.order.currency_code),
                 contents=", ".join(f"{line.quantity} × {line.title}" for line in v.lines),
                 href=routes.order_path(v.order.id))
        for v in views
    ]


class AccountState(BindsToSession, UsesSession, rx.State):
    orders: list[OrderRow] = []
    claims: list[ClaimRow] = []
    message: str = ""
    error: str = ""
    # A sentence for the next load of the page to show once (the page reached after a password reset, say).
    _arrival: str = ""

    def _kept_across_sessions(self) -> tuple[str, ...]:
        return ("_arrival",)

    def say_on_arrival(self, sentence: str) -> None:
        self._arrival = sentence

    async def _refresh(self, customer_id: int) -> None:
        found, _ = await arun(orders.list_customer_orders, customer_id=customer_id)
        pending = await arun(claims.list_claims, customer_id=customer_id)
        self.orders = order_rows(found)
        self.claims = [ClaimRow(id=c.claim.id, email=c.claim.order_email, orders=", ".join(c.order_ids),
                                expires=when(c.claim.expires_at)) for c in pending]

    @rx.event
    async def load(self):
        self.message, self.error, self._arrival = self._arrival, "", ""
        customer_id = await self._current_customer_id()
        if customer_id is not None:
            await self._refresh(customer_id)

    async def _on_claim(self, claim_id: object, action) -> None:
        """Run `action(customer_id, claim_id)` for one of the customer's pending claims, then show the list again."""
        self.message = self.error = ""
        claim_id = text_arg(claim_id, 40)
        if claim_id is None:
            self.error = UNREADABLE
            return
        customer_id = await self._current_customer_id()
        if customer_id is None:
            self.error = "Your session has ended. Log in again."
            return
        try:
            self.message = await action(customer_id, claim_id)
        except StorefrontError as exc:
            self.error = exc.message
        await self._refresh(customer_id)

    @rx.event
    async def resend_claim(self, claim_id: str):
        """Send again: a fresh link to the order email, on the same honest per-customer limit."""
        async def resend(customer_id: int, claim_id: str) -> str:
            claim = await arun(claims.resend_claim, customer_id=customer_id, claim_id=claim_id)
            return f"A new link is on its way to {claim.order_email}; the previous link no longer works."

        await self._on_claim(claim_id, resend)

    @rx.event
    async def cancel_claim(self, claim_id: str):
        async def cancel(customer_id: int, claim_id: str) -> str:
            await arun(claims.cancel_claim, customer_id=customer_id, claim_id=claim_id)
            return "The claim was cancelled; its link no longer works."

        await self._on_claim(claim_id, cancel)
