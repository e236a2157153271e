"""Forgot password and reset password."""

from __future__ import annotations

import reflex as rx

from storefront import routes
from storefront.components.forms import alert, field, status, submit
from storefront.components.layout import page
from storefront.state.password import ForgotPasswordState, ResetPasswordState


def forgot_password_page() -> rx.Component:
    return page(
        rx.text("Enter the email of your account. We will send you a link to choose a new password.",
                margin_bottom="12px"),
        rx.form(
            rx.vstack(
                field("Email", "email", error=ForgotPasswordState.field_errors.get("email", ""), type_="email",
                      autocomplete="email"),
                alert(ForgotPasswordState.error),
                status(ForgotPasswordState.message),
                submit("Send reset link", ForgotPasswordState.submitting),
                rx.link("Back to log in", href=routes.LOGIN),
                spacing="3", max_width="420px",
            ),
            on_submit=ForgotPasswordState.submit, reset_on_submit=False,
        ),
        title="Forgot your password?",
    )


def reset_password_page() -> rx.Component:
    form = rx.form(
        rx.vstack(
            rx.text("Choose a new password for ", rx.text.strong(ResetPasswordState.account_email),
                    ". Setting it logs out every device that is logged in to this account."),
            field("New password", "password", error=ResetPasswordState.field_errors.get("password", ""),
                  alone=ResetPasswordState.one_field_error, type_="password", autocomplete="new-password"),
            rx.text("At least 8 characters. A few random words make a strong password.", size="1",
                    color_scheme="gray"),
            alert(ResetPasswordState.error),
            submit("Set new password", ResetPasswordState.submitting),
            spacing="3", max_width="420px",
        ),
        on_submit=ResetPasswordState.submit, reset_on_submit=False,
    )
    return page(
        rx.match(
            ResetPasswordState.phase,
            ("ready", form),
            ("error", rx.vstack(alert(ResetPasswordState.error),
                                rx.link("Ask for a new link", href=routes.FORGOT_PASSWORD), spacing="3")),
            rx.hstack(rx.spinner(), rx.text("Checking the link…"), custom_attrs={"role": "status"}),
        ),
        title="Set a new password",
    )
