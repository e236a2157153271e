"""Medusa v2's order transfer, served by the claims service: the same claim requests, links, emails and limits.

v2 names one order per request and in every path, and answers with that order. Where v2 is lax, this is as
strict as the v1 flow (claims.py): the token is the emailed, signed, expiring, single-use claim token; only
the customer who asked may accept; and only orders without an account can be transferred.
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from storefront.services import claim_lifecycle, claim_links, claims, inputs
from storefront.services.errors import NotFound, OrderNotClaimable
from storefront.services.orders import OrderView, get_order


def request_transfer(
    *,
    session: Session,
    customer_id: int,
    order_id: str,
    description: object = None,
    base_url: str | None = None,
    now: datetime | None = None,
) -> OrderView:
    """Ask for one order to join the customer's account: a claim link goes to the order's email.

    Unlike v1's request it says what stands in the way, because it answers with the order it names, and
    GET /store/orders/{id} already tells anyone whether an order exists and whether it has an account.
    Past the per-order limit it answers as if the link went out, as v1's request does (that limit counts
    other people's requests too). The description is checked but never mailed: a stranger's text in an
    email to the order's owner would be a phishing tool.

    Args:
        session: Database session.
        customer_id: The logged-in customer asking.
        order_id: The order to transfer.
        description: Medusa's optional note (one line of text).
        base_url: Link base override (tests).
        now: Clock override (tests).

    Returns:
        The order, unchanged until the link is confirmed.

    Raises:
        NotFound: No order has this ID.
        OrderNotClaimable: The order is the customer's already, or another account's.
        InvalidInput: The description is not one line of at most MAX_DESCRIPTION characters.
        TooManyAttempts: The customer asked for CUSTOMER_LIMIT links in the last hour; says until when.
    """
    inputs.one_line(description, field="description", max_length=inputs.MAX_DESCRIPTION)
    view = get_order(session=session, order_id=order_id)
    if view.order.customer_id == customer_id:
        raise OrderNotClaimable("This order is already in your account.")
    if view.order.customer_id is not None:
        raise OrderNotClaimable("This order belongs to another account, so it cannot be transferred.")
    claims.send_links(session=session, customer_id=customer_id, orders=[view.order], base_url=base_url, now=now)
    return view


def accept_transfer(
    *, session: Session, customer_id: int, order_id: str, token: str, now: datetime | None = None,
) -> OrderView:
    """Confirm the claim link's token for the order in the path, as the customer who asked.

    Raises:
        The errors of claim_links.confirm_claim; ClaimTokenInvalid also when the token is for another order.
    """
    claim_links.confirm_claim(session=session, customer_id=customer_id, token=token, order_id=order_id,
                         event="transferred", now=now)
    return get_order(session=session, order_id=order_id)


def decline_transfer(*, session: Session, order_id: str, token: str, now: datetime | None = None) -> OrderView:
    """The order email's owner refuses: the claim is declined and the customer who asked is told (no login).

    Raises:
        The errors of claim_links.decline_claim; ClaimTokenInvalid also when the token is for another order.
    """
    claim_links.decline_claim(session=session, token=token, order_id=order_id, now=now)
    return get_order(session=session, order_id=order_id)


def cancel_transfer(*, session: Session, customer_id: int, order_id: str, now: datetime | None = None) -> OrderView:
    """The customer withdraws their pending claims of this order; their links stop working.

    Raises:
        NotFound: No such order, or the customer has no pending claim of it (someone else's claims are not
            theirs to cancel, and are not told apart from none).
    """
    view = get_order(session=session, order_id=order_id)
    pending = claim_lifecycle.open_claims(session, order_ids=[view.order.id], customer_id=customer_id)
    if not pending:
        raise NotFound("You have no pending transfer request for this order.")
    for claim in pending:
        claims.cancel_claim(session=session, customer_id=customer_id, claim_id=claim.id, now=now)
    return view
