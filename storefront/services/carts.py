"""Carts: lines, totals, the checkout details, and completing a cart into an order."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlmodel import Session, select

from storefront.models import Cart, CartLine, Product, ShippingAddress, Variant, utcnow
from storefront.services.errors import CartNotUsable, InvalidInput, NotFound
from storefront.services.ids import new_id

MAX_QUANTITY = 99
FREE_SHIPPING_FROM = 5000
SHIPPING_PRICE = 490


@dataclass
class CartLineView:
    id: int
    variant_id: str
    title: str
    variant_title: str
    thumbnail: str
    quantity: int
    unit_price: int

    @property
    def total(self) -> int:
        return self.unit_price * self.quantity


@dataclass
class CartView:
    cart: Cart
    lines: list[CartLineView] = field(default_factory=list)

    @property
    def subtotal(self) -> int:
        return sum(line.total for line in self.lines)

    @property
    def shipping_total(self) -> int:
        return 0 if not self.lines or self.subtotal >= FREE_SHIPPING_FROM else SHIPPING_PRICE

    @property
    def total(self) -> int:
        return self.subtotal + self.shipping_total

    @property
    def item_count(self) -> int:
        return sum(line.quantity for line in self.lines)


def _check_quantity(quantity: object) -> int:
    if isinstance(quantity, bool) or not isinstance(quantity, int) or not 1 <= quantity <= MAX_QUANTITY:
        raise InvalidInput(f"Quantity must be a whole number from 1 to {MAX_QUANTITY}.", field="quantity")
    return quantity


def _open_cart(session: Session, cart_id: str) -> Cart:
    cart = session.get(Cart, cart_id) if isinstance(cart_id, str) else None
    if cart is None:
        raise NotFound("We could not find that cart.")
    if cart.completed_at is not None:
        raise CartNotUsable()
    return cart


def create_cart(*, session: Session, customer_id: int | None = None) -> Cart:
    """A new, empty cart."""
    cart = Cart(id=new_id("cart"), customer_id=customer_id)
    session.add(cart)
    session.flush()
    return cart


def add_item(*, session: Session, cart_id: str, variant_id: str, quantity: int = 1) -> CartView:
    """Add a variant to the cart (merging with an existing line)."""
    cart = _open_cart(session, cart_id)
    quantity = _check_quantity(quantity)
    if not isinstance(variant_id, str) or session.get(Variant, variant_id) is None:
        raise NotFound("That product variant does not exist.")
    line = session.exec(
        select(CartLine).where(CartLine.cart_id == cart.id, CartLine.variant_id == variant_id)
    ).first()
    if line:
        line.quantity = min(MAX_QUANTITY, line.quantity + quantity)
    else:
        line = CartLine(cart_id=cart.id, variant_id=variant_id, quantity=quantity)
    session.add(line)
    session.flush()
    return get_cart(session=session, cart_id=cart.id)


def set_quantity(*, session: Session, cart_id: str, line_id: int, quantity: int) -> CartView:
    """Change a line's quantity; 0 removes the line."""
    cart = _open_cart(session, cart_id)
    line = session.get(CartLine, line_id)
    if line is None or line.cart_id != cart.id:
        raise NotFound("That item is no longer in your cart.")
    if quantity == 0:
        session.delete(line)
    else:
        line.quantity = _check_quantity(quantity)
        session.add(line)
    session.flush()
    return get_cart(session=session, cart_id=cart.id)


def update_details(
    *, session: Session, cart_id: str, email: str | None = None, address: dict[str, str] | None = None
) -> CartView:
    """Store the checkout email and shipping address on the cart (validated at completion)."""
    cart = _open_cart(session, cart_id)
    if email is not None:
        cart.email = email.strip().lower()
    for name, value in (address or {}).items():
        if name in ShippingAddress.model_fields:
            setattr(cart, name, str(value or "").strip())
    session.add(cart)
    session.flush()
    return get_cart(session=session, cart_id=cart.id)


def get_cart(*, session: Session, cart_id: str) -> CartView:
    """The cart with its lines and totals."""
    cart = session.get(Cart, cart_id) if isinstance(cart_id, str) else None
    if cart is None:
        raise NotFound("We could not find that cart.")
    rows = session.exec(
        select(CartLine, Variant, Product)
        .join(Variant, Variant.id == CartLine.variant_id)
        .join(Product, Product.id == Variant.product_id)
        .where(CartLine.cart_id == cart.id)
        .order_by(CartLine.id)
    ).all()
    lines = [
        CartLineView(id=line.id, variant_id=variant.id, title=product.title, variant_title=variant.title,
                     thumbnail=product.thumbnail, quantity=line.quantity, unit_price=variant.price)
        for line, variant, product in rows
    ]
    return CartView(cart=cart, lines=lines)


def mark_completed(*, session: Session, cart: Cart, order_id: str) -> None:
    """Close the cart once its order exists."""
    cart.completed_at = utcnow()
    cart.order_id = order_id
    session.add(cart)
