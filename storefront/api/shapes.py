"""Medusa JSON shapes for customers, products, carts and orders: v1's, and v2's order (never a hash or token)."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from datetime import datetime

from storefront.models import Customer, ShippingAddress
from storefront.services.carts import CartView
from storefront.services.catalog import ProductView
from storefront.services.history import EventLine
from storefront.services.orders import OrderView


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def customer_id(customer_pk: int | None) -> str | None:
    return f"cus_{customer_pk}" if customer_pk is not None else None


def customer(row: Customer, addresses: Sequence[ShippingAddress] = ()) -> dict:
    """A customer; `addresses` are the ones they shipped to (services/orders.shipping_addresses)."""
    return {
        "id": customer_id(row.id), "email": row.email, "first_name": row.first_name or None,
        "last_name": row.last_name or None, "phone": None, "has_account": True, "billing_address_id": None,
        "shipping_addresses": [_saved_address(row.id, a) for a in addresses],
        "metadata": None, "created_at": _iso(row.created_at), "updated_at": _iso(row.created_at),
    }


def _address(source: ShippingAddress) -> dict | None:
    values = {name: getattr(source, name, "") or None for name in ShippingAddress.model_fields}
    return values if any(values.values()) else None


def _saved_address(customer_pk: int | None, source: ShippingAddress) -> dict:
    """One of a customer's shipping addresses as Medusa v1 shapes it. Its ID is derived from the customer and
    the address, so it stays the same from one answer to the next without being stored."""
    values = {name: getattr(source, name) or None for name in ShippingAddress.model_fields}
    digest = hashlib.sha256(repr((customer_pk, *values.values())).encode()).hexdigest()[:26]
    return {"id": f"addr_{digest}", "customer_id": customer_id(customer_pk), **values, "address_2": None,
            "company": None, "province": None, "phone": None, "metadata": None}


def product(view: ProductView) -> dict:
    return {
        "id": view.id, "title": view.title, "handle": view.handle, "description": view.description,
        "thumbnail": view.thumbnail, "status": "published",
        "variants": [
            {"id": v.id, "title": v.title, "product_id": view.id,
             "prices": [{"currency_code": v.currency_code, "amount": v.price}]}
            for v in view.variants
        ],
    }


def cart(view: CartView) -> dict:
    row = view.cart
    return {
        "id": row.id, "email": row.email, "customer_id": customer_id(row.customer_id), "type": "default",
        "region_id": None, "shipping_address": _address(row), "completed_at": _iso(row.completed_at),
        "items": [
            {"id": f"item_{line.id}", "title": line.title, "description": line.variant_title,
             "thumbnail": line.thumbnail, "variant_id": line.variant_id, "quantity": line.quantity,
             "unit_price": line.unit_price, "total": line.total}
            for line in view.lines
        ],
        "subtotal": view.subtotal, "shipping_total": view.shipping_total, "tax_total": 0,
        "total": view.total, "created_at": _iso(row.created_at),
    }


def order(view: OrderView) -> dict:
    row = view.order
    return {
        "id": row.id, "display_id": row.display_id, "object": "order", "status": row.status,
        "payment_status": row.payment_status, "fulfillment_status": row.fulfillment_status, "email": row.email,
        "customer_id": customer_id(row.customer_id), "currency_code": row.currency_code,
        "shipping_address": _address(row),
        "items": [
            {"id": f"item_{line.id}", "title": line.title, "variant_id": line.variant_id,
             "quantity": line.quantity, "unit_price": line.unit_price, "total": line.unit_price * line.quantity}
            for line in view.lines
        ],
        "subtotal": row.subtotal, "shipping_total": row.shipping_total, "tax_total": 0, "discount_total": 0,
        "total": row.total, "created_at": _iso(row.created_at),
    }


def _major(cents: int) -> float:
    """Medusa v2 sends amounts in the currency's main unit (10.5 for EUR 10.50). Every price here is in cents of
    a two-decimal currency (the catalog's euro), so that is cents / 100."""
    return cents / 100


def order_v2(view: OrderView) -> dict:
    """An order as Medusa v2's store API shapes it (amounts in the main unit; see _major)."""
    row = view.order
    return {
        "id": row.id, "display_id": row.display_id, "status": row.status, "payment_status": row.payment_status,
        "fulfillment_status": row.fulfillment_status, "email": row.email, "customer_id": customer_id(row.customer_id),
        "currency_code": row.currency_code, "shipping_address": _address(row),
        "items": [
            {"id": f"item_{line.id}", "title": line.title, "variant_id": line.variant_id, "quantity": line.quantity,
             "unit_price": _major(line.unit_price), "subtotal": _major(line.unit_price * line.quantity),
             "total": _major(line.unit_price * line.quantity)}
            for line in view.lines
        ],
        "item_total": _major(row.subtotal), "subtotal": _major(row.subtotal),
        "shipping_total": _major(row.shipping_total), "tax_total": 0, "discount_total": 0,
        "total": _major(row.total), "created_at": _iso(row.created_at), "updated_at": _iso(row.created_at),
    }


def event(line: EventLine) -> dict:
    """One history row of an order; `actor` is "customer", "order_email" or "system"."""
    return {"type": line.type, "actor": line.actor, "created_at": _iso(line.created_at), "message": line.message,
            "claim_id": line.claim_id, "email": line.email}
