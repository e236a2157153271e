"""The runner both faces call: slow work off the event loop, mail delivered only after commit."""

import asyncio
import threading
import time

import pytest
from sqlmodel import select

from storefront.models import OutboxMessage
from storefront.services import outbox
from storefront.services.runner import arun, courier, run
from tests.unit.conftest import run_in_fresh_loop


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
