"""Forgot password and reset password: the same answer for any email; nothing changes until the button."""

from __future__ import annotations

import reflex as rx

from storefront import routes
from storefront.config import get_settings
from storefront.mail.render import duration
from storefront.services import password_reset
from storefront.services.errors import InvalidInput, ResetLinkError, StorefrontError
from storefront.services.runner import arun, arun_steps, later
from storefront.state.account import AccountState
from storefront.state.auth import post_form
from storefront.state.forms import FormMixin, field_text
from storefront.state.session_binding import BindsToSession

SENT = ("If an account uses {email}, a link to choose a new password is on its way to it. The link works for "
        "{lifetime}. No email after a few minutes? Check the address and ask again.")


PASSWORD_CHANGED = "Your password was changed. Every other device was logged out of this account."


class ForgotPasswordState(BindsToSession, FormMixin, rx.State):
    @rx.event
    async def submit(self, form: dict):
        if not self._begin(form):
            return
        yield
        email = field_text(form, "email")
        try:
            later(password_reset.request_reset, email=password_reset.reset_request_email(email))
        except StorefrontError as exc:
            self._fail(exc)
            return
        lifetime = duration(get_settings().password_reset_max_age)
        self.message, self.submitting = SENT.format(email=email.strip(), lifetime=lifetime), False


class ResetPasswordState(BindsToSession, FormMixin, rx.State):
    """The token stays server-side in `_token`; the page shows whose password it would change."""

    phase: str = "loading"  # loading | ready | error
    account_email: str = ""
    _token: str = ""

    @rx.event
    async def load(self):
        self.reset_form()
        self.phase, self.account_email = "loading", ""
        self._token = self.router.url.query_parameters.get("token", "")
        try:
            customer = await arun(password_reset.check_reset, token=self._token)
        except ResetLinkError as exc:
            self.phase, self.error = "error", exc.message
            return
        self.phase, self.account_email = "ready", customer.email

    @rx.event
    async def submit(self, form: dict):
        if self.phase != "ready" or not self._begin(form):
            return
        yield
        try:
            _, ticket = await arun_steps(password_reset.reset_password_and_login, token=self._token, ticket=True,
                                         password=field_text(form, "password"),
                                         client=self.router.session.client_ip)
        except InvalidInput as exc:
            self._fail(exc, labels={"password": "New password"})  # under the field, as on /register
            return
        except ResetLinkError as exc:
            self.phase = "error"
            self._fail(exc)
            return
        (await self.get_state(AccountState)).say_on_arrival(PASSWORD_CHANGED)
        yield post_form(routes.SESSION_BEGIN, {"ticket": ticket, "next": routes.ACCOUNT})
