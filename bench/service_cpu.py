"""The services' own CPU per call, in this process, on a fresh SQLite file: no Reflex, no HTTP, no other thread.

    .venv/bin/python -m bench.service_cpu [--rounds 200]

Shows how much of an event's server time (bench/ws_load.py) is the shop's own work and how much is the framework
around it. Each row is what one event or request asks of the services, through the same runner the app uses
(one transaction each, then the mail courier's round when mail was stored, run here in this thread):

- session lookup (the floor): one indexed read in its own transaction, what every page load does;
- add to cart: bump a line and sum the cart's count and subtotal (what the shop's pages call);
- claim request: read the session, then ask for a claim link (rate limits, the claim, its signed token, its history
  and its email stored); the request path alone, then with the mail's delivery (rendering it, the outbox marking
  it sent), which the courier does after the answer;
- claim confirm: read the session, then confirm a pending claim (the orders join, the confirmation email).
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from bench import report

HEADERS = ["service", "calls", "CPU ms/call", "× session lookup"]


def measure(rounds: int) -> list[list[object]]:
    """Set up a fresh database, then time each service over `rounds` calls (a few warm-up calls first)."""
    from bench.seed import Seeder
    from storefront.config import get_settings
    from storefront.migrate import prepare_database
    from storefront.services import carts, claim_links, claims, sessions
    from storefront.services.courier import courier, deliver_mail
    from storefront.services.runner import run

    url = get_settings().database_url
    prepare_database(url)
    courier.period = None  # this thread delivers the mail itself: one thread, so CPU time is the work's own
    courier.wake = lambda: None
    total = rounds + 5
    # The rows the load tools use, written the same way (bench/seed.py): customers with sessions, a guest order
    # each to claim, and a pending claim each on a second order to confirm.
    seeder = Seeder(url)
    [cart_id] = seeder.ready_carts(1)
    shoppers = seeder.customers(total)
    to_claim, to_confirm = seeder.guest_orders(total), seeder.guest_orders(total)
    to_ask = seeder.guest_orders(total)
    tokens = [seeder.claims(shopper, [order])[0].token for shopper, order in zip(shoppers, to_confirm, strict=True)]

    def claim(i: int) -> None:
        customer = run(sessions.customer_for_token, token=shoppers[i].cookie)
        run(claims.request_claim, customer_id=customer.id, order_ids=[to_claim[i]])
        deliver_mail()

    def ask(i: int) -> None:
        customer = run(sessions.customer_for_token, token=shoppers[i].cookie)
        run(claims.request_claim, customer_id=customer.id, order_ids=[to_ask[i]])

    def confirm(i: int) -> None:
        customer = run(sessions.customer_for_token, token=shoppers[i].cookie)
        run(claim_links.confirm_claim, customer_id=customer.id, token=tokens[i])
        deliver_mail()

    def timed(call: Callable[[int], object]) -> float:
        for i in range(rounds, total):
            call(i)  # warm-up: the customers at the end of the list
        start = time.process_time()
        for i in range(rounds):
            call(i)
        return (time.process_time() - start) / rounds * 1000

    floor = timed(lambda i: run(sessions.customer_for_token, token=shoppers[i].cookie))
    deliver_mail()  # what the seeding stored is not the requests' to deliver
    rows = [["session lookup", rounds, f"{floor:.2f}", "1.0"]]
    for name, call in (("add to cart", lambda _i: run(carts.add_to_cart, cart_id=cart_id, variant_id=Seeder.VARIANT)),
                       ("claim request (+ session)", ask),
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
