"""Store API: Medusa v2's order list and order transfer (@medusajs/js-sdk 2.x), on the claims service.

Stricter than v2 where v1's flow is (see docs/api.md): the transfer token is the emailed claim token, it
expires and works once, and only the customer who asked may accept it.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from storefront.api import shapes
from storefront.api.common import (
    ApiError,
    current_customer,
    endpoint,
    json_body,
    order_list_params,
    page_params,
    require_customer,
    token_field,
)
from storefront.services import orders, transfers
from storefront.services.orders import OrderView
from storefront.services.runner import arun

DEFAULT_LIMIT = 50  # Medusa v2's default page for GET /store/orders


def _answer(view: OrderView) -> Response:
    return JSONResponse({"order": shapes.order_v2(view)})


@endpoint
async def list_orders(request: Request) -> Response:
    customer = await require_customer(request)
    offset, limit = page_params(request, default_limit=DEFAULT_LIMIT)
    found, count = await arun(orders.list_customer_orders, customer_id=customer.id, offset=offset, limit=limit,
                              **order_list_params(request))
    return JSONResponse({"orders": [shapes.order_v2(o) for o in found], "count": count, "offset": offset,
                         "limit": limit})


@endpoint
async def request_transfer(request: Request) -> Response:
    customer = await require_customer(request)
    body = await json_body(request)
    return _answer(await arun(transfers.request_transfer, customer_id=customer.id,
                              order_id=request.path_params["order_id"], description=body.get("description")))


@endpoint
async def accept_transfer(request: Request) -> Response:
    # v2 needs no login here (the token alone would decide); we need the customer who asked, and say 403
    # to anyone else, logged in or not, as the store API documents for accept.
    customer = await current_customer(request)
    if customer is None:
        raise ApiError("not_allowed", "Only the customer who asked for this transfer can accept it: log in as them.")
    token = token_field(await json_body(request))
    return _answer(await arun(transfers.accept_transfer, customer_id=customer.id,
                              order_id=request.path_params["order_id"], token=token))


@endpoint
async def decline_transfer(request: Request) -> Response:
    token = token_field(await json_body(request))  # no login: holding the emailed link is the proof
    return _answer(await arun(transfers.decline_transfer, order_id=request.path_params["order_id"], token=token))


@endpoint
async def cancel_transfer(request: Request) -> Response:
    customer = await require_customer(request)
    await json_body(request)  # v2 sends {} or nothing; a body that is not JSON is still refused
    return _answer(await arun(transfers.cancel_transfer, customer_id=customer.id,
                              order_id=request.path_params["order_id"]))


ROUTES = [
    Route("/store/orders", list_orders, methods=["GET"]),
    Route("/store/orders/{order_id}/transfer/request", request_transfer, methods=["POST"]),
    Route("/store/orders/{order_id}/transfer/accept", accept_transfer, methods=["POST"]),
    Route("/store/orders/{order_id}/transfer/decline", decline_transfer, methods=["POST"]),
    Route("/store/orders/{order_id}/transfer/cancel", cancel_transfer, methods=["POST"]),
]
