"""Helpers every route shares: Medusa-style errors, JSON bodies, the session cookie."""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Awaitable, Callable
from functools import wraps

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from storefront import routes
from storefront.api import shapes
from storefront.api.errors import SAFE_METHODS, TYPES, error_body
from storefront.auth_cookie import device_cookie, session_token
from storefront.config import get_settings
from storefront.models import Customer
from storefront.services import bearer, devices, inputs, orders, sessions
from storefront.services.errors import StorefrontError, TooManyAttempts
from storefront.services.runner import arun, arun_steps

logger = logging.getLogger(__name__)

MAX_JSON_DEPTH = 32  # Medusa's bodies nest three deep; 32 is generous and far from Python's recursion limit


class ApiError(Exception):
    """Raised inside a route to answer with a Medusa-shaped error."""

    def __init__(self, type_: str, message: str) -> None:
        self.type, self.message = type_, message
        super().__init__(message)


def error_response(type_: str, message: str, *, retry_after: int | None = None) -> JSONResponse:
    """{"code", "type", "message"} with the status the store API documents for the type."""
    status, body = error_body(type_, message)
    headers = {"Retry-After": str(retry_after)} if retry_after else None
    return JSONResponse(body, status_code=status, headers=headers)


async def router_refusal(request: Request, exc: HTTPException) -> Response:
    """The router's own 404 and 405 (a method a route does not take), in the documented JSON shape."""
    response = error_response(TYPES.get(exc.status_code, "invalid_data"), str(exc.detail))
    response.headers.update(exc.headers or {})  # keeps 405's Allow header
    return response


Handler = Callable[[Request], Awaitable[Response]]


def endpoint(handler: Handler | None = None, *, form: bool = False) -> Handler | Callable[[Handler], Handler]:
    """Turn typed service errors and ApiError into Medusa error responses (never a 500 for bad input).

    Every POST, PUT, PATCH or DELETE body is checked before the handler runs, whether or not the handler reads
    it: a JSON endpoint answers 415 to any non-empty body that is not declared JSON, so no route can be driven
    by a cross-site `text/plain` form by forgetting to read its body. `form=True` marks the two UI endpoints
    that take an HTML form (api/session.py); the edge still refuses their cross-site posts.
    """
    if handler is None:
        return lambda inner: endpoint(inner, form=form)

    @wraps(handler)
    async def wrapped(request: Request) -> Response:
        try:
            if not form and request.method not in SAFE_METHODS:
                await json_body(request)
            return await handler(request)
        except ApiError as exc:
            return error_response(exc.type, exc.message)
        except TooManyAttempts as exc:
            return error_response("too_many_requests", exc.message, retry_after=exc.retry_after)
        except StorefrontError as exc:
            return error_response(exc.api_type, exc.message)
        except HTTPException as exc:  # Starlette's own refusals (a malformed form body, say), in our shape
            return error_response(TYPES.get(exc.status_code, "invalid_data"), str(exc.detail))
        except Exception:  # a bug, not bad input: logged, and still answered in the documented shape
            logger.exception("unhandled error in %s %s", request.method, request.url.path)
            return error_response("unknown_error", "Something went wrong on our side. Please try again.")

    return wrapped


def _check_parsed(body: object) -> None:
    """Refuse JSON nested deeper than MAX_JSON_DEPTH, and text no database or mail can carry."""
    pending: list[tuple[object, int]] = [(body, 1)]
    while pending:
        value, depth = pending.pop()
        if depth > MAX_JSON_DEPTH:
            raise ApiError("invalid_data", f"The request body is nested more than {MAX_JSON_DEPTH} levels deep.")
        if isinstance(value, dict):
            pending.extend((item, depth + 1) for pair in value.items() for item in pair)
        elif isinstance(value, list):
            pending.extend((item, depth + 1) for item in value)
        elif isinstance(value, str) and not inputs.is_clean_unicode(value):
            raise ApiError("invalid_data", "Text in the request body must be valid Unicode without NUL characters.")


async def json_body(request: Request) -> dict:
    """The request's JSON object body ({} when empty).

    A non-empty body must be declared `application/json`: a cross-site HTML form can only send
    form encodings or text/plain, and anything else needs a CORS preflight that STORE_CORS decides.

    Raises:
        ApiError: 415 for another content type; 400 for malformed, too deep or non-object JSON.
    """
    parsed = getattr(request.state, "json_body", None)
    if parsed is not None:  # checked once already, by `endpoint`
        return parsed
    raw = await request.body()
    if not raw.strip():
        return {}
    media_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media_type != "application/json":
        raise ApiError("unsupported_media_type", "Send the request body as JSON (Content-Type: application/json).")
    try:
        body = json.loads(raw)
    except (ValueError, UnicodeDecodeError, RecursionError) as exc:
        raise ApiError("invalid_data", "The request body is not valid JSON.") from exc
    if not isinstance(body, dict):
        raise ApiError("invalid_data", "The request body must be a JSON object.")
    _check_parsed(body)
    request.state.json_body = body
    return body


