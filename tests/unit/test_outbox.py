import socket
from datetime import timedelta

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.handlers import Message
from sqlmodel import Session, select

from storefront.mail.backends import MemoryBackend, OutboxBackend, SmtpBackend
from storefront.mail.render import render
from storefront.models import OutboxMessage, utcnow
from storefront.services import outbox
from tests.event_loops import run_in_fresh_loop
from tests.factories import make_guest_order
from tests.unit.claim_helpers import at_once


class Inbox(Message):
    def __init__(self):
        super().__init__()
        self.messages = []

    def handle_message(self, message):
        self.messages.append(message)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def smtp_server():
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield controller, inbox
    controller.stop()


def test_html_part_is_escaped_text_part_is_not(session):
    mail = render("claim_declined", customer_name="<b>Eve</b>", order_email="a@b.co", order_ids=["order_1"])
    assert "&lt;b&gt;Eve&lt;/b&gt;" in mail.html and "<b>Eve</b>" not in mail.html
    assert "<b>Eve</b>" in mail.text
    assert "\n" not in mail.subject


def test_smtp_delivery_to_a_real_server(session, smtp_server):
    controller, inbox = smtp_server
    order = make_guest_order(session, email="guest@example.com").order
    backend = SmtpBackend(f"smtp://127.0.0.1:{controller.port}", sender="Shop <shop@example.com>")
    assert outbox.flush_outbox(session=session, backend=backend) == 1
    (received,) = inbox.messages
    assert received["To"] == "guest@example.com" and order.id in received["Subject"]
    parts = {part.get_content_type() for part in received.walk()}
    assert {"text/plain", "text/html"} <= parts
    stored = session.exec(select(OutboxMessage)).one()
    assert stored.status == "sent" and stored.attempts == 1 and stored.sent_at


def test_smtp_down_keeps_the_message_with_its_error_and_a_later_flush_delivers(session, smtp_server):
    make_guest_order(session)
    down = SmtpBackend(f"smtp://127.0.0.1:{free_port()}", sender="shop@example.com", timeout=2)
    assert outbox.flush_outbox(session=session, backend=down) == 0
    stored = session.exec(select(OutboxMessage)).one()
    assert stored.status == "pending" and stored.attempts == 1 and stored.last_error
    assert stored.next_attempt_at > utcnow()
    controller, inbox = smtp_server
    up = SmtpBackend(f"smtp://127.0.0.1:{controller.port}", sender="shop@example.com")
    assert outbox.flush_outbox(session=session, backend=up) == 0  # not due yet: backoff
    assert outbox.flush_outbox(session=session, backend=up, now=utcnow() + timedelta(minutes=1)) == 1
    assert len(inbox.messages) == 1
    assert session.exec(select(OutboxMessage)).one().status == "sent"


def test_gives_up_after_max_attempts(session):
    make_guest_order(session)

    class Broken:
        def send(self, message):
            raise ConnectionRefusedError("nobody home")

    when = utcnow()
    for _ in range(outbox.MAX_ATTEMPTS):
        outbox.flush_outbox(session=session, backend=Broken(), now=when)
        when += timedelta(hours=2)
    stored = session.exec(select(OutboxMessage)).one()
    assert stored.status == "failed" and "nobody home" in stored.last_error


def test_two_flushes_at_once_send_each_message_once(session, engine):
    make_guest_order(session)
    make_guest_order(session, email="other@example.com")
    session.commit()

    class SlowSmtp:
        """While the first send is in flight, a second worker's timer flushes the same outbox."""

        def __init__(self):
            self.sent = []

        def send(self, message):
            self.sent.append(message.to)
            if len(self.sent) == 1:
                with Session(engine) as other_worker:
                    outbox.flush_outbox(session=other_worker, backend=self)

    smtp = SlowSmtp()
    outbox.flush_outbox(session=session, backend=smtp)
    stored = session.exec(select(OutboxMessage).execution_options(populate_existing=True)).all()
    assert sorted(smtp.sent) == sorted(m.to for m in stored)  # each message exactly once
    assert [m.status for m in stored] == ["sent", "sent"]


def test_a_sender_that_died_mid_send_leaves_the_message_to_be_retried(session):
    make_guest_order(session)
    stored = session.exec(select(OutboxMessage)).one()
    stored.attempts, stored.next_attempt_at = 1, utcnow() + outbox.SEND_LEASE  # leased, never finished
    session.add(stored)
    session.commit()
    memory = MemoryBackend()
    assert outbox.flush_outbox(session=session, backend=memory) == 0  # still leased
    later = utcnow() + outbox.SEND_LEASE + timedelta(seconds=1)
    assert outbox.flush_outbox(session=session, backend=memory, now=later) == 1
    assert len(memory.sent) == 1


