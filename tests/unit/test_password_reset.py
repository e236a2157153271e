"""Password reset: same answer for any email, a single-use expiring link, every session ended."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from sqlmodel import Session, delete, select

from storefront.models import OutboxMessage, PasswordReset
from storefront.services import outbox, password_reset, sessions
from storefront.services.errors import (
    InvalidCredentials,
    InvalidInput,
    ResetLinkExpired,
    ResetLinkInvalid,
    ResetLinkReplaced,
    ResetLinkUsed,
    TooManyAttempts,
)
from storefront.services.tokens import LinkSigner
from tests.factories import PASSWORD, authenticate, make_customer, within
from tests.unit.conftest import TEST_KEYS

NEW = "a brand new passphrase"


def reset(session, **kwargs):
    """password_reset.reset_password with every step in the test's own session."""
    return password_reset.reset_password(transaction=within(session), **kwargs)


def mailed_token(session, to: str) -> str:
    (mail,) = [m for m in outbox.list_messages(session=session, to=to) if "Reset" in m.subject]
    (link,) = outbox.links(mail)
    assert link.startswith("http://shop.test/reset-password/?token=")  # canonical: no redirect
    return parse_qs(urlsplit(link).query)["token"][0]


def test_a_reset_link_goes_only_to_an_existing_account_and_the_answer_is_the_same(session):
    make_customer(session, email="ada@example.com")
    assert password_reset.request_reset(session=session, email="ADA@example.com") is None
    assert password_reset.request_reset(session=session, email="nobody@example.com") is None
    assert [m.to for m in session.exec(select(OutboxMessage)).all()] == ["ada@example.com"]
    stored = session.exec(select(PasswordReset)).one()
    assert mailed_token(session, "ada@example.com") not in stored.token_hash  # only the hash is kept
    with pytest.raises(InvalidInput):
        password_reset.request_reset(session=session, email="not an email")


def test_opening_changes_nothing_and_setting_ends_every_session(session):
    customer = make_customer(session, email="ada@example.com")
    phone = sessions.create_session(session=session, customer_id=customer.id)
    laptop = sessions.create_session(session=session, customer_id=customer.id)
    password_reset.request_reset(session=session, email="ada@example.com")
    token = mailed_token(session, "ada@example.com")
    assert password_reset.check_reset(session=session, token=token).id == customer.id
    assert authenticate(session, email="ada@example.com", password=PASSWORD)  # unchanged
    reset(session, token=token, password=NEW)
    assert sessions.customer_for_token(session=session, token=phone) is None
    assert sessions.customer_for_token(session=session, token=laptop) is None
    assert authenticate(session, email="ada@example.com", password=NEW)
    with pytest.raises(InvalidCredentials):
        authenticate(session, email="ada@example.com", password=PASSWORD)
    with pytest.raises(ResetLinkUsed):
        reset(session, token=token, password="another passphrase")


def test_a_new_password_clears_the_login_throttling(session):
    make_customer(session, email="ada@example.com")
    for _ in range(10):
        with pytest.raises((InvalidCredentials, TooManyAttempts)):
            authenticate(session, email="ada@example.com", password="wrong", client=f"10.0.0.{_}")
    with pytest.raises(TooManyAttempts):
        authenticate(session, email="ada@example.com", password=PASSWORD, client="10.9.9.9")
    password_reset.request_reset(session=session, email="ada@example.com")
    reset(session, token=mailed_token(session, "ada@example.com"), password=NEW, client="10.9.9.9")
    assert authenticate(session, email="ada@example.com", password=NEW, client="10.9.9.9")


def test_expired_tampered_claim_and_foreign_tokens_are_refused(session):
    make_customer(session, email="ada@example.com")
    make_customer(session, email="grace@example.com")
    password_reset.request_reset(session=session, email="ada@example.com")
    token = mailed_token(session, "ada@example.com")
    with pytest.raises(ResetLinkInvalid):  # validly signed, but no reset has it (a claim link, say)
        password_reset.check_reset(session=session, token=LinkSigner(TEST_KEYS).new()[0])
    with pytest.raises(ResetLinkInvalid):
        reset(session, token=token[:-2] + "xx", password=NEW)
    with pytest.raises(ResetLinkInvalid):  # Medusa's API names the email: it must be the account's
        reset(session, token=token, password=NEW, email="grace@example.com")
    with pytest.raises(InvalidInput):
        reset(session, token=token, password="short")
    expires_at = session.exec(select(PasswordReset.expires_at)).one()  # the row is the one clock
    assert password_reset.check_reset(session=session, token=token, now=expires_at)
    with pytest.raises(ResetLinkExpired):
        reset(session, token=token, password=NEW,
                                      now=expires_at + timedelta(seconds=1))


def test_a_newer_password_kills_older_links_and_two_presses_racing_set_one(engine):
    with Session(engine, expire_on_commit=False) as setup:
        make_customer(setup, email="ada@example.com")
        password_reset.request_reset(session=setup, email="ada@example.com")
        password_reset.request_reset(session=setup, email="ada@example.com")
        setup.commit()
        first, second = [parse_qs(urlsplit(outbox.links(m)[0]).query)["token"][0]
                         for m in outbox.list_messages(session=setup, to="ada@example.com")]
    start = threading.Barrier(2)

    def press(token):
        start.wait()
        with Session(engine) as own:
            try:
                reset(own, token=token, password=NEW)
                own.commit()
                return "set"
            except ResetLinkUsed:
                return "used"

    with ThreadPoolExecutor(max_workers=2) as pool:
        assert sorted(pool.map(press, [first, first])) == ["set", "used"]
    with Session(engine) as check, pytest.raises(ResetLinkUsed):
        password_reset.check_reset(session=check, token=second)


def test_asking_again_ends_the_earlier_link(session):
    make_customer(session, email="ada@example.com")
    password_reset.request_reset(session=session, email="ada@example.com")
    older = mailed_token(session, "ada@example.com")
    session.exec(delete(OutboxMessage))  # keep only the newest mail for mailed_token
    password_reset.request_reset(session=session, email="ada@example.com")
    newer = mailed_token(session, "ada@example.com")
    with pytest.raises(ResetLinkReplaced):
        password_reset.check_reset(session=session, token=older)
    with pytest.raises(ResetLinkReplaced):
        reset(session, token=older, password=NEW)
    assert password_reset.check_reset(session=session, token=newer).email == "ada@example.com"
