"""Wires the app: pages, API routes, lifespan tasks. Nothing else lives here."""

import reflex as rx

from storefront import (
    logs,
    models,  # noqa: F401  the tables join SQLModel.metadata, which Reflex's db commands read
    routes,
)
from storefront.api.app import build_api
from storefront.api.edge import guard
from storefront.components import held_actions
from storefront.config import get_settings
from storefront.pages import account, auth, checkout, claim_link, order, outbox, password, product, shop
from storefront.socket_guard import guard_sockets
from storefront.startup import startup
from storefront.state.account import AccountState
from storefront.state.auth import AuthState, LoginState, RegisterState
from storefront.state.catalog_snapshot import products as products_at_build
from storefront.state.checkout import CheckoutState
from storefront.state.claim import ClaimState
from storefront.state.failures import backend_error
from storefront.state.order import OrderPageState
from storefront.state.outbox import OutboxState
from storefront.state.outbox_live import watch_outbox
from storefront.state.password import ForgotPasswordState, ResetPasswordState
from storefront.state.product import ProductState
from storefront.state.session_binding import SessionBinding
from storefront.state.shop import CartState, CatalogState, product_cards
from storefront.state.verify import DeclineState, VerifyState

logs.install()  # before the app exists: no secret reaches a log line from here on (storefront/logs.py)

# Every page's <head>: the SVG icon (and the .ico beside it for clients that only ask for /favicon.ico),
# what a person does before the page works, held (storefront/components/held_actions.py), and the script that
# moves focus after navigations and form answers (assets/storefront.js).
HEAD = [
    rx.el.link(rel="icon", href="/favicon.svg", type="image/svg+xml"),
    rx.el.link(rel="icon", href="/favicon.ico", sizes="32x32"),
    held_actions.script(),
    rx.script(src="/storefront.js"),
]
# The picture a link preview shows: absolute, as Open Graph asks.
PREVIEW_IMAGE = routes.absolute(get_settings().base_url, "/og-image.png")

# The guard wraps everything, pages included: size cap, cross-site refusal, security and cache headers.
# The toasts keep their text dark on a light ground (sonner's rich colours are 4.25:1, under 4.5:1).
app = rx.App(api_transformer=[build_api(), guard], backend_exception_handler=backend_error,
             stylesheets=["/storefront.css"], head_components=HEAD,
             toaster=rx.toast.provider(close_button=True, toast_options=rx.toast.options(
                 style={"color": "#14161a", "background": "#f1f7f2", "border": "1px solid #2f7c4a"})))
app.add_middleware(SessionBinding())  # per-customer state only for the session cookie it was loaded under
app.register_lifespan_task(startup)
app.register_lifespan_task(watch_outbox)
app.register_lifespan_task(guard_sockets)

PUBLIC = [AuthState.load_session, CartState.load_cart]
PRIVATE = [AuthState.require_login, CartState.load_cart]
# Pages whose URL carries a token never send a Referer to another site (the edge's header says the same).
SAME_ORIGIN_REFERRER = [{"name": "referrer", "content": "same-origin"}]


def add_page(component, route: str, title: str | rx.Var, on_load: list, **props) -> None:
    app.add_page(component, route=route, title=title, on_load=on_load, image=PREVIEW_IMAGE, **props)


add_page(shop.catalog_page, routes.HOME, "Storefront", [*PUBLIC, CatalogState.load_products])
add_page(product.product_page, routes.PRODUCT, ProductState.page_title, [*PUBLIC, ProductState.load])
for known in product_cards(products_at_build()):  # prebuilt with the product in the HTML (pages/product.py)
    add_page(product.known_product_page(known), routes.product_path(known.handle),
             rx.cond(rx.State.is_hydrated, ProductState.page_title, f"{known.title} · Storefront"),
             [*PUBLIC, ProductState.load])
add_page(shop.cart_page, routes.CART, "Cart · Storefront", PUBLIC)
add_page(checkout.checkout_page, routes.CHECKOUT, "Checkout · Storefront", [*PUBLIC, CheckoutState.reset_form])
add_page(checkout.order_confirmed_page, routes.ORDER_CONFIRMED, "Order confirmed · Storefront", PUBLIC)
add_page(auth.register_page, routes.REGISTER, "Register · Storefront", [*PUBLIC, RegisterState.reset_form])
add_page(auth.login_page, routes.LOGIN, "Log in · Storefront", [*PUBLIC, LoginState.reset_form])
add_page(password.forgot_password_page, routes.FORGOT_PASSWORD, "Forgot password · Storefront",
         [*PUBLIC, ForgotPasswordState.reset_form])
add_page(password.reset_password_page, routes.RESET_PASSWORD, "Set a new password · Storefront",
         [*PUBLIC, ResetPasswordState.load], meta=SAME_ORIGIN_REFERRER)
add_page(auth.logout_page, routes.LOGOUT, "Log out · Storefront", PUBLIC)
add_page(account.account_page, routes.ACCOUNT, "Your account · Storefront", [*PRIVATE, AccountState.load])
add_page(order.order_page, routes.ORDER, "Order · Storefront", [*PRIVATE, OrderPageState.load])
add_page(account.claim_page, routes.CLAIM, "Claim an order · Storefront", [*PRIVATE, ClaimState.reset_form])
add_page(claim_link.verify_page, routes.VERIFY, "Confirm your order claim · Storefront",
         [*PUBLIC, VerifyState.load], meta=SAME_ORIGIN_REFERRER)
add_page(claim_link.decline_page, routes.DECLINE, "Decline an order claim · Storefront",
         [*PUBLIC, DeclineState.load], meta=SAME_ORIGIN_REFERRER)
add_page(outbox.outbox_page, routes.OUTBOX, "Mail outbox · Storefront", [*PUBLIC, OutboxState.load])
add_page(outbox.not_found_page, "404", "Page not found · Storefront", PUBLIC)
