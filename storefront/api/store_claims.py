"""Store API: Medusa v1's claim-order endpoints, stricter where v1 has holes (see docs/api.md)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from storefront.api import shapes
from storefront.api.common import ApiError, endpoint, json_body, require_customer, token_field
from storefront.services import claim_links, claims
from storefront.services.runner import arun


@endpoint
async def request_token(request: Request) -> Response:
    customer = await require_customer(request)
    body = await json_body(request)
    order_ids = body.get("order_ids")
    if not isinstance(order_ids, list):  # v1 also takes a bare string; we do not
        raise ApiError("invalid_data", "order_ids must be a list of 1 to 20 order IDs.")
    await arun(claims.request_claim, customer_id=customer.id, order_ids=order_ids)
    # The same answer whether or not the IDs exist or were rate limited.
    return JSONResponse({})


@endpoint
async def confirm(request: Request) -> Response:
    customer = await require_customer(request)
    token = token_field(await json_body(request))
    joined = await arun(claim_links.confirm_claim, customer_id=customer.id, token=token)
    return JSONResponse({"orders": [shapes.order(o) for o in joined]})


ROUTES = [
    Route("/store/orders/batch/customer/token", request_token, methods=["POST"]),
    Route("/store/orders/customer/confirm", confirm, methods=["POST"]),
]
