"""Store API: products, carts, checkout and orders (Medusa v1 paths and shapes)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from storefront.api import shapes
from storefront.api.common import ApiError, current_customer, endpoint, json_body
from storefront.api.errors import SAFE_METHODS
from storefront.services import carts, catalog, checkout, orders
from storefront.services.runner import arun


@endpoint
async def list_products(request: Request) -> Response:
    found, count = await arun(catalog.list_products)
    return JSONResponse({"products": [shapes.product(p) for p in found], "count": count, "offset": 0,
                         "limit": max(count, 1)})


def _item(body: dict) -> tuple[str, int]:
    variant_id, quantity = body.get("variant_id"), body.get("quantity", 1)
    if not isinstance(variant_id, str) or not variant_id:
        raise ApiError("invalid_data", "variant_id must be a string.")
    if isinstance(quantity, bool) or not isinstance(quantity, int):
        raise ApiError("invalid_data", "quantity must be a whole number.")
    return variant_id, quantity


@endpoint
async def create_cart(request: Request) -> Response:
    body = await json_body(request)
    raw_items = body.get("items", [])
    if not isinstance(raw_items, list) or not all(isinstance(i, dict) for i in raw_items):
        raise ApiError("invalid_data", "items must be a list of {variant_id, quantity}.")
    customer = await current_customer(request)
    view = await arun(carts.create_with_items, customer_id=customer.id if customer else None,
                      items=[_item(i) for i in raw_items])
    return JSONResponse({"cart": shapes.cart(view)})


@endpoint
async def cart(request: Request) -> Response:
    cart_id = request.path_params["cart_id"]
    if request.method in SAFE_METHODS:  # GET, and HEAD, which Starlette lets into every GET route
        return JSONResponse({"cart": shapes.cart(await arun(carts.get_cart, cart_id=cart_id))})
    if request.method != "POST":
        raise ApiError("method_not_allowed", "Use GET or POST here.")
    body = await json_body(request)
    email, address = body.get("email"), body.get("shipping_address")
    if email is not None and not isinstance(email, str):
        raise ApiError("invalid_data", "email must be a string.")
    if address is not None and not isinstance(address, dict):
        raise ApiError("invalid_data", "shipping_address must be an object.")
    view = await arun(carts.update_details, cart_id=cart_id, email=email, address=address)
    return JSONResponse({"cart": shapes.cart(view)})


@endpoint
async def add_line_item(request: Request) -> Response:
    variant_id, quantity = _item(await json_body(request))
    view = await arun(carts.add_item, cart_id=request.path_params["cart_id"], variant_id=variant_id,
                      quantity=quantity)
    return JSONResponse({"cart": shapes.cart(view)})


@endpoint
async def complete_cart(request: Request) -> Response:
    customer = await current_customer(request)
    view = await arun(checkout.place_order, cart_id=request.path_params["cart_id"],
                      customer_id=customer.id if customer else None)
    return JSONResponse({"type": "order", "data": shapes.order(view)})


@endpoint
async def get_order(request: Request) -> Response:
    view = await arun(orders.get_order, order_id=request.path_params["order_id"])
    return JSONResponse({"order": shapes.order(view)})


ROUTES = [
    Route("/store/products", list_products, methods=["GET"]),
    Route("/store/carts", create_cart, methods=["POST"]),
    Route("/store/carts/{cart_id}", cart, methods=["GET", "POST"]),
    Route("/store/carts/{cart_id}/line-items", add_line_item, methods=["POST"]),
    Route("/store/carts/{cart_id}/complete", complete_cart, methods=["POST"]),
    Route("/store/orders/{order_id}", get_order, methods=["GET"]),
]
