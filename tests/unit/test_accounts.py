from datetime import timedelta

import pytest

from storefront.models import utcnow
from storefront.services import accounts, passwords, sessions
from storefront.services.errors import EmailTaken, InvalidCredentials, InvalidInput, TooManyAttempts
from tests.factories import PASSWORD, make_customer


def test_register_stores_lowercased_email_and_an_argon2id_hash(session):
    customer = make_customer(session, email="  Ada@Example.COM ")
    assert customer.email == "ada@example.com"
    assert customer.password_hash.startswith("$argon2id$")
    assert PASSWORD not in customer.password_hash


def test_duplicate_email_in_any_case_is_refused(session):
    make_customer(session, email="ada@example.com")
    with pytest.raises(EmailTaken) as excinfo:
        make_customer(session, email="ADA@example.com")
    assert excinfo.value.field == "email"


@pytest.mark.parametrize(
    ("password", "words"),
    [("short", "at least 8"), ("x" * 129, "at most 128"), ("password123", "too common"), ("Qwerty123", "too common")],
)
def test_password_rules(session, password, words):
    with pytest.raises(InvalidInput) as excinfo:
        make_customer(session, password=password)
    assert words in excinfo.value.message and excinfo.value.field == "password"


def test_long_passphrases_with_spaces_and_no_digits_are_fine(session):
    make_customer(session, password="a" * 64 + " long passphrase with spaces")


@pytest.mark.parametrize(
    ("field", "kwargs"), [("email", {"email": "not-an-email"}), ("first_name", {"first_name": " "})]
)
def test_missing_or_malformed_fields_name_the_field(session, field, kwargs):
    with pytest.raises(InvalidInput) as excinfo:
        accounts.register(session=session, **{"email": "a@b.co", "password": PASSWORD, "first_name": "A",
                                              "last_name": "B", **kwargs})
    assert excinfo.value.field == field


def test_login_with_the_right_password_in_any_email_case(session):
    customer = make_customer(session, email="ada@example.com")
    assert accounts.authenticate(session=session, email="ADA@example.com ", password=PASSWORD).id == customer.id


def test_wrong_password_and_unknown_email_give_the_same_error(session):
    make_customer(session, email="ada@example.com")
    with pytest.raises(InvalidCredentials) as wrong:
        accounts.authenticate(session=session, email="ada@example.com", password="wrong password")
    with pytest.raises(InvalidCredentials) as unknown:
        accounts.authenticate(session=session, email="nobody@example.com", password="wrong password")
    assert wrong.value.message == unknown.value.message


def test_unknown_email_still_verifies_a_hash(session, monkeypatch):
    calls = []
    real = passwords.verify_password
    monkeypatch.setattr(passwords, "verify_password", lambda *a, **k: calls.append(a) or real(*a, **k))
    with pytest.raises(InvalidCredentials):
        accounts.authenticate(session=session, email="nobody@example.com", password="whatever123")
    assert len(calls) == 1


def test_login_throttled_after_five_failures_even_with_the_right_password(session):
    make_customer(session, email="ada@example.com")
    for _ in range(accounts.LOGIN_FAILURE_LIMIT):
        with pytest.raises(InvalidCredentials):
            accounts.authenticate(session=session, email="ada@example.com", password="wrong password")
    with pytest.raises(TooManyAttempts):
        accounts.authenticate(session=session, email="ada@example.com", password=PASSWORD)
    later = utcnow() + accounts.LOGIN_FAILURE_WINDOW + timedelta(seconds=1)
    assert accounts.authenticate(session=session, email="ada@example.com", password=PASSWORD, now=later)


def test_outdated_hash_is_upgraded_on_login(session):
    weak = passwords.make_context(memory_cost=1024, time_cost=1)
    customer = make_customer(session, email="ada@example.com")
    customer.password_hash = passwords.hash_password(PASSWORD, context=weak)
    session.add(customer)
    session.flush()
    assert "m=1024" in customer.password_hash
    accounts.authenticate(session=session, email="ada@example.com", password=PASSWORD)
    assert "m=19456" in customer.password_hash
    assert accounts.authenticate(session=session, email="ada@example.com", password=PASSWORD).id == customer.id


def test_session_token_resolves_until_revoked_or_expired(session):
    customer = make_customer(session)
    token = sessions.create_session(session=session, customer_id=customer.id)
    assert sessions.customer_for_token(session=session, token=token).id == customer.id
    far = utcnow() + timedelta(days=15)
    assert sessions.customer_for_token(session=session, token=token, now=far) is None
    sessions.revoke(session=session, token=token)
    assert sessions.customer_for_token(session=session, token=token) is None
    assert sessions.customer_for_token(session=session, token="garbage") is None


def test_login_ticket_is_single_use_and_rotates_into_a_session(session):
    customer = make_customer(session)
    ticket = sessions.create_session(session=session, customer_id=customer.id, ticket=True)
    assert sessions.customer_for_token(session=session, token=ticket) is None  # a ticket is no session
    token = sessions.redeem_ticket(session=session, ticket=ticket)
    assert token and token != ticket
    assert sessions.customer_for_token(session=session, token=token).id == customer.id
    assert sessions.redeem_ticket(session=session, ticket=ticket) is None


def test_login_ticket_expires_after_a_minute(session):
    customer = make_customer(session)
    ticket = sessions.create_session(session=session, customer_id=customer.id, ticket=True)
    assert sessions.redeem_ticket(session=session, ticket=ticket, now=utcnow() + timedelta(seconds=61)) is None
