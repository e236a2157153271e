"""Store API: an order's history, for its owner (cookie or bearer token), with the same 404 for anyone else."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from storefront.api import shapes
from storefront.api.common import endpoint, require_customer
from storefront.services import history
from storefront.services.runner import arun


@endpoint
async def order_events(request: Request) -> Response:
    customer = await require_customer(request)
    story = await arun(history.order_story, customer_id=customer.id, order_id=request.path_params["order_id"])
    return JSONResponse({"order_id": story.view.order.id, "events": [shapes.event(line) for line in story.events]})


ROUTES = [Route("/store/customers/me/orders/{order_id}/events", order_events, methods=["GET"])]
