"""The page frame: demo banner, header with navigation, and a centred content column."""

from __future__ import annotations

import reflex as rx

from storefront import routes
from storefront.state.auth import AuthState
from storefront.state.shop import CartState


def demo_banner() -> rx.Component:
    return rx.box(
        rx.text("Demo shop: no real goods, payments or emails leave this machine unless SMTP is configured.",
                size="1", align="center"),
        rx.cond(AuthState.outbox_public, rx.text(
            "Warning: this shop's mail outbox is public. Anyone can read every email it sends, claim links "
            "included, at /outbox.", size="1", align="center", weight="bold")),
        background_color=rx.color("amber", 3), padding_y="4px", padding_x="12px", width="100%",
    )


def nav_link(text: str | rx.Var, href: str) -> rx.Component:
    return rx.link(text, href=href, underline="hover", weight="medium", color_scheme="gray", high_contrast=True)


def logout_button(size: str = "2") -> rx.Component:
    """Logging out is a button press (a POST), never a page load: a link or an image could not do it."""
    return rx.button("Log out", variant="soft", size=size, on_click=AuthState.logout)


def header(account_controls: bool = True) -> rx.Component:
    account = rx.cond(
        AuthState.logged_in,
        rx.hstack(
            nav_link("Account", routes.ACCOUNT),
            logout_button() if account_controls else rx.fragment(),
            align="center", spacing="3",
        ),
        rx.hstack(nav_link("Log in", routes.LOGIN), nav_link("Register", routes.REGISTER), spacing="3"),
    )
    return rx.el.header(
        rx.flex(
            rx.link(rx.text("Storefront", size="5", weight="bold"), href=routes.HOME, underline="none",
                    color_scheme="gray", high_contrast=True),
            rx.flex(
                nav_link("Shop", routes.HOME),
                nav_link(rx.cond(CartState.item_count > 0, f"Cart ({CartState.item_count})", "Cart"), routes.CART),
                rx.cond(AuthState.outbox_enabled,
                        nav_link(rx.cond(AuthState.outbox_unread > 0, f"Mail outbox ({AuthState.outbox_unread})",
                                         "Mail outbox"), routes.OUTBOX)),
                account,
                spacing="4", align="center", wrap="wrap", justify="end",
            ),
            justify="between", align="center", wrap="wrap", spacing="3", padding="16px", max_width="960px",
            margin_x="auto",
        ),
        border_bottom=f"1px solid {rx.color('gray', 5)}",
    )


def page(*children: rx.Component, title: str | None = None, account_controls: bool = True) -> rx.Component:
    """A whole page: banner, header, then the content under an optional heading.

    `account_controls=False` leaves the header's Log out button out (the logout page has its own).
    """
    content = [rx.heading(title, size="7", as_="h1", margin_bottom="16px")] if title else []
    return rx.box(
        demo_banner(),
        header(account_controls),
        rx.el.main(
            *content, *children,
            max_width="960px", margin_x="auto", padding="16px", width="100%",
        ),
        min_height="100vh",
    )
