"""`make demo`'s seeding: a reusable demo account and, on every run, a new guest order it can claim."""

from sqlmodel import select

from storefront import demo, routes
from storefront.models import Customer
from storefront.services import accounts, orders, outbox, passwords
from tests.factories import authenticate


def test_a_fresh_database_gets_the_account_and_a_guest_order_and_a_rerun_reuses_the_account(settings):
    first = demo.prepare(settings.database_url)  # migrates the empty database first, as make demo does
    second = demo.prepare(settings.database_url)

    assert first.customer_email == second.customer_email == demo.DEMO_EMAIL
    assert first.guest_email != first.customer_email
    assert first.order_id != second.order_id  # a new order to claim on every run

    from storefront.db import session_scope

    with session_scope() as session:
        assert len(session.exec(select(Customer)).all()) == 1
        customer = authenticate(session, email=demo.DEMO_EMAIL, password=demo.DEMO_PASSWORD)
        for order_id in (first.order_id, second.order_id):
            order = orders.get_order(session=session, order_id=order_id).order
            assert order.customer_id is None and order.email == demo.GUEST_EMAIL  # a guest order, unclaimed
        assert customer.id is not None
        mails = outbox.list_messages(session=session, to=demo.GUEST_EMAIL)
        assert {first.order_id, second.order_id} <= {m.subject.rsplit(" ", 1)[-1] for m in mails}


def test_the_printed_password_works_again_after_someone_changed_it(session):
    demo.seed_demo(session=session)
    customer = accounts.get_by_email(session=session, email=demo.DEMO_EMAIL)
    customer.password_hash = passwords.hash_password("another password entirely")
    session.add(customer)

    demo.seed_demo(session=session)

    assert authenticate(session, email=demo.DEMO_EMAIL, password=demo.DEMO_PASSWORD).id == customer.id


def test_the_steps_name_the_credentials_the_order_and_where_to_click():
    seeded = demo.Demo("demo@example.com", "claim my order", "order_01ABC", "demo-guest@example.com")
    steps = demo.instructions(seeded, "http://localhost:3000")

    for text in ("demo@example.com", "claim my order", "order_01ABC", "demo-guest@example.com",
                 "http://localhost:3000/login", '"Claim an order"', '"Order IDs"', '"Claim orders"',
                 "http://localhost:3000/outbox", '"Confirm claim"'):
        assert text in steps
    assert [line.strip()[:2] for line in steps.splitlines() if line.strip()[:2] in {"1.", "2.", "3.", "4.", "5."}] \
        == ["1.", "2.", "3.", "4.", "5."]
    assert "/outbox" not in demo.instructions(seeded, "https://shop.example.com", outbox=False)


def test_step_four_names_the_link_as_the_email_writes_it():
    seeded = demo.Demo("demo@example.com", "claim my order", "order_01ABC", "demo-guest@example.com")
    mailed = routes.verify_url("http://localhost:3000", "TOKEN").removesuffix("TOKEN")
    for outbox_on in (True, False):
        assert f"follow its link to {mailed}…" in demo.instructions(seeded, "http://localhost:3000", outbox=outbox_on)


def test_make_demo_prints_its_steps_once(monkeypatch, capsys):
    seeded = demo.Demo("demo@example.com", "claim my order", "order_01ABC", "demo-guest@example.com")

    class App:  # the app `make demo` starts: up at once, then stopped
        def __init__(self, *args, **kwargs) -> None:
            pass

        def poll(self):
            return None

        def wait(self, timeout=None) -> int:
            return 0

    monkeypatch.setenv("PORT", "3999")  # main sets it too: put back afterwards
    monkeypatch.setattr(demo, "prepare", lambda url: seeded)
    monkeypatch.setattr(demo.subprocess, "Popen", App)
    monkeypatch.setattr(demo, "_wait_until_up", lambda url, app: True)
    assert demo.main(["--port", "3999"]) == 0
    printed = capsys.readouterr().out
    assert printed.count("Claim the guest order for the account:") == 1
    assert printed.count("demo@example.com") == 2  # the account line and step 1
    assert "order_01ABC" in printed.split("Claim the guest order")[0]  # the order ID also comes before the wait
