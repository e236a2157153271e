"""Helpers for the claim tests: the claim mails, the tokens in them, and many confirms at once."""

from __future__ import annotations

import threading
from urllib.parse import parse_qs, urlsplit

from sqlmodel import Session

from storefront.models import OutboxMessage
from storefront.services import claim_links, claims, outbox, ratelimit
from storefront.services.errors import ClaimError


def claim_mails(session, to=None) -> list[OutboxMessage]:
    return [m for m in outbox.list_messages(session=session, to=to) if "claim" in m.subject.lower()]


def link_token(message: OutboxMessage, page: str = "/verify/") -> str:
    (link,) = [link for link in outbox.links(message) if f"{page}?" in link]
    return parse_qs(urlsplit(link).query)["token"][0]


def token_from(message: OutboxMessage) -> str:
    return link_token(message)


def ask(session, customer, order_ids, **kwargs) -> str:
    """Request a claim (the rate limits are not this helper's subject) and return the newest link's token."""
    ratelimit.reset_all()
    claims.request_claim(session=session, customer_id=customer.id, order_ids=order_ids, **kwargs)
    return token_from(claim_mails(session)[0])


def at_once(engine, calls) -> list[str]:
    """Run each call(session) in its own thread and transaction, released together; "won" or the error's kind."""
    barrier = threading.Barrier(len(calls))
    outcomes: list[str] = [""] * len(calls)

    def run(index, call):
        with Session(engine, expire_on_commit=False) as own:
            barrier.wait()
            try:
                call(own)
                own.commit()
                outcomes[index] = "won"
            except ClaimError as exc:
                own.rollback()
                outcomes[index] = exc.kind
            except Exception as exc:  # noqa: BLE001 - a race must never end in anything else
                own.rollback()
                outcomes[index] = f"crash: {exc!r}"

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return outcomes


def confirm_twice_at_once(engine, customer_id: int, token: str) -> list[str]:
    """Two confirms of one token at once: the outcomes, sorted."""
    def confirm(own):
        claim_links.confirm_claim(session=own, customer_id=customer_id, token=token)

    return sorted(at_once(engine, [confirm, confirm]))
