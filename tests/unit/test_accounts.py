import contextlib
from datetime import timedelta

import pytest

from storefront.models import utcnow
from storefront.services import accounts, logins, passwords, sessions
from storefront.services.errors import EmailTaken, InvalidCredentials, InvalidInput, TooManyAttempts
from tests.factories import PASSWORD, authenticate, make_customer


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
    passphrase = "a" * 64 + " long passphrase with spaces"
    customer = make_customer(session, email="ada@example.com", password=passphrase)
    assert authenticate(session, email="ada@example.com", password=passphrase).id == customer.id
    with pytest.raises(InvalidCredentials):  # the spaces are part of it, not trimmed or squeezed out
        authenticate(session, email="ada@example.com", password=passphrase.replace(" ", ""))


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
    assert authenticate(session, email="ADA@example.com ", password=PASSWORD).id == customer.id


def test_wrong_password_and_unknown_email_give_the_same_error(session):
    make_customer(session, email="ada@example.com")
    with pytest.raises(InvalidCredentials) as wrong:
        authenticate(session, email="ada@example.com", password="wrong password")
    with pytest.raises(InvalidCredentials) as unknown:
        authenticate(session, email="nobody@example.com", password="wrong password")
    assert wrong.value.message == unknown.value.message


def test_unknown_email_still_verifies_a_hash(session, monkeypatch):
    calls = []
    real = passwords.verify_password
    monkeypatch.setattr(passwords, "verify_password", lambda *a, **k: calls.append(a) or real(*a, **k))
    with pytest.raises(InvalidCredentials):
        authenticate(session, email="nobody@example.com", password="whatever123")
    assert len(calls) == 1


def _fail_login(session, email: str = "ada@example.com", client: str = "198.51.100.7") -> None:
    with pytest.raises(InvalidCredentials):
        authenticate(session, email=email, password="wrong password", client=client)


def test_failed_logins_slow_down_for_that_client_but_not_for_the_owner_elsewhere(session, limit_clock):
    make_customer(session, email="ada@example.com")
    for _ in range(5):
        _fail_login(session)
    with pytest.raises(TooManyAttempts) as refused:  # even the right password waits: no free guess
        authenticate(session, email="ada@example.com", password=PASSWORD, client="198.51.100.7")
    assert 1 <= refused.value.retry_after <= 60 and "Wait" in refused.value.message
    assert authenticate(session, email="ada@example.com", password=PASSWORD, client="203.0.113.9")
    limit_clock.advance(61)
    assert authenticate(session, email="ada@example.com", password=PASSWORD, client="198.51.100.7")


def test_the_delay_grows_with_more_failures(session, limit_clock):
    make_customer(session, email="ada@example.com")
    for _ in range(5):
        _fail_login(session)
    limit_clock.advance(61)
    for _ in range(5):
        _fail_login(session)
    with pytest.raises(TooManyAttempts) as refused:
        _fail_login(session)
    assert refused.value.retry_after > 60  # the second tier: up to 15 minutes


def test_strangers_everywhere_lock_the_owner_out_for_a_few_minutes_at_most(session, limit_clock):
    make_customer(session, email="ada@example.com")
    for n in range(10):
        _fail_login(session, client=f"198.51.100.{n}")
    with pytest.raises(TooManyAttempts) as refused:
        authenticate(session, email="ada@example.com", password=PASSWORD, client="203.0.113.9")
    assert refused.value.retry_after <= 5 * 60
    limit_clock.advance(5 * 60 + 1)
    assert authenticate(session, email="ada@example.com", password=PASSWORD, client="203.0.113.9")


def test_one_client_guessing_across_accounts_is_limited(session):
    for n in range(20):
        _fail_login(session, email=f"person{n}@example.com")
    with pytest.raises(TooManyAttempts):
        _fail_login(session, email="someone-else@example.com")
    _fail_login(session, email="someone-else@example.com", client="203.0.113.9")  # others are not held back


def test_parallel_wrong_logins_get_no_more_guesses_than_the_limit(engine, monkeypatch):
    from concurrent.futures import ThreadPoolExecutor

    from sqlmodel import Session

    checked = []
    monkeypatch.setattr(passwords, "verify_password", lambda *a, **k: checked.append(1) or (False, None))

    def attempt(_):
        with Session(engine) as own:
            try:
                authenticate(own, email="ada@example.com", password="guess", client="198.51.100.7")
            except (InvalidCredentials, TooManyAttempts) as exc:
                return type(exc).__name__

    with ThreadPoolExecutor(max_workers=16) as pool:
        answers = list(pool.map(attempt, range(40)))
    assert len(checked) == 5 and answers.count("InvalidCredentials") == 5
    assert answers.count("TooManyAttempts") == 35


@pytest.mark.parametrize("password", ["x" * 5000, "\ud800 surrogate", "", None, 12345678])
def test_impossible_passwords_fail_without_hashing(session, monkeypatch, password):
    make_customer(session, email="ada@example.com")
    monkeypatch.setattr(passwords, "verify_password", lambda *a, **k: pytest.fail("hashed an impossible password"))
    with pytest.raises(InvalidCredentials):
        authenticate(session, email="ada@example.com", password=password)


def test_outdated_hash_is_upgraded_on_login(session, real_password_hashes):
    weak = passwords.make_context(memory_cost=1024, time_cost=1)
    customer = make_customer(session, email="ada@example.com")
    customer.password_hash = passwords.hash_password(PASSWORD, context=weak)
    session.add(customer)
    session.flush()
    assert "m=1024" in customer.password_hash
    authenticate(session, email="ada@example.com", password=PASSWORD)
    assert "m=19456" in customer.password_hash
    assert authenticate(session, email="ada@example.com", password=PASSWORD).id == customer.id


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


