"""The runner both faces call: slow work off the event loop, mail delivered only after commit."""

import asyncio
import threading
import time

import pytest
from sqlmodel import select

from storefront.models import OutboxMessage
from storefront.services import outbox
from storefront.services.courier import courier
from storefront.services.runner import arun, arun_steps, run
from tests.event_loops import run_in_fresh_loop


def test_a_slow_service_leaves_the_event_loop_free_for_other_shoppers(engine):
    def slow_login(*, session):  # stands in for an argon2 verify or an SMTP round trip
        time.sleep(0.5)
        return threading.get_ident()

    async def shop():
        loop_thread, ticks = threading.get_ident(), 0

        async def other_shoppers():
            nonlocal ticks
            while True:
                await asyncio.sleep(0.01)
                ticks += 1

        others = asyncio.create_task(other_shoppers())
        service_thread = await arun(slow_login)
        others.cancel()
        return loop_thread, service_thread, ticks

    loop_thread, service_thread, ticks = run_in_fresh_loop(shop)
    assert service_thread != loop_thread
    assert ticks >= 20  # the loop kept serving while the service slept


def test_mail_is_delivered_after_the_service_commits_and_not_if_it_fails(engine, session):
    def confirm(*, session):
        outbox.queue(session=session, to="ada@example.com", template="claim_declined", customer_name="Ada",
                     order_email="a@b.co", order_ids=["order_1"])
        return "done"

    def fail_after_queueing(*, session):
        confirm(session=session)
        raise ValueError("the service failed after queueing mail")

    assert run(confirm) == "done"
    with pytest.raises(ValueError):
        run(fail_after_queueing)
    assert courier.wait_idle(10)
    stored = session.exec(select(OutboxMessage)).all()
    assert [(m.to, m.status) for m in stored] == [("ada@example.com", "sent")]  # the failed one left no mail


def test_a_login_hashing_its_password_holds_up_no_shopper(engine, session, monkeypatch):
    """On SQLite the database work runs on one thread, and a transaction holds the write lock from its start:
    a login must verify its password beside that thread and outside any transaction."""
    from storefront.services import carts, logins, passwords
    from tests.factories import PASSWORD, make_customer

    customer = make_customer(session)
    session.commit()
    verifying, release = threading.Event(), threading.Event()
    real_verify = passwords.verify_password

    def slow_verify(*args, **kwargs):  # an argon2 verify that takes as long as the test needs
        verifying.set()
        release.wait(10)
        return real_verify(*args, **kwargs)

    monkeypatch.setattr(passwords, "verify_password", slow_verify)

    async def shop():
        login = asyncio.create_task(arun_steps(logins.login, email=customer.email, password=PASSWORD))
        while not verifying.is_set():
            await asyncio.sleep(0.01)
        started = time.monotonic()
        cart = await asyncio.wait_for(arun(carts.create_cart), 5)  # a write, while the login is verifying
        waited = time.monotonic() - started
        release.set()
        _, token = await login
        return cart, waited, token

    cart, waited, token = run_in_fresh_loop(shop)
    assert cart.id and token and waited < 1


def test_add_to_cart_counts_once_when_a_race_left_two_lines_for_one_size(session):
    """Two first adds of one size racing on PostgreSQL can each insert a line: later adds bump one of them."""
    from storefront.models import CartLine
    from storefront.services import carts
    from tests.factories import make_cart

    cart_id = make_cart(session, items=1)
    variant = carts.get_cart(session=session, cart_id=cart_id).lines[0].variant_id
    session.add(CartLine(cart_id=cart_id, variant_id=variant, quantity=1))  # the race's second line
    session.flush()
    view = carts.add_item(session=session, cart_id=cart_id, variant_id=variant, quantity=2)
    assert view.item_count == 4 and sorted(line.quantity for line in view.lines) == [1, 3]
