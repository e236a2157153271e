"""The claim form: order IDs in, one verification email per order email out."""

from __future__ import annotations

import reflex as rx

from storefront.services import claims, inputs
from storefront.services.errors import StorefrontError
from storefront.services.runner import arun
from storefront.state.auth import UsesSession
from storefront.state.forms import FormMixin, field_text
from storefront.state.session_binding import BindsToSession

SENT = (
    "Thanks. If those orders exist and are not in an account yet, a confirmation link is on its way to "
    "the address each order was placed with. Open it while logged in as {email} and press Confirm claim."
)


class ClaimState(BindsToSession, FormMixin, UsesSession, rx.State):
    sent_ids: list[str] = []  # the order IDs the last request was for (shown with its message only)
    sent_round: int = 0  # counts requests: the form draws an empty box again after each one

    @rx.event
    async def submit(self, form: dict):
        if not self._begin(form):
            return
        yield
        customer_id = await self._current_customer_id()
        if customer_id is None:
            self._fail("Your session has ended. Log in again to claim orders.")
            return
        self.sent_ids = []
        try:
            await arun(claims.request_claim, customer_id=customer_id, order_ids=field_text(form, "order_ids"))
        except StorefrontError as exc:
            self._fail(exc, labels={"order_ids": "Order IDs"})
            return
        # An empty box afterwards, so a second press does not spend another of the hour's requests on the same
        # IDs; the answer lists what was sent instead.
        self.sent_ids = inputs.order_ids(field_text(form, "order_ids"))
        self.sent_round += 1
        self.message, self.submitting = SENT.format(email=(await self._auth()).customer_email), False