def test_an_office_behind_one_address_can_all_log_in(session):
    people = [make_customer(session, email=f"colleague{n}@example.com").email for n in range(25)]
    for email in people:  # more than LOGIN_CLIENT allows failures for: successes do not count
        assert authenticate(session, email=email, password=PASSWORD, client="198.51.100.7")


def test_registration_names_every_field_at_fault_at_once(session):
    with pytest.raises(InvalidInput) as excinfo:
        accounts.register(session=session, email="nope", password="short", first_name=" ", last_name="")
    assert list(excinfo.value.errors) == ["first_name", "last_name", "email", "password"]
    assert excinfo.value.field == "first_name"
    assert excinfo.value.errors["password"].startswith("Use at least")


def _stranger_fails(session, rounds: int = 10) -> None:
    """Wrong passwords for ada@example.com from `rounds` addresses (refused ones count as tried too)."""
    for n in range(rounds):
        with contextlib.suppress(TooManyAttempts):
            _fail_login(session, client=f"198.51.100.{n}")


def test_strangers_cannot_keep_the_owner_out_of_a_device_they_used_before(session, limit_clock):
    from storefront.services import devices

    make_customer(session, email="ada@example.com")
    known = devices.issue("ada@example.com")  # what the owner's browser got at its last login
    for _ in range(4):  # ten wrong passwords from anywhere, renewed every few minutes for 20 minutes
        _stranger_fails(session)
        limit_clock.advance(4 * 60)
    _stranger_fails(session)
    assert authenticate(session, email="ada@example.com", password=PASSWORD, client="203.0.113.9",
                        device_cookie=known)
    _stranger_fails(session)
    with pytest.raises(TooManyAttempts) as new_device:  # a new device gets the honest 429
        authenticate(session, email="ada@example.com", password=PASSWORD, client="203.0.113.9")
    assert "new devices" in new_device.value.message and new_device.value.retry_after <= 5 * 60


def test_a_known_device_has_a_lockout_of_its_own(session, limit_clock):
    from storefront.services import devices

    make_customer(session, email="ada@example.com")
    stolen, laptop = devices.issue("ada@example.com"), devices.issue("ada@example.com")
    for _ in range(5):
        with pytest.raises(InvalidCredentials):
            authenticate(session, email="ada@example.com", password="wrong password", device_cookie=stolen)
    with pytest.raises(TooManyAttempts):
        authenticate(session, email="ada@example.com", password=PASSWORD, device_cookie=stolen)
    assert authenticate(session, email="ada@example.com", password=PASSWORD, device_cookie=laptop)
    assert authenticate(session, email="ada@example.com", password=PASSWORD, client="203.0.113.9")  # strangers too


def test_only_a_cookie_this_shop_signed_for_this_account_counts_as_known(session, limit_clock, monkeypatch):
    from storefront import config
    from storefront.services import devices

    make_customer(session, email="ada@example.com")
    make_customer(session, email="eve@example.com")
    mine = devices.issue("ada@example.com")
    monkeypatch.setenv("STOREFRONT_SECRET_KEYS", "another-shops-key")
    config.get_settings.cache_clear()
    foreign = devices.issue("ada@example.com")
    monkeypatch.setenv("STOREFRONT_SECRET_KEYS", "test-key-new,test-key-current")  # rotation: still known
    config.get_settings.cache_clear()
    _stranger_fails(session)
    for cookie in (devices.issue("eve@example.com"), foreign, mine[:-3] + "abc", mine + "x", "x" * 5000, ""):
        with pytest.raises(TooManyAttempts):
            authenticate(session, email="ada@example.com", password=PASSWORD, device_cookie=cookie)
    assert authenticate(session, email="ada@example.com", password=PASSWORD, device_cookie=mine)


def test_a_password_changed_while_a_login_verifies_fails_that_login(session, monkeypatch):
    customer = make_customer(session, email="ada@example.com")
    real = passwords.verify_password

    def verify_while_reset(*args, **kwargs):  # a password reset commits between the login's two steps
        customer.password_hash = passwords.hash_password("a brand new passphrase")
        session.add(customer)
        return real(*args, **kwargs)

    monkeypatch.setattr(passwords, "verify_password", verify_while_reset)
    with pytest.raises(InvalidCredentials):
        authenticate(session, email="ada@example.com", password=PASSWORD)


def test_a_login_is_two_transactions_with_the_verify_outside_both(monkeypatch, engine):
    """runner.run is one transaction, always: a login reads in one, verifies outside any, and writes in another."""
    from sqlmodel import Session

    from storefront.services import runner

    with Session(engine) as own:
        make_customer(own, email="ada@example.com")
        own.commit()
    steps, inside, during_verify = [], [], []
    real_run, real_verify = runner.run, passwords.verify_password

    def tracked_run(service, /, **kwargs):
        steps.append(service.__name__)
        inside.append(True)
        try:
            return real_run(service, **kwargs)
        finally:
            inside.pop()

    def watching_verify(*args, **kwargs):
        during_verify.append(bool(inside))
        return real_verify(*args, **kwargs)

    monkeypatch.setattr(runner, "run", tracked_run)
    monkeypatch.setattr(passwords, "verify_password", watching_verify)
    customer, token = runner.run_steps(logins.login, email="ada@example.com", password=PASSWORD)
    assert customer.email == "ada@example.com" and token
    assert steps == ["begin_login", "finish_login"] and during_verify == [False]
