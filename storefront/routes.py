"""Every route path and URL builder, shared by pages, emails, the API and tests."""

from __future__ import annotations

from urllib.parse import quote, unquote, urlencode, urlsplit

HOME = "/"
CART = "/cart"
CHECKOUT = "/checkout"
ORDER_CONFIRMED = "/order-confirmed"
REGISTER = "/register"
LOGIN = "/login"
FORGOT_PASSWORD = "/forgot-password"
RESET_PASSWORD = "/reset-password"
LOGOUT = "/logout"
ACCOUNT = "/account"
CLAIM = "/claim"
VERIFY = "/verify"
DECLINE = "/decline"
OUTBOX = "/outbox"
PRODUCTS = "/products"
PRODUCT = "/products/[handle]"  # the route pattern; product_path() builds one product's path
ORDERS = "/orders"
ORDER = "/orders/[order_id]"  # the route pattern; order_path() builds one order's path

# HTTP endpoints that set or clear the HttpOnly session cookie for the UI (see api/session.py).
SESSION_BEGIN = "/api/session/begin"
SESSION_END = "/api/session/end"
OUTBOX_API = "/api/outbox/messages"

SESSION_COOKIE = "sf_session"
# A signed cookie naming the accounts a browser logged in to before (services/devices.py).
DEVICE_COOKIE = "sf_device"
# A random cookie per browser session that page state is bound to beside the session (api/edge.py).
BROWSER_COOKIE = "sf_browser"


def with_query(path: str, **params: str) -> str:
    """`path` with the non-empty `params` as a query string."""
    query = urlencode({k: v for k, v in params.items() if v})
    return f"{path}?{query}" if query else path


def product_path(handle: str) -> str:
    """One product's page."""
    return f"{PRODUCTS}/{quote(handle, safe='')}"


def product_handle(path: str) -> str:
    """The handle in a product page's path ("" when the path is not one)."""
    prefix, _, handle = path.strip("/").partition("/")
    return unquote(handle) if prefix == PRODUCTS.strip("/") and "/" not in handle else ""


def order_path(order_id: str) -> str:
    """One order's own page (its owner's only)."""
    return f"{ORDERS}/{quote(order_id, safe='')}"


def order_in(path: str) -> str:
    """The order ID in an order page's path ("" when the path is not one)."""
    prefix, _, order_id = path.strip("/").partition("/")
    return unquote(order_id) if prefix == ORDERS.strip("/") and "/" not in order_id else ""


def canonical(path: str) -> str:
    """The form of a page's path the server answers without a redirect: with a trailing slash before any query.

    The production server answers `/verify?token=…` with a 307 to `/verify/?token=…`; a link in an email or a
    redirect of ours goes straight to the second.
    """
    parts = urlsplit(path)
    page = parts.path if parts.path.endswith("/") else parts.path + "/"
    return page + (f"?{parts.query}" if parts.query else "")


def visit_key(path: str, query: str = "") -> str:
    """Which page a visit is to, written as the browser's location reads in the page (see layout.py)."""
    return path.rstrip("/") + (f"?{query}" if query else "")


def outbox_url(query: str = "", message: str = "") -> str:
    """The outbox page with its search (`q`) and the open message, so a reload or a shared link shows both."""
    return with_query(OUTBOX, q=query, message=message)


def absolute(base_url: str, path: str) -> str:
    """An absolute URL for a path under the shop's base URL."""
    return base_url.rstrip("/") + path


def verify_url(base_url: str, token: str) -> str:
    """The link a claim email carries to confirm the claim."""
    return absolute(base_url, canonical(with_query(VERIFY, token=token)))


def decline_url(base_url: str, token: str) -> str:
    """The link a claim email carries to say "this was not me"."""
    return absolute(base_url, canonical(with_query(DECLINE, token=token)))


def reset_url(base_url: str, token: str) -> str:
    """The link a password-reset email carries."""
    return absolute(base_url, canonical(with_query(RESET_PASSWORD, token=token)))


def is_claim_link(path: str) -> bool:
    """True for a local path to a claim link's page (/verify?token=…): the login page then says who should log in."""
    return urlsplit(path).path.rstrip("/") == VERIFY


def login_url(next_path: str = "") -> str:
    """The login page, coming back to `next_path` afterwards."""
    return with_query(LOGIN, next=next_path)


def safe_next(next_path: str | None, default: str = ACCOUNT) -> str:
    """Only local paths are honoured for `?next=` (no open redirect)."""
    if not next_path or len(next_path) > 2000 or not next_path.isprintable():
        return default
    parts = urlsplit(next_path)
    if parts.scheme or parts.netloc or not next_path.startswith("/") or next_path.startswith("//"):
        return default
    if "\\" in next_path:
        return default
    return next_path
