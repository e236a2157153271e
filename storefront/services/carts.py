"""Carts: lines, totals, the checkout details, and completing a cart into an order."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import Integer, bindparam, case, func, insert, true, update
from sqlalchemy.orm import aliased
from sqlmodel import Session, select

from storefront.models import Cart, CartLine, Product, ShippingAddress, Variant, utcnow
from storefront.services import inputs
from storefront.services.errors import CartNotUsable, FieldErrors, InvalidInput, NotFound
from storefront.services.ids import new_id, normalize_id
from storefront.services.wording import line_title

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
    size: str = ""  # the variant's title where the product comes in several, else ""

    @property
    def name(self) -> str:
        """The line as the shop names it everywhere (services/wording.py)."""
        return line_title(self.title, self.size)

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
        return shipping_for(self.subtotal, has_lines=bool(self.lines))

    @property
    def total(self) -> int:
        return self.subtotal + self.shipping_total

    @property
    def item_count(self) -> int:
        return sum(line.quantity for line in self.lines)


def shipping_for(subtotal: int, *, has_lines: bool) -> int:
    """Shipping on a cart: free for an empty one and from FREE_SHIPPING_FROM on, else SHIPPING_PRICE."""
    return 0 if not has_lines or subtotal >= FREE_SHIPPING_FROM else SHIPPING_PRICE


@dataclass
class CartAdded:
    """What an add changed, for a page that shows the cart's count and totals but not its lines."""

    title: str  # the product's
    size: str  # the variant's title where the product comes in several, else ""
    item_count: int
    subtotal: int
    lines: int

    @property
    def shipping_total(self) -> int:
        return shipping_for(self.subtotal, has_lines=self.lines > 0)

    @property
    def total(self) -> int:
        return self.subtotal + self.shipping_total


# The add-to-cart path's statements, built once: building a statement and its cache key on every call cost
# more than running it (a py-spy profile of add to cart, docs/profiles/). Columns, not entities: three ORM
# objects per line were most of a cart read's time.
_SUMMED = CartLine.quantity + bindparam("added")
_LINE = aliased(CartLine)  # the subquery's own: it must not correlate to the UPDATE's row
# One line only: two adds of a new size racing on PostgreSQL can each insert one, and later adds must not count
# twice (the first line gets them). Only an open cart's: a completed cart's lines are its order's.
_FIRST_LINE = (
    select(func.min(_LINE.id))
    .join(Cart, Cart.id == _LINE.cart_id)
    .where(_LINE.cart_id == bindparam("cart"), _LINE.variant_id == bindparam("variant"), Cart.completed_at.is_(None))
    .scalar_subquery()
)
_BUMP_LINE = (
    update(CartLine)
    .where(CartLine.id == _FIRST_LINE)
    .values(quantity=case((_SUMMED > MAX_QUANTITY, MAX_QUANTITY), else_=_SUMMED))
)
# A new line, written only where the cart is open and the variant exists: no row inserted means one of those is
# not so, and only then are they looked up (to say which).
_NEW_LINE = insert(CartLine.__table__).from_select(
    ["cart_id", "variant_id", "quantity"],
    select(Cart.id, Variant.id, bindparam("added", type_=Integer))
    .join(Variant, Variant.id == bindparam("variant"))
    .where(Cart.id == bindparam("cart"), Cart.completed_at.is_(None)),
).execution_options(preserve_rowcount=True)  # psycopg's rowcount of an INSERT is kept only when asked
_SIBLING = aliased(Variant)
# How many variants the line's product has: a product with several names the chosen size on the line.
_CHOICES = select(func.count(_SIBLING.id)).where(_SIBLING.product_id == Product.id).correlate(Product)
_LINES = (
    select(CartLine.id, CartLine.quantity, Variant.id, Variant.title, Variant.price, Product.title,
           Product.thumbnail, _CHOICES.scalar_subquery())
    .join(Variant, Variant.id == CartLine.variant_id)
    .join(Product, Product.id == Variant.product_id)
    .where(CartLine.cart_id == bindparam("cart_id"))
    .order_by(CartLine.id)
)
# A cart's lines, count and subtotal, summed by the database: one row whatever the cart holds.
_PRICED = aliased(Variant)
_TOTALS = (
    select(func.count(CartLine.id).label("lines"), func.coalesce(func.sum(CartLine.quantity), 0).label("item_count"),
           func.coalesce(func.sum(CartLine.quantity * _PRICED.price), 0).label("subtotal"))
    .join(_PRICED, _PRICED.id == CartLine.variant_id)
    .where(CartLine.cart_id == bindparam("cart"))
    .subquery()
)
# What an add answers, in one read after its write: the added product's names beside the cart's totals.
_ADDED = (
    select(Product.title, Variant.title, _CHOICES.scalar_subquery(), _TOTALS.c.lines, _TOTALS.c.item_count,
           _TOTALS.c.subtotal)
    .join(Product, Product.id == Variant.product_id)
    .join(_TOTALS, true())
    .where(Variant.id == bindparam("variant"))
)


