"""The services' own CPU per call, in this process, on a fresh SQLite file: no Reflex, no HTTP, no other thread.

    .venv/bin/python -m bench.service_cpu [--rounds 200]

Shows how much of an event's server time (bench/ws_load.py) is the shop's own work and how much is the framework
around it. Each row is what one event or request asks of the services, through the same runner the app uses
(one transaction each, then the mail courier's round when mail was stored, run here in this thread):

- session lookup (the floor): one indexed read in its own transaction, what every page load does;
- add to cart: bump a line and read the cart back;
- claim request: read the session, then ask for a claim link (rate limits, the claim, its signed token, the
  rendered email) and deliver the mail (the outbox marks it sent);
- claim confirm: read the session, then confirm a pending claim (the orders join, the confirmation email).
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from bench import report

HEADERS = ["service", "calls", "CPU ms/call", "× session lookup"]


def measure(rounds: int) -> list[list[object]]:
    """Set up a fresh database, then time each service over `rounds` calls (a few warm-up calls first)."""
    from sqlmodel import Session, select

    from storefront.config import get_settings
    from storefront.db import get_engine
    from storefront.migrate import prepare_database
    from storefront.models import OutboxMessage
    from storefront.services import carts, claims, outbox, sessions
    from storefront.services.runner import courier, deliver_mail, run
    from tests.factories import make_cart, make_customer, make_guest_order

    prepare_database(get_settings().database_url)
    courier.period = None  # this thread delivers the mail itself: one thread, so CPU time is the work's own
    courier.wake = lambda: None
    total = rounds + 5
    with Session(get_engine(), expire_on_commit=False) as session:
        cart_id = make_cart(session, items=1)
        variant = carts.get_cart(session=session, cart_id=cart_id).lines[0].variant_id
        people = []
        for _ in range(total):
            customer = make_customer(session)
            token = sessions.create_session(session=session, customer_id=customer.id)
            people.append((customer.id, token, make_guest_order(session).order.id, make_guest_order(session).order.id))
        session.commit()
    deliver_mail()

    def claim(i: int) -> None:
        customer = run(sessions.customer_for_token, token=people[i][1])
        run(claims.request_claim, customer_id=customer.id, order_ids=[people[i][2]])
        deliver_mail()

    for i in range(total):  # pending claims for the confirms, on the second order of each customer
        run(claims.request_claim, customer_id=people[i][0], order_ids=[people[i][3]])
    with Session(get_engine(), expire_on_commit=False) as session:
        newest = session.exec(select(OutboxMessage).order_by(OutboxMessage.id.desc()).limit(total)).all()
        links = [outbox.links(message)[0] for message in newest]
    tokens = [parse_qs(urlsplit(link).query)["token"][0] for link in reversed(links)]
    deliver_mail()

    def confirm(i: int) -> None:
        customer = run(sessions.customer_for_token, token=people[i][1])
        run(claims.confirm_claim, customer_id=customer.id, token=tokens[i])
        deliver_mail()

    def timed(call: Callable[[int], object]) -> float:
        for i in range(rounds, total):
            call(i)  # warm-up: the customers at the end of the list
        start = time.process_time()
        for i in range(rounds):
            call(i)
        return (time.process_time() - start) / rounds * 1000

    floor = timed(lambda i: run(sessions.customer_for_token, token=people[i][1]))
    rows = [["session lookup", rounds, f"{floor:.2f}", "1.0"]]
    for name, call in (("add to cart", lambda _i: run(carts.add_item, cart_id=cart_id, variant_id=variant)),
                       ("claim request (+ session, + mail)", claim), ("claim confirm (+ session, + mail)", confirm)):
        cpu = timed(call)
        rows.append([name, rounds, f"{cpu:.2f}", f"{cpu / floor:.1f}"])
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=200)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="storefront-service-cpu-") as tmp:
        os.environ["DATABASE_URL"] = f"sqlite:///{Path(tmp) / 'services.db'}"
        os.environ.setdefault("STOREFRONT_SECRET_KEYS", "service-cpu-bench-key-" + "x" * 32)
        os.environ["MAIL_BACKEND"] = "outbox"
        print(report.table(HEADERS, measure(args.rounds)), flush=True)


if __name__ == "__main__":
    main()
