"""The UI's cookie endpoints. The UI logs in over its websocket, which cannot set an HttpOnly cookie,
so it posts a one-minute ticket here; the answer sets the cookie and sends the browser on.

Both refuse cross-site posts (api/edge.py checks Origin on every state-changing request): otherwise another
site could log a visitor into the attacker's account, and the visitor's next claim would hand the attacker
their orders."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from storefront import routes
from storefront.api.common import (
    clear_session_cookie,
    endpoint,
    session_cookie,
    set_device_cookie,
    set_session_cookie,
)
from storefront.services import sessions
from storefront.services.runner import arun


@endpoint(form=True)
async def begin(request: Request) -> Response:
    form = await request.form()
    next_path = routes.safe_next(str(form.get("next") or ""))
    token = await arun(sessions.redeem_ticket, ticket=str(form.get("ticket") or ""))
    if token is None:
        return RedirectResponse(routes.canonical(routes.login_url(next_path)), status_code=303)
    response = RedirectResponse(routes.canonical(next_path), status_code=303)
    set_session_cookie(response, token)
    customer = await arun(sessions.customer_for_token, token=token)
    if customer is not None:  # the UI's login, sign-up or reset proved the account: a known device from now on
        set_device_cookie(response, customer.email)
    return response


@endpoint(form=True)
async def end(request: Request) -> Response:
    form = await request.form()
    await arun(sessions.revoke, token=session_cookie(request))
    response = RedirectResponse(routes.canonical(routes.safe_next(str(form.get("next") or ""), default=routes.HOME)),
                                status_code=303)
    clear_session_cookie(response)
    return response


ROUTES = [
    Route(routes.SESSION_BEGIN, begin, methods=["POST"]),
    Route(routes.SESSION_END, end, methods=["POST"]),
]
