"""Store API: registration, login sessions and the customer's own data (Medusa v1 paths; v2's sign-up too)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from storefront.api import shapes
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
    order_list_params,
    page_params,
    request_device,
    require_customer,
    set_device_cookie,
    set_session_cookie,
    text_field,
)
from storefront.api.errors import SAFE_METHODS
from storefront.services import accounts, bearer, logins, orders, password_reset, registrations
from storefront.services.runner import arun, arun_steps, later

_NO_IDENTITY = ("Sign up first: POST /auth/customer/emailpass/register, then send its token here as "
                "Authorization: Bearer <token>; or send a password with your details to sign up in one step.")


async def _logged_in(customer, token: str) -> Response:
    response = JSONResponse({"customer": await customer_json(customer)})
    set_session_cookie(response, token)
    set_device_cookie(response, customer.email)
    return response


@endpoint
async def create_customer(request: Request) -> Response:
    """Sign-up, both generations on one path: which one a request is follows from what it carries.

    A bearer token is v2's (the registration token). Without one, a body with `password` is v1's one-step
    sign-up (v1's body always has it), and a body without it is v2 with no identity: 401, as Medusa v2 answers.
    """
    body = await json_body(request)
    registration = bearer_token(request)
    if registration is not None:  # Medusa v2: the token from POST /auth/customer/emailpass/register, no password
        if await arun(bearer.customer_for_token, token=registration) is not None:
            raise ApiError("invalid_data", "Request already authenticated as a customer.")
        customer = await arun(registrations.complete, token=registration, email=body.get("email"),
                              first_name=body.get("first_name"), last_name=body.get("last_name"))
        return JSONResponse({"customer": shapes.customer(customer)})
    if "password" not in body:
        raise ApiError("unauthorized", _NO_IDENTITY)
    fields = {name: text_field(body, name) for name in ("first_name", "last_name", "email", "password")}
    customer, token = await arun_steps(accounts.register_and_login, client=client_address(request), **fields)
    return await _logged_in(customer, token)


@endpoint
async def auth(request: Request) -> Response:
    if request.method in SAFE_METHODS:  # GET, and HEAD, which Starlette lets into every GET route
        return JSONResponse({"customer": await customer_json(await require_customer(request))})
    if request.method == "DELETE":
        await end_login(request)
        response = JSONResponse({})
        clear_session_cookie(response)
        return response
    if request.method != "POST":
        raise ApiError("method_not_allowed", "Use GET, POST or DELETE here.")
    body = await json_body(request)
    customer, token = await arun_steps(logins.login, email=text_field(body, "email"),
                                       password=text_field(body, "password"), client=client_address(request),
                                       device_cookie=request_device(request))
    return await _logged_in(customer, token)


@endpoint
async def auth_token(request: Request) -> Response:
    """Medusa v1's JWT login (medusa-js `auth.getToken`): v2's bearer token under v1's name, so every store
    route takes it and a logout (DELETE /store/auth or /auth/session with it) ends it at once."""
    return await bearer_login(request, "access_token")


@endpoint
async def me(request: Request) -> Response:
    return JSONResponse({"customer": await customer_json(await require_customer(request))})


@endpoint
async def my_orders(request: Request) -> Response:
    customer = await require_customer(request)
    offset, limit = page_params(request)
    found, count = await arun(orders.list_customer_orders, customer_id=customer.id, offset=offset, limit=limit,
                              **order_list_params(request))
    return JSONResponse({"orders": [shapes.order(o) for o in found], "count": count, "offset": offset,
                         "limit": limit})


@endpoint
async def password_token(request: Request) -> Response:
    """Medusa v1's `customers.generatePasswordToken`: 204 whether or not the email has an account, in the same
    time: the account is looked up, and the mail stored, after the answer."""
    email = password_reset.reset_request_email(text_field(await json_body(request), "email"))
    later(password_reset.request_reset, email=email)
    return Response(status_code=204)


@endpoint
async def reset_password(request: Request) -> Response:
    """Medusa v1's `customers.resetPassword`: a new password through an emailed token; every session ends."""
    body = await json_body(request)
    customer = await arun_steps(password_reset.reset_password, email=text_field(body, "email"),
                                token=text_field(body, "token"), password=text_field(body, "password"),
                                client=client_address(request))
    return JSONResponse({"customer": await customer_json(customer)})


ROUTES = [
    Route("/store/customers", create_customer, methods=["POST"]),
    Route("/store/auth", auth, methods=["GET", "POST", "DELETE"]),
    Route("/store/auth/token", auth_token, methods=["POST"]),
    Route("/store/customers/me", me, methods=["GET"]),
    Route("/store/customers/me/orders", my_orders, methods=["GET"]),
    Route("/store/customers/password-token", password_token, methods=["POST"]),
    Route("/store/customers/password-reset", reset_password, methods=["POST"]),
]
