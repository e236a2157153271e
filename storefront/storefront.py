"""Wires the app: pages, API routes, startup. Nothing else lives here."""

import asyncio
import gc
import logging

import reflex as rx

from storefront import (
    models,  # noqa: F401  the tables join SQLModel.metadata, which Reflex's db commands read
    routes,
)
from storefront.api.app import build_api
from storefront.api.edge import guard
from storefront.config import get_settings
from storefront.migrate import prepare_database
from storefront.pages import account, auth, claim_link, outbox, password, shop
from storefront.services.runner import courier
from storefront.state.account import AccountState
from storefront.state.auth import AuthState, LoginState, RegisterState
from storefront.state.checkout import CheckoutState
from storefront.state.claim import ClaimState
from storefront.state.outbox import OutboxState
from storefront.state.password import ForgotPasswordState, ResetPasswordState
from storefront.state.shop import CartState, CatalogState
from storefront.state.verify import DeclineState, VerifyState

logger = logging.getLogger("storefront")


async def startup():
    """Warn about unsafe settings, migrate and seed, then start the mail courier (it retries every 30 s)."""
    settings = get_settings()
    # Read the keys now, so a missing STOREFRONT_SECRET_KEYS is warned about at start, not at the first claim.
    logger.info("claim links signed with %d key(s)", len(settings.secret_keys))
    for warning in settings.startup_warnings():
        logger.warning(warning)
    await asyncio.to_thread(prepare_database, settings.database_url)
    courier.wake()  # mail an earlier run left undelivered goes out now
    # What import and compilation made lives as long as the process: out of the cyclic collector's way, every
    # full collection skips it (it was ~75k objects, ~90 ms of each one; issue 11's stall probe).
    gc.collect()
    gc.freeze()


def backend_error(exception: Exception) -> rx.event.EventSpec:
    """The last resort for an event that failed before or inside its handler.

    Handlers check their own arguments and answer in the page's alert; what reaches here is an event naming
    arguments its handler does not take (a tampered frame: one log line, no traceback) or a bug (logged whole).
    """
    if isinstance(exception, TypeError) and "argument" in str(exception):
        logger.warning("refused an event with the wrong arguments: %s", exception)
    else:
        logger.error("event failed", exc_info=exception)
    return rx.toast.error("That did not work. Reload the page and try again.", id="backend_error")


# The guard wraps everything, pages included: size cap, cross-site refusal, security headers.
app = rx.App(api_transformer=[build_api(), guard], backend_exception_handler=backend_error)
app.register_lifespan_task(startup)

PUBLIC = [AuthState.load_session, CartState.load_cart]
PRIVATE = [AuthState.require_login, CartState.load_cart]
# Claim links carry tokens: their pages never send a Referer to another site (the edge's header says the same).
SAME_ORIGIN_REFERRER = [{"name": "referrer", "content": "same-origin"}]

app.add_page(shop.catalog_page, route=routes.HOME, title="Storefront", on_load=[*PUBLIC, CatalogState.load_products])
app.add_page(shop.cart_page, route=routes.CART, title="Cart · Storefront", on_load=PUBLIC)
app.add_page(shop.checkout_page, route=routes.CHECKOUT, title="Checkout · Storefront",
             on_load=[*PUBLIC, CheckoutState.reset_form])
app.add_page(shop.order_confirmed_page, route=routes.ORDER_CONFIRMED, title="Order confirmed · Storefront",
             on_load=PUBLIC)
app.add_page(auth.register_page, route=routes.REGISTER, title="Register · Storefront",
             on_load=[*PUBLIC, RegisterState.reset_form])
app.add_page(auth.login_page, route=routes.LOGIN, title="Log in · Storefront", on_load=[*PUBLIC, LoginState.reset_form])
app.add_page(password.forgot_password_page, route=routes.FORGOT_PASSWORD, title="Forgot password · Storefront",
             on_load=[*PUBLIC, ForgotPasswordState.reset_form])
app.add_page(password.reset_password_page, route=routes.RESET_PASSWORD, title="Set a new password · Storefront",
             on_load=[*PUBLIC, ResetPasswordState.load], meta=SAME_ORIGIN_REFERRER)
app.add_page(auth.logout_page, route=routes.LOGOUT, title="Log out · Storefront", on_load=PUBLIC)
app.add_page(account.account_page, route=routes.ACCOUNT, title="My orders · Storefront",
             on_load=[*PRIVATE, AccountState.load])
app.add_page(account.claim_page, route=routes.CLAIM, title="Claim an order · Storefront",
             on_load=[*PRIVATE, ClaimState.reset_form])
app.add_page(claim_link.verify_page, route=routes.VERIFY, title="Confirm your order claim · Storefront",
             on_load=[*PUBLIC, VerifyState.load], meta=SAME_ORIGIN_REFERRER)
app.add_page(claim_link.decline_page, route=routes.DECLINE, title="Decline an order claim · Storefront",
             on_load=[*PUBLIC, DeclineState.load], meta=SAME_ORIGIN_REFERRER)
app.add_page(outbox.outbox_page, route=routes.OUTBOX, title="Mail outbox · Storefront",
             on_load=[*PUBLIC, OutboxState.load])
app.add_page(outbox.not_found_page, route="404", title="Page not found · Storefront", on_load=PUBLIC)


