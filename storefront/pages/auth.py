"""Register, log in, log out."""

from __future__ import annotations

import reflex as rx

from storefront import routes
from storefront.components.forms import alert, error_summary, field, submit
from storefront.components.layout import logout_button, page
from storefront.state.auth import AuthState, LoginState, RegisterState


def register_page() -> rx.Component:
    errors, alone = RegisterState.field_errors, RegisterState.one_field_error
    return page(
        rx.form(
            rx.vstack(
                error_summary(RegisterState.summary),
                rx.flex(field("First name", "first_name", error=errors.get("first_name", ""), alone=alone,
                              autocomplete="given-name"),
                        field("Last name", "last_name", error=errors.get("last_name", ""), alone=alone,
                              autocomplete="family-name"),
                        spacing="3", width="100%", direction=rx.breakpoints(initial="column", sm="row")),
                field("Email", "email", error=errors.get("email", ""), alone=alone, type_="email",
                      autocomplete="email"),
                field("Password", "password", error=errors.get("password", ""), alone=alone, type_="password",
                      autocomplete="new-password",
                      hint="At least 8 characters. A few random words make a strong password."),
                alert(RegisterState.error),
                submit("Create account", RegisterState.submitting),
                rx.text("Already have an account? ", rx.link("Log in", href=routes.LOGIN, underline="always")),
                spacing="3", max_width="420px",
            ),
            on_submit=RegisterState.submit,
        ),
        title="Create an account",
    )


def login_page() -> rx.Component:
    return page(
        rx.cond(LoginState.for_claim_link,
                rx.text("Log in as the account that asked for this claim to confirm it.", weight="medium",
                        margin_bottom="12px")),
        rx.form(
            rx.vstack(
                field("Email", "email", type_="email", autocomplete="email"),
                field("Password", "password", type_="password", autocomplete="current-password"),
                rx.link("Forgot password?", href=routes.FORGOT_PASSWORD, size="2"),
                alert(LoginState.error),
                submit("Log in", LoginState.submitting),
                rx.text("New here? ", rx.link("Create an account", href=LoginState.register_link,
                                              underline="always")),
                spacing="3", max_width="420px",
            ),
            on_submit=LoginState.submit,
        ),
        title="Log in",
    )


def logout_page() -> rx.Component:
    """Opening /logout changes nothing (a link or a prefetch must not log anyone out): it offers the button."""
    return page(
        rx.cond(
            ~AuthState.session_checked,
            rx.spinner(),
            rx.cond(
                AuthState.logged_in,
                rx.vstack(rx.text("You are logged in as ", rx.text.strong(AuthState.customer_email), "."),
                          logout_button(size="3"), spacing="3"),
                rx.text("You are not logged in. ", rx.link("Back to the shop", href=routes.HOME,
                                                           underline="always")),
            ),
        ),
        title="Log out", account_controls=False,
    )
