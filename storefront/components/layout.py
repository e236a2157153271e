"""The page frame: skip link, header (demo banner, navigation, phone menu), and the main column.

Everything sits in a landmark (axe's `region` rule): the banner and the links in <header>, the page in <main>.
"""

from __future__ import annotations

import reflex as rx
from reflex.experimental.client_state import ClientStateVar

from storefront import routes
from storefront.components.visit import loaded
from storefront.state.auth import AuthState
from storefront.state.shop import CartState

MAIN_ID = "main"
NAV_ID = "site-nav"
# Open or closed on this browser only: the menu never waits for the server.
menu_open = ClientStateVar.create("menu_open", default=False)


def demo_banner() -> rx.Component:
    return rx.box(
        rx.text("Demo shop: no real goods, payments or emails leave this machine unless SMTP is configured.",
                size="1", align="center"),
        rx.cond(AuthState.outbox_public, rx.text(
            "Warning: this shop's mail outbox is public. Anyone can read every email it sends, claim links "
            "included, at /outbox.", size="1", align="center", weight="bold")),
        class_name="demo-banner",
    )


def nav_link(text: str | rx.Var, href: str) -> rx.Component:
    """A header link; following it folds the phone menu away again."""
    return rx.link(text, href=href, underline="always", weight="medium", color_scheme="gray", high_contrast=True,
                   on_click=menu_open.set_value(False))


def logout_button(size: str = "2") -> rx.Component:
    """Logging out is a button press (a POST), never a page load: a link or an image could not do it."""
    return rx.button("Log out", variant="soft", size=size, high_contrast=True, on_click=AuthState.logout)


def pending(label: str = "Loading") -> rx.Component:
    """Stands in for what depends on the session or the page's own load until that is known.

    Never the previous visit's content and never a guess ("Log in" for a customer who is logged in).
    """
    return rx.flex(rx.spinner(size="3"), rx.el.span(label, class_name="sr-only"), align="center",
                   justify="center", min_height="120px", width="100%", custom_attrs={"aria-busy": "true"})


def account_links(account_controls: bool) -> rx.Component:
    """Account or Log in/Register, once the session is known; a blank of the same size before."""
    return rx.cond(
        AuthState.session_checked,
        rx.cond(
            AuthState.logged_in,
            rx.fragment(rx.el.li(nav_link("Account", routes.ACCOUNT)),
                        rx.el.li(logout_button()) if account_controls else rx.fragment()),
            rx.fragment(rx.el.li(nav_link("Log in", routes.LOGIN)), rx.el.li(nav_link("Register", routes.REGISTER))),
        ),
        rx.el.li(rx.box(class_name="account-placeholder"), custom_attrs={"aria-hidden": "true"}),
    )


def header(account_controls: bool = True, width: str = "") -> rx.Component:
    cart_label = rx.cond(CartState.item_count > 0, f"Cart ({CartState.item_count})", "Cart")
    return rx.el.header(
        rx.el.a("Skip to content", href=f"#{MAIN_ID}", class_name="skip-link"),
        demo_banner(),
        rx.box(
            rx.link(rx.text("Storefront", size="5", weight="bold"), href=routes.HOME, underline="none",
                    color_scheme="gray", high_contrast=True),
            rx.box(class_name="site-bar-spacer"),
            nav_link(cart_label, routes.CART),
            rx.button(
                rx.cond(menu_open.value, rx.icon("x", size=18), rx.icon("menu", size=18)), "Menu",
                variant="soft", color_scheme="gray", high_contrast=True, class_name="menu-button",
                custom_attrs={"aria-expanded": rx.cond(menu_open.value, "true", "false"), "aria-controls": NAV_ID},
                on_click=menu_open.set_value(~menu_open.value),
            ),
            rx.el.nav(
                rx.el.ul(
                    rx.el.li(nav_link("Shop", routes.HOME)),
                    rx.cond(AuthState.outbox_enabled, rx.el.li(nav_link(
                        rx.cond(AuthState.outbox_unread > 0, f"Mail outbox ({AuthState.outbox_unread})", "Mail outbox"),
                        routes.OUTBOX))),
                    account_links(account_controls),
                ),
                id=NAV_ID, class_name="site-nav", aria_label="Main",
                custom_attrs={"data-open": rx.cond(menu_open.value, "true", "false")},
            ),
            class_name=f"site-bar {width}",
        ),
        class_name="site-header",
    )


def page(*children: rx.Component, title: str | rx.Var | None = None, account_controls: bool = True,
         ready: rx.Var | bool = True, wide: bool = False) -> rx.Component:
    """A whole page: header, then the content under an optional heading.

    `ready` says when the content may show: pages whose content comes from their own load pass
    `rx.State.is_hydrated` (or more), and show `pending()` until then. `account_controls=False` leaves the
    header's Log out button out (the logout page has its own). `wide` lets the main column use a laptop's
    whole width (the outbox's two panes).
    """
    heading = [] if title is None else [
        rx.heading(title, size="7", as_="h1", class_name="page-title wrap-anywhere")]
    column = "wide" if wide else ""
    body = rx.cond(ready, rx.fragment(*children), pending()) if ready is not True else rx.fragment(*children)
    return rx.box(
        menu_open,
        header(account_controls, column),
        # data-loaded: this visit's on_load handlers have all run. Until then a form sent would reach the server
        # before them, and their reset would wipe its answer; the held-actions script reads this to wait.
        rx.el.main(*heading, body, id=MAIN_ID, tab_index=-1, class_name=f"page-main {column}",
                   custom_attrs={"data-loaded": rx.cond(loaded(), "true", "false")}),
        class_name="page-frame",
    )
