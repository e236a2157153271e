"""The claim form: order IDs in, one verification email per order email out."""

from __future__ import annotations

import reflex as rx

from storefront.services import claims
from storefront.services.errors import StorefrontError
from storefront.services.runner import arun
from storefront.state.auth import AuthState

SENT = (
    "Thanks. If those orders exist and are not in an account yet, we have emailed a confirmation link to "
    "the address each order was placed with. Open it while logged in as {email} and press Confirm claim."
)


class ClaimState(AuthState):
    error: str = ""
    message: str = ""
    submitting: bool = False

    @rx.event
    def reset_form(self):
        self.error, self.message, self.submitting = "", "", False

    @rx.event
    async def submit(self, form: dict):
        if self.submitting:
            return
        self.submitting, self.error, self.message = True, "", ""
        yield
        customer_id = await self._current_customer_id()
        try:
            if customer_id is None:
                self.error = "Your session has ended. Log in again to claim orders."
                return
            await arun(claims.request_claim, customer_id=customer_id, order_ids=str(form.get("order_ids", "")))
        except StorefrontError as exc:
            self.error = exc.message
        else:
            self.message = SENT.format(email=self.customer_email)
        finally:
            self.submitting = False
