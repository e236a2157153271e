"""Two app instances as two machines would run them: their own processes, build folders and ports, on one
PostgreSQL and one Redis, mailing through one SMTP server (docs/deployment.md's tested topology).

Both start at once on an empty database, so their startups race to migrate it (the advisory lock decides).
The last test kills machine A with SIGKILL under load, so it runs last in this module.
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import os
import signal
import threading
import time
from collections.abc import Iterator
from email.message import Message as MimeMessage

import httpx
import psycopg
import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.handlers import Message

from bench import servers
from bench.app_process import free_port, start_app
from tests.e2e.conftest import PASSWORD, email, place_guest_order

# `make test` runs in several pytest-xdist processes (--dist loadgroup): this module's tests run in one of them, which
# builds the two machines once.
pytestmark = pytest.mark.xdist_group("two-machines")


class Inbox(Message):
    """The SMTP server both machines send through: every message it was handed, in order."""

    def __init__(self) -> None:
        super().__init__()
        self.messages: list[MimeMessage] = []
        self.lock = threading.Lock()

    def handle_message(self, message: MimeMessage) -> None:
        with self.lock:
            self.messages.append(message)

    def to(self, address: str) -> list[MimeMessage]:
        with self.lock:
            return [m for m in self.messages if m["To"] == address]


class Machines:
    def __init__(self, a, b, inbox: Inbox, database_url: str) -> None:
        self.a, self.b, self.inbox, self.database_url = a, b, inbox, database_url



@pytest.fixture(scope="module")
def machines(tmp_path_factory, postgres_url, redis_url):
    database_url = servers.create_database(postgres_url, "two_machines")
    shared_redis = redis_url.rsplit("/", 1)[0] + "/7"  # a Redis database of its own: empty rate limits
    import redis

    redis.Redis.from_url(shared_redis).flushdb()
    inbox = Inbox()
    smtp = Controller(inbox, hostname="127.0.0.1", port=free_port())
    smtp.start()
    settings = {"DATABASE_URL": database_url, "REDIS_URL": shared_redis, "MAIL_BACKEND": "smtp",
                "SMTP_URL": f"smtp://127.0.0.1:{smtp.port}", "GRANIAN_WORKERS": "1"}
    starts = []
    for name in ("a", "b"):
        workdir = tmp_path_factory.mktemp(f"machine-{name}")
        starts.append(start_app(workdir, web_dir=str(workdir / "web"), **settings))
    with contextlib.ExitStack() as stack, concurrent.futures.ThreadPoolExecutor(2) as pool:
        stack.callback(smtp.stop)
        futures = [pool.submit(start.__enter__) for start in starts]
        for start, future in zip(starts, futures, strict=True):  # stop whichever came up, even if one failed
            with contextlib.suppress(Exception):
                future.result()
                stack.push(start)
        a, b = (future.result() for future in futures)
        yield Machines(a, b, inbox, database_url)


@contextlib.contextmanager
def _customer(base_url: str) -> Iterator[httpx.Client]:
    """A registered, logged-in customer (the session cookie is the shop's, whichever machine answers)."""
    with httpx.Client(timeout=30) as client:
        client.post(f"{base_url}/store/customers", json={
            "first_name": "Ada", "last_name": "Lovelace", "email": email("ada"), "password": PASSWORD,
        }).raise_for_status()
        yield client


def _claim_mails(app, to: str) -> list[dict]:
    return [m for m in app.outbox(to) if "claim" in m["subject"].lower()]


def test_both_machines_share_one_migrated_database(machines):
    for app in (machines.a, machines.b):
        log = app.log_path.read_text()
        assert "Traceback" not in log, log[-3000:]  # both startups migrated (or waited) without an error
    with psycopg.connect(machines.database_url.replace("postgresql+psycopg://", "postgresql://")) as check:
        (products,) = check.execute("SELECT count(*) FROM product").fetchone()
        (handles,) = check.execute("SELECT count(DISTINCT handle) FROM product").fetchone()
    assert products == handles > 0  # the demo catalog seeded once, not once per machine


def test_a_claim_requested_on_a_is_confirmed_on_b_and_bs_outbox_shows_as_mail_within_3_s(machines):
    a, b = machines.a, machines.b
    guest_email = email("guest")
    with httpx.Client(timeout=30) as guest:
        order_id = place_guest_order(a.base_url, guest_email, client=guest)
    with _customer(a.base_url) as ada:
        asked = ada.post(f"{a.base_url}/store/orders/batch/customer/token", json={"order_ids": [order_id]})
        assert asked.status_code == 200, asked.text
        stored = time.monotonic()
        while not (mails := _claim_mails(b, guest_email)):
            assert time.monotonic() - stored < 3, "machine B's outbox did not show A's claim mail within 3 s"
            time.sleep(0.1)
        token = next(link for link in mails[0]["links"] if "/verify" in link).split("token=", 1)[1]

        confirmed = ada.post(f"{b.base_url}/store/orders/customer/confirm", json={"token": token})
        assert confirmed.status_code == 200, confirmed.text
        assert [order["id"] for order in confirmed.json()["orders"]] == [order_id]
        mine = ada.get(f"{a.base_url}/store/customers/me/orders").raise_for_status().json()["orders"]
        assert order_id in [order["id"] for order in mine]  # and A sees it too
        again = ada.post(f"{a.base_url}/store/orders/customer/confirm", json={"token": token})
        assert again.status_code == 400  # the link was used on B: A knows


def test_the_claim_rate_limits_hold_across_both_machines(machines):
    a, b = machines.a, machines.b
    guest_email = email("guest")
    with httpx.Client(timeout=30) as guest:
        order_id = place_guest_order(b.base_url, guest_email, client=guest)
    with _customer(a.base_url) as ada:
        statuses = [ada.post(f"{app.base_url}/store/orders/batch/customer/token",
                             json={"order_ids": [order_id]}).status_code for app in (a, b) * 5]
    assert sorted(statuses) == [200] * 5 + [429] * 5, statuses
    deadline = time.monotonic() + 15
    while len(machines.inbox.to(guest_email)) < 6 and time.monotonic() < deadline:  # the order mail and 5 links
        time.sleep(0.2)
    time.sleep(1)  # room for a sixth link, were one to come
    sent = [m["Subject"] for m in machines.inbox.to(guest_email) if "claim" in m["Subject"].lower()]
    assert len(sent) == 5, sent
    assert len(_claim_mails(b, guest_email)) == 5


def test_killing_a_mid_load_loses_no_order_and_sends_no_mail_twice_while_b_keeps_serving(machines):
    a, b = machines.a, machines.b
    acknowledged: dict[str, str] = {}  # order ID -> its guest's email, for every order a machine said it placed
    b_failures: list[str] = []
    killed, stop = threading.Event(), threading.Event()

    def shopper(app, failures: list[str] | None) -> None:
        with httpx.Client(timeout=30) as client:
            while not stop.is_set():
                guest_email = email("load")
                try:
                    acknowledged[place_guest_order(app.base_url, guest_email, client=client)] = guest_email
                except (httpx.HTTPError, KeyError, AssertionError) as error:
                    if failures is None:  # machine A: its answers stop when it dies
                        if killed.is_set():
                            return
                        raise
                    failures.append(f"{type(error).__name__}: {error}")

    with concurrent.futures.ThreadPoolExecutor(5) as pool:
        running = [pool.submit(shopper, a, None) for _ in range(3)] + [pool.submit(shopper, b, b_failures)
                                                                        for _ in range(2)]
        deadline = time.monotonic() + 60
        while len(acknowledged) < 10 and time.monotonic() < deadline:
            time.sleep(0.1)
        killed.set()
        os.killpg(a.pid, signal.SIGKILL)  # the whole machine: its supervisor and every worker, mid-request
        at_kill = len(acknowledged)
        time.sleep(4)  # B alone, under load
        stop.set()
        for future in running:
            future.result()
    assert at_kill >= 10
    assert b_failures == []  # B answered every request, during and after A's death
    assert len(acknowledged) > at_kill  # and kept placing orders

    with httpx.Client(timeout=30) as client:
        for order_id, guest_email in acknowledged.items():  # every order a machine said it placed is there
            order = client.get(f"{b.base_url}/store/orders/{order_id}")
            assert order.status_code == 200, (order_id, order.text)
            assert order.json()["order"]["email"] == guest_email
        # B's courier also delivers mail that A stored, not sent
        place_guest_order(b.base_url, email("wake"), client=client)

    def mail_state() -> tuple[list[str], list[str]]:
        """(guests sent their confirmation more than once, guests not sent it yet)."""
        received = {guest_email: len(machines.inbox.to(guest_email)) for guest_email in acknowledged.values()}
        return [e for e, n in received.items() if n > 1], [e for e, n in received.items() if n == 0]

    # The wake above has B's courier send what A stored and never took; what A had taken for sending waits out
    # its lease. So wait until nothing is waiting, or the waiting list has not moved for 5 s (B's round is done).
    deadline, last_change, state = time.monotonic() + 45, time.monotonic(), mail_state()
    while state[1] and time.monotonic() < deadline and time.monotonic() - last_change < 5:
        time.sleep(0.5)
        if (now := mail_state()) != state:
            state, last_change = now, time.monotonic()
    twice, waiting = state
    assert twice == []  # no order confirmation went out twice
    # A message A had taken for sending when it died waits out its lease (2 minutes), then B sends it: stored,
    # not lost. Anything else must have arrived by now.
    outbox = {m["to"]: m for m in b.outbox(limit=500)}
    lost = [e for e in waiting if outbox.get(e, {}).get("status") != "pending"]
    assert lost == [], [outbox.get(e) for e in lost]
    assert len(waiting) <= 3, waiting  # at most one in-flight message per A shopper