def _check_quantity(quantity: object) -> int:
    if isinstance(quantity, bool) or not isinstance(quantity, int) or not 1 <= quantity <= MAX_QUANTITY:
        raise InvalidInput(f"Quantity must be a whole number from 1 to {MAX_QUANTITY}.", field="quantity")
    return quantity


def _cart_key(cart_id: object) -> str:
    """The canonical cart ID; a malformed one is never looked up (it is simply not found)."""
    clean = normalize_id("cart", cart_id) if isinstance(cart_id, str) and len(cart_id) <= inputs.MAX_ID else None
    if clean is None:
        raise NotFound("We could not find that cart.")
    return clean


def _variant_key(variant_id: object) -> str:
    """The variant ID as given; one no variant can have is not found without a lookup."""
    if not isinstance(variant_id, str) or len(variant_id) > inputs.MAX_ID or not inputs.is_clean_unicode(variant_id):
        raise NotFound("That product variant does not exist.")
    return variant_id


def find_cart(session: Session, cart_id: object) -> Cart:
    """The cart with this ID; a malformed ID is never looked up (it is simply not found)."""
    cart = session.get(Cart, _cart_key(cart_id))
    if cart is None:
        raise NotFound("We could not find that cart.")
    return cart


def _open_cart(session: Session, cart_id: str) -> Cart:
    cart = find_cart(session, cart_id)
    if cart.completed_at is not None:
        raise CartNotUsable()
    return cart


def create_cart(*, session: Session, customer_id: int | None = None) -> Cart:
    """A new, empty cart."""
    cart = Cart(id=new_id("cart"), customer_id=customer_id)
    session.add(cart)
    session.flush()
    return cart


def create_with_items(
    *, session: Session, customer_id: int | None = None, items: Sequence[tuple[str, int]] = ()
) -> CartView:
    """A new cart holding `items` at once (Medusa's POST /store/carts with `items`).

    Args:
        session: Database session.
        customer_id: The logged-in customer, if any.
        items: (variant ID, quantity) pairs, added in order as add_item adds them.

    Returns:
        The new cart with its lines and totals.

    Raises:
        NotFound, InvalidInput: As add_item, for the first item at fault; the runner's one transaction then keeps
            no cart at all.
    """
    cart = create_cart(session=session, customer_id=customer_id)
    for variant_id, quantity in items:
        add_item(session=session, cart_id=cart.id, variant_id=variant_id, quantity=quantity)
    return get_cart(session=session, cart_id=cart.id)


def add_item(*, session: Session, cart_id: str, variant_id: str, quantity: int = 1) -> CartView:
    """Add a variant to the cart as add_to_cart does, and answer the whole cart (the store API's answer).

    Raises:
        As add_to_cart.
    """
    clean = _cart_key(cart_id)
    _add_line(session, clean, variant_id, quantity)
    return get_cart(session=session, cart_id=clean)


