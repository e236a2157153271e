"""Medusa v2's customer auth, as @medusajs/js-sdk 2.x calls it: email-and-password login and sign-up that
answer with a JWT, the JWT traded for the session cookie (and the cookie ended), and the JWT refreshed.

The JWT is sent back as `Authorization: Bearer`, which every store route accepts beside the cookie
(api/common.py). Logins go through the same password check and throttling as v1's POST /store/auth.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from storefront.api.common import (
    ApiError,
    bearer_login,
    bearer_token,
    clear_session_cookie,
    client_address,
    customer_json,
    end_login,
    endpoint,
    json_body,
    set_session_cookie,
    text_field,
)
from storefront.services import bearer, registrations
from storefront.services.errors import EmailTaken
from storefront.services.runner import arun, arun_steps

_NO_TOKEN = "Send the token from POST /auth/customer/emailpass as Authorization: Bearer <token>."


def _required_bearer(request: Request) -> str:
    token = bearer_token(request)
    if not token:
        raise ApiError("unauthorized", _NO_TOKEN)
    return token


@endpoint
async def emailpass(request: Request) -> Response:
    return await bearer_login(request, "token")


@endpoint
async def emailpass_register(request: Request) -> Response:
    body = await json_body(request)
    try:
        token = await arun_steps(registrations.begin, email=text_field(body, "email"),
                                 password=text_field(body, "password"), client=client_address(request))
    except EmailTaken:  # Medusa v2's answer, which its clients branch on (v1's sign-up keeps its 422)
        raise ApiError("unauthorized", "Identity with email already exists") from None
    return JSONResponse({"token": token})


@endpoint
async def auth_session(request: Request) -> Response:
    if request.method == "DELETE":
        await end_login(request)
        response = JSONResponse({"success": True})
        clear_session_cookie(response)
        return response
    customer, cookie = await arun(bearer.trade_for_cookie, token=_required_bearer(request))
    response = JSONResponse({"customer": await customer_json(customer)})
    set_session_cookie(response, cookie)
    return response


@endpoint
async def refresh(request: Request) -> Response:
    return JSONResponse({"token": await arun(bearer.refresh, token=_required_bearer(request))})


ROUTES = [
    Route("/auth/customer/emailpass", emailpass, methods=["POST"]),
    Route("/auth/customer/emailpass/register", emailpass_register, methods=["POST"]),
    Route("/auth/session", auth_session, methods=["POST", "DELETE"]),
    Route("/auth/token/refresh", refresh, methods=["POST"]),
]