def text_field(body: dict, name: str) -> str:
    """A body field that must be a string (its content is the services' to check)."""
    value = body.get(name)
    if not isinstance(value, str):
        raise ApiError("invalid_data", f"{name} must be a string.")
    return value


def token_field(body: dict) -> str:
    """The claim token of a confirm, accept or decline body."""
    token = body.get("token")
    if not isinstance(token, str) or not token:
        raise ApiError("invalid_data", "token must be the string from the claim email's link.")
    return token


def page_params(request: Request, *, default_limit: int = 10) -> tuple[int, int]:
    """`offset` and `limit` from the query string, checked by the one paging rule."""
    offset = inputs.whole_number(request.query_params.get("offset"), name="offset", default=0, low=0,
                                 high=inputs.MAX_OFFSET)
    limit = inputs.whole_number(request.query_params.get("limit"), name="limit", default=default_limit, low=1,
                                high=inputs.MAX_PAGE_LIMIT)
    return offset, limit


MAX_LIST_VALUES = 20


def list_param(request: Request, name: str) -> list[str]:
    """Every value of a list in the query string, however Medusa's clients write it: `status[]=a&status[]=b`
    (the docs), `status[0]=a` (the qs library medusa-js and js-sdk use), or plain `status=a`.

    Raises:
        ApiError: More than MAX_LIST_VALUES values.
    """
    key = re.compile(rf"{re.escape(name)}(\[[0-9]{{0,3}}\])?")
    values = [value for field, value in request.query_params.multi_items() if key.fullmatch(field)]
    if len(values) > MAX_LIST_VALUES:
        raise ApiError("invalid_data", f"Send at most {MAX_LIST_VALUES} values of {name}.")
    return values


def order_list_params(request: Request) -> dict:
    """The filters and sort of Medusa's order lists, for services/orders.list_customer_orders to check."""
    return {"status": list_param(request, "status"), "fulfillment_status": list_param(request, "fulfillment_status"),
            "payment_status": list_param(request, "payment_status"), "order": request.query_params.get("order")}


def client_address(request: Request) -> str:
    """The peer's address, for per-client rate limits (a proxy in front should set its own limits)."""
    return request.client.host if request.client else ""


def session_cookie(request: Request) -> str | None:
    """The session token of the request's Cookie header, parsed as the UI parses it (auth_cookie.py)."""
    return session_token(request.headers.get("cookie"))


def request_device(request: Request) -> str | None:
    """The device cookie the request carries (services/devices.py), or None."""
    return device_cookie(request.headers.get("cookie"))


def bearer_token(request: Request) -> str | None:
    """The token of an `Authorization: Bearer …` header (Medusa v2's js-sdk sends its JWT so), or None."""
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" else None


async def current_customer(request: Request) -> Customer | None:
    """The customer whose bearer token or session cookie came with the request.

    A bearer token, when sent, decides alone: a bad or expired one is not quietly replaced by a cookie that
    may belong to someone else.
    """
    token = bearer_token(request)
    if token is not None:
        return await arun(bearer.customer_for_token, token=token)
    token = session_cookie(request)
    if not token:
        return None
    return await arun(sessions.customer_for_token, token=token)


async def customer_json(customer: Customer) -> dict:
    """A customer as the store API answers it, with the addresses of their orders."""
    addresses = await arun(orders.shipping_addresses, customer_id=customer.id)
    return shapes.customer(customer, addresses)


async def end_login(request: Request) -> None:
    """Log out: end the login of the request's session cookie and of its bearer token, whichever it carries."""
    await arun(sessions.revoke, token=session_cookie(request))
    token = bearer_token(request)
    if token is not None:
        await arun(bearer.logout, token=token)


async def require_customer(request: Request) -> Customer:
    customer = await current_customer(request)
    if customer is None:
        raise ApiError("unauthorized", "Log in first: this needs a customer session.")
    return customer


def set_session_cookie(response: Response, token: str) -> None:
    settings = get_settings()
    response.set_cookie(
        routes.SESSION_COOKIE, token, max_age=settings.session_max_age, path="/", httponly=True,
        samesite="lax", secure=settings.base_url.startswith("https://"),
    )


def clear_session_cookie(response: Response) -> None:
    response.delete_cookie(routes.SESSION_COOKIE, path="/", httponly=True, samesite="lax")


def set_device_cookie(response: Response, email: str) -> None:
    """Remember this browser as one that logged in to `email`'s account (services/devices.py)."""
    response.set_cookie(
        routes.DEVICE_COOKIE, devices.issue(email), max_age=devices.MAX_AGE, path="/", httponly=True,
        samesite="lax", secure=get_settings().base_url.startswith("https://"),
    )


async def bearer_login(request: Request, answer_key: str) -> Response:
    """A login answered with a bearer token under `answer_key` (v1's `access_token`, v2's `token`), and a device
    cookie only: the login itself stays in the bearer."""
    body = await json_body(request)
    customer, token = await arun_steps(bearer.login, email=text_field(body, "email"),
                                       password=text_field(body, "password"), client=client_address(request),
                                       device_cookie=request_device(request))
    response = JSONResponse({answer_key: token})
    set_device_cookie(response, customer.email)
    return response
