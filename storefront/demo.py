"""`make demo`: the app as `make run` serves it, with a claim ready to try.

Before the app starts, the database gets a customer account with fixed demo credentials (made once, reused
afterwards) and a new guest order placed with another email, which is not in any account. Then the app starts,
and the steps to claim that order for the account are printed.

    python -m storefront.demo [--port 3000]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass

from sqlmodel import Session

from storefront import routes
from storefront.services import accounts, carts, catalog, checkout, passwords

DEMO_EMAIL = "demo@example.com"
DEMO_PASSWORD = "claim my order"
GUEST_EMAIL = "demo-guest@example.com"  # another email than the account's: that is what a claim is for
ADDRESS = {"first_name": "Grace", "last_name": "Hopper", "address_1": "1 Harbour Street", "city": "Arlington",
           "postal_code": "22201", "country_code": "us"}


@dataclass(frozen=True)
class Demo:
    customer_email: str
    password: str
    order_id: str
    guest_email: str


def seed_demo(*, session: Session) -> Demo:
    """Make sure the demo account exists with the demo password, and place a new guest order to claim."""
    customer = accounts.get_by_email(session=session, email=DEMO_EMAIL)
    if customer is None:
        accounts.register(session=session, email=DEMO_EMAIL, password=DEMO_PASSWORD, first_name="Ada",
                          last_name="Lovelace")
    elif not passwords.verify_password(DEMO_PASSWORD, customer.password_hash)[0]:
        customer.password_hash = passwords.hash_password(DEMO_PASSWORD)  # changed in an earlier demo: print true
        session.add(customer)
    catalog.seed_demo_catalog(session=session)
    products, _ = catalog.list_products(session=session, limit=1)
    cart = carts.create_cart(session=session)
    carts.add_item(session=session, cart_id=cart.id, variant_id=products[0].variants[0].id, quantity=1)
    order = checkout.place_order(session=session, cart_id=cart.id, email=GUEST_EMAIL, address=ADDRESS)
    return Demo(DEMO_EMAIL, DEMO_PASSWORD, order.order.id, GUEST_EMAIL)


def prepare(database_url: str) -> Demo:
    """Migrate the database at `database_url` (the app's DATABASE_URL), then seed the demo into it."""
    from storefront.db import session_scope
    from storefront.migrate import prepare_database

    prepare_database(database_url)
    with session_scope() as session:
        return seed_demo(session=session)


def instructions(demo: Demo, base_url: str, *, outbox: bool = True) -> str:
    """What to click, with the demo's credentials and order ID."""
    link = routes.verify_url(base_url, "TOKEN").replace("TOKEN", "…")  # as the email writes it
    mail = (f"Open {base_url}{routes.OUTBOX}, open the message \"Confirm your order claim\" to {demo.guest_email},\n"
            f"     and follow its link to {link}"
            if outbox else
            f"Open the email \"Confirm your order claim\" sent to {demo.guest_email} (the outbox is off here),\n"
            f"     and follow its link to {link}")
    return f"""
Storefront demo at {base_url}

  customer account   {demo.customer_email}   password: {demo.password}
  guest order        {demo.order_id}   placed with {demo.guest_email}, in no account yet

Claim the guest order for the account:
  1. Open {base_url}{routes.LOGIN} and log in as {demo.customer_email} with the password above.
  2. On My orders, follow "Claim an order".
  3. Paste {demo.order_id} into "Order IDs" and press "Claim orders".
  4. {mail}
  5. Press "Confirm claim": the order joins the account, and My orders lists it.
"""


def _wait_until_up(url: str, app: subprocess.Popen) -> bool:
    while app.poll() is None:
        try:
            with urllib.request.urlopen(url, timeout=2):
                return True
        except OSError:
            time.sleep(1)
    return False


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m storefront.demo", description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT") or 3000))
    args = parser.parse_args(argv)
    os.environ["PORT"] = str(args.port)  # before the settings are read: the default base URL uses it

    from storefront.config import get_settings

    settings = get_settings()
    demo = prepare(settings.database_url)
    steps = instructions(demo, settings.base_url, outbox=settings.outbox_enabled)
    print(f"Demo order {demo.order_id} placed. Starting the app (the first start builds the pages, which takes "
          "a minute or more); the steps follow once it is up…", flush=True)
    app = subprocess.Popen([sys.executable, "-m", "storefront.serve", "--port", str(args.port)])
    try:
        if _wait_until_up(f"http://localhost:{args.port}/ping", app):  # the steps once, below the app's own lines
            print(steps + "\nThe app is up. Stop it with Ctrl-C.\n", flush=True)
        return app.wait()
    except KeyboardInterrupt:  # the app got the same Ctrl-C; let it finish stopping
        try:
            return app.wait(30)
        except subprocess.TimeoutExpired:
            app.terminate()
            return app.wait()


if __name__ == "__main__":
    sys.exit(main())
