"""Helpers every route shares: Medusa-style errors, JSON bodies, the session cookie."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from functools import wraps

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from storefront import routes
from storefront.config import get_settings
from storefront.models import Customer
from storefront.services import sessions
from storefront.services.errors import (
    ClaimError,
    ClaimForbidden,
    EmailTaken,
    GuestEmailHasAccount,
    InvalidCredentials,
    NotFound,
    StorefrontError,
    TooManyAttempts,
)
from storefront.services.runner import arun

# Medusa's error handler writes {code, type, message}; these are its types and our status codes.
_STATUS = {"invalid_data": 400, "unauthorized": 401, "not_allowed": 403, "not_found": 404,
           "duplicate_error": 422, "too_many_requests": 429}
_CODES = {"invalid_data": "invalid_request_error", "duplicate_error": "invalid_request_error",
          "not_allowed": "invalid_state_error"}


class ApiError(Exception):
    """Raised inside a route to answer with a Medusa-shaped error."""

    def __init__(self, type_: str, message: str) -> None:
        self.type, self.message = type_, message
        super().__init__(message)


def error_response(type_: str, message: str) -> JSONResponse:
    """{"code", "type", "message"} with the status CONTRACT.md gives the type."""
    code = _CODES.get(type_, "unknown_error")
    return JSONResponse({"code": code, "type": type_, "message": message}, status_code=_STATUS[type_])


def _type_for(exc: StorefrontError) -> str:
    if isinstance(exc, ClaimForbidden):
        return "not_allowed"
    if isinstance(exc, InvalidCredentials):
        return "unauthorized"
    if isinstance(exc, NotFound):
        return "not_found"
    if isinstance(exc, EmailTaken | GuestEmailHasAccount):
        return "duplicate_error"
    if isinstance(exc, TooManyAttempts):
        return "too_many_requests"
    return "invalid_data"  # bad input, unusable claim links (400, where Medusa v1 answers 500)


Handler = Callable[[Request], Awaitable[Response]]


def endpoint(handler: Handler) -> Handler:
    """Turn typed service errors and ApiError into Medusa error responses (never a 500 for bad input)."""

    @wraps(handler)
    async def wrapped(request: Request) -> Response:
        try:
            return await handler(request)
        except ApiError as exc:
            return error_response(exc.type, exc.message)
        except ClaimError as exc:
            return error_response(_type_for(exc), exc.message)
        except StorefrontError as exc:
            return error_response(_type_for(exc), exc.message)

    return wrapped


async def json_body(request: Request) -> dict:
    """The request's JSON object body ({} when empty)."""
    raw = await request.body()
    if not raw.strip():
        return {}
    try:
        body = json.loads(raw)
    except (ValueError, UnicodeDecodeError) as exc:
        raise ApiError("invalid_data", "The request body is not valid JSON.") from exc
    if not isinstance(body, dict):
        raise ApiError("invalid_data", "The request body must be a JSON object.")
    return body


async def current_customer(request: Request) -> Customer | None:
    """The customer whose session cookie came with the request."""
    token = request.cookies.get(routes.SESSION_COOKIE)
    if not token:
        return None
    return await arun(sessions.customer_for_token, token=token)


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