def test_the_outbox_backend_marks_every_due_message_sent_at_once_and_leaves_the_rest(session):
    for n in range(3):
        make_guest_order(session, email=f"shopper{n}@example.com")
    leased = session.exec(select(OutboxMessage).where(OutboxMessage.to == "shopper2@example.com")).one()
    leased.attempts, leased.next_attempt_at = 1, utcnow() + outbox.SEND_LEASE  # another worker is sending it
    session.add(leased)
    session.add(OutboxMessage(to="held@example.com", subject="s", text="t", html="h", status="held"))
    session.commit()
    assert outbox.flush_outbox(session=session, backend=OutboxBackend()) == 2
    session.expire_all()
    status = {m.to: (m.status, m.attempts, m.sent_at is not None) for m in session.exec(select(OutboxMessage))}
    assert status == {"shopper0@example.com": ("sent", 1, True), "shopper1@example.com": ("sent", 1, True),
                      "shopper2@example.com": ("pending", 1, False), "held@example.com": ("held", 0, False)}
    assert outbox.flush_outbox(session=session, backend=OutboxBackend()) == 0  # nothing is marked twice


def test_list_filter_newest_first_links_and_clear(session):
    make_guest_order(session, email="one@example.com")
    make_guest_order(session, email="two@example.com")
    backend = MemoryBackend()
    outbox.flush_outbox(session=session, backend=backend)
    assert [m.to for m in backend.sent] == ["one@example.com", "two@example.com"]
    assert [m.to for m in outbox.list_messages(session=session)] == ["two@example.com", "one@example.com"]
    assert [m.to for m in outbox.list_messages(session=session, to="ONE@example.com")] == ["one@example.com"]
    assert outbox.clear(session=session) == 2
    assert outbox.list_messages(session=session) == []


def test_smtp_url_parsing():
    backend = SmtpBackend("smtps://user%40x:p%3Ass@mail.example.com", sender="s@example.com")
    assert (backend.hostname, backend.port, backend.use_tls) == ("mail.example.com", 465, True)
    assert (backend.username, backend.password) == ("user@x", "p:ss")
    assert SmtpBackend("smtp://localhost:1025", sender="s").port == 1025
    with pytest.raises(ValueError):
        SmtpBackend("http://localhost", sender="s")


def test_smtp_send_works_from_a_thread_that_runs_an_event_loop(session, smtp_server):
    controller, inbox = smtp_server
    backend = SmtpBackend(f"smtp://127.0.0.1:{controller.port}", sender="shop@example.com")
    mail = render("claim_declined", customer_name="Ada", order_email="a@b.co", order_ids=["order_1"])
    message = OutboxMessage(to="ada@example.com", subject=mail.subject, text=mail.text, html=mail.html)

    async def inside_a_loop():
        backend.send(message)

    run_in_fresh_loop(inside_a_loop)
    assert len(inbox.messages) == 1


def test_search_finds_recipients_and_subjects_in_any_case_and_treats_wildcards_as_text(session):
    from storefront.services import outbox as box

    for to, template in [("ada@example.com", "claim_declined"), ("grace@example.com", "claim_declined")]:
        box.queue(session=session, to=to, template=template, customer_name="X", order_email="o@example.com",
                  order_ids=["order_1"])
    assert [m.to for m in box.list_messages(session=session, search="GRACE")] == ["grace@example.com"]
    assert len(box.list_messages(session=session, search="claim")) == 2  # in both subjects
    assert box.list_messages(session=session, search="%") == []  # a literal percent sign, not "anything"
    assert box.list_messages(session=session, search="_") == []


def test_opening_marks_read_and_the_source_has_headers_and_both_parts(session):
    from storefront.services import outbox as box

    message = box.queue(session=session, to="ada@example.com", template="claim_declined", customer_name="Ada",
                        order_email="o@example.com", order_ids=["order_1"])
    assert box.unread_count(session=session) == 1 and box.newest_id(session=session) == message.id
    assert box.open_message(session=session, message_id=message.id).read_at is not None
    assert box.unread_count(session=session) == 0
    source = box.source(message)
    assert "To: ada@example.com" in source and f"Subject: {message.subject}" in source
    assert "text/plain" in source and "text/html" in source


def test_several_renderers_at_once_render_every_message_once_and_never_deadlock(any_engine):
    """Every worker's courier, and every reader, renders what is waiting before it reads: at once, on PostgreSQL."""
    with Session(any_engine) as setup:
        for n in range(30):
            make_guest_order(setup, email=f"guest{n}@example.com")
        setup.commit()

    def renders(own):
        outbox.render_due(session=own)

    for round_ in range(5):
        with Session(any_engine) as more:  # new mail arrives while the renderers run
            make_guest_order(more, email=f"late{round_}@example.com")
            more.commit()
        assert at_once(any_engine, [renders] * 6) == ["won"] * 6
    with Session(any_engine) as check:
        stored = check.exec(select(OutboxMessage)).all()
    assert len(stored) >= 30 and all(m.template is None and m.subject for m in stored)