def add_to_cart(*, session: Session, cart_id: str, variant_id: str, quantity: int = 1) -> CartAdded:
    """Add a variant to the cart (merging with an existing line); answers what the add changed, not every line.

    The hot path of the shop, and the same few statements whatever the cart holds: the write first (an UPDATE
    bumping the variant's line, an INSERT where there is none), then one read summing the count and subtotal.
    A page that adds (the catalog, a product page) shows the cart's count, never its lines.

    Args:
        session: Database session.
        cart_id: The cart, as the browser holds it.
        variant_id: The size to add.
        quantity: How many, 1 to MAX_QUANTITY; a line stops at MAX_QUANTITY.

    Returns:
        The added product's names and the cart's count, subtotal and number of lines after the add.

    Raises:
        NotFound: no such cart, or no such variant.
        CartNotUsable: the cart was completed.
        InvalidInput: a quantity outside 1 to MAX_QUANTITY.
    """
    clean = _cart_key(cart_id)
    _add_line(session, clean, variant_id, quantity)
    title, variant_title, choices, lines, item_count, subtotal = session.connection().execute(
        _ADDED, {"variant": variant_id, "cart": clean}).one()
    return CartAdded(title=title, size=variant_title if choices > 1 else "", item_count=int(item_count),
                     subtotal=int(subtotal), lines=int(lines))


def _add_line(session: Session, cart_id: str, variant_id: object, quantity: object) -> None:
    """Bump the variant's line in the open cart `cart_id`, or give it one; the cart and variant are looked up
    only when neither write took (a line's cart and variant exist: foreign keys)."""
    keys = {"cart": cart_id, "variant": _variant_key(variant_id), "added": _check_quantity(quantity)}
    # Core on the session's connection: the ORM's per-statement bookkeeping was a share of the add's CPU. Core
    # skips the autoflush, so what a caller added in this transaction (a new cart) is written first.
    session.flush()
    db = session.connection()
    if db.execute(_BUMP_LINE, keys).rowcount or db.execute(_NEW_LINE, keys).rowcount:
        return
    _open_cart(session, cart_id)
    raise NotFound("That product variant does not exist.")


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
    *, session: Session, cart_id: str, email: str | None = None, address: dict[str, object] | None = None
) -> CartView:
    """Store the checkout email and shipping address on the cart.

    The email must be an email address now; each address field is one line of at most
    inputs.MAX_ADDRESS_FIELD characters (required fields are checked when the cart is completed).

    Raises:
        InvalidInput: Malformed email or address fields (`errors` names each; nothing is stored then).
        NotFound, CartNotUsable: No such cart, or it was checked out already.
    """
    cart = _open_cart(session, cart_id)
    problems = FieldErrors()
    if email is not None:
        cart.email = problems.check("email", inputs.email_address, email) if email.strip() else None
    for name, value in (address or {}).items():
        if name in ShippingAddress.model_fields:
            clean = problems.check(name, inputs.one_line, value, field=name, max_length=inputs.MAX_ADDRESS_FIELD)
            if clean is not None:
                setattr(cart, name, clean)
    problems.raise_if_any(("email", *ShippingAddress.model_fields))
    session.add(cart)
    session.flush()
    return get_cart(session=session, cart_id=cart.id)


def get_cart(*, session: Session, cart_id: str) -> CartView:
    """The cart with its lines and totals."""
    cart = find_cart(session, cart_id)
    rows = session.execute(_LINES, {"cart_id": cart.id}).all()
    lines = [
        CartLineView(id=line_id, variant_id=variant_id, title=title, variant_title=variant_title,
                     thumbnail=thumbnail, quantity=quantity, unit_price=price,
                     size=variant_title if choices > 1 else "")
        for line_id, quantity, variant_id, variant_title, price, title, thumbnail, choices in rows
    ]
    return CartView(cart=cart, lines=lines)


def take_for_order(*, session: Session, cart_id: str, order_id: str) -> bool:
    """Close the cart for this order; False if another request completed it first.

    One conditional UPDATE: of several completes racing, exactly one sees its row change (PostgreSQL makes
    the others wait for its commit and re-check; SQLite serialises the writers).
    """
    return session.exec(
        update(Cart).where(Cart.id == cart_id, Cart.completed_at.is_(None))
        .values(completed_at=utcnow(), order_id=order_id)
    ).rowcount == 1
