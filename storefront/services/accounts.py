"""Customer accounts: registration and password login with throttling."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from passlib.context import CryptContext
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from storefront.models import Customer
from storefront.services import devices, inputs, passwords, ratelimit, sessions
from storefront.services.errors import EmailTaken, FieldErrors, InvalidCredentials, TooManyAttempts

logger = logging.getLogger(__name__)
# Runs one step of a flow in a transaction of its own: `transaction(service, **kwargs)` (runner.run_steps).
Transaction = Callable[..., Any]

# Login attempts from strangers slow down per account *and* per client address (OWASP's advice against
# lockout), and one client guessing across many accounts is held back by LOGIN_CLIENT. The two account rules
# count every attempt before the password is checked (atomically: a parallel burst gets no extra guesses) and
# a success clears them; LOGIN_CLIENT counts failures only, so an office behind one address can still log in
# all day. A device the owner logged in from before is never counted with strangers (_throttle).
LOGIN_CLIENT_ACCOUNT = ratelimit.Rule("login-client-account", "5/minute;10/15 minutes")
LOGIN_ACCOUNT = ratelimit.Rule("login-account", "10/5 minutes")
LOGIN_CLIENT = ratelimit.Rule("login-client", "20/5 minutes;60/hour")
# A device that logged in to the account before (services/devices.py) has a lockout of its own instead.
LOGIN_DEVICE = ratelimit.Rule("login-device", "5/minute;10/15 minutes")
# Sign-ups per address: each costs an argon2 hash, and 227 in 5 s slowed the whole shop.
REGISTER_CLIENT = ratelimit.Rule("register-client", "10/minute;100/hour")
_THROTTLED = "Too many login attempts. Wait {wait} and try again."
_THROTTLED_NEW_DEVICE = ("Too many login attempts for this account from new devices. Wait {wait} and try again, "
                         "or log in from a device you have used before.")
_REGISTERING = "Too many sign-ups from your network. Wait a while and try again."
REGISTER_FIELDS = ("first_name", "last_name", "email", "password")  # the order the sign-up form asks them in


def normalize_email(raw: object, *, field: str = "email") -> str:
    """The one email rule for sign-up, checkout and the API (see inputs.email_address)."""
    return inputs.email_address(raw, field=field)


def get_by_email(*, session: Session, email: str) -> Customer | None:
    """The customer with this email (any case), if any."""
    return session.exec(select(Customer).where(Customer.email == email.strip().lower())).first()


def register(
    *,
    session: Session,
    email: str,
    password: str,
    first_name: str,
    last_name: str,
    context: CryptContext | None = None,
) -> Customer:
    """Create a customer account, hashing the password inside the caller's transaction (setup and tests; the
    faces call `register_and_login`, which hashes outside any).

    Args:
        session: Database session.
        email: Any case; stored lower-cased.
        password: Checked against the password rules, stored as an argon2id hash.
        first_name: Required.
        last_name: Required.
        context: Hashing context override (tests).

    Returns:
        The new customer.

    Raises:
        InvalidInput: Fields are missing or malformed (`errors` names every one of them).
        EmailTaken: The email already has an account.
    """
    first, last, clean_email = _checked_fields(email=email, password=password, first_name=first_name,
                                               last_name=last_name)
    password_hash = passwords.hash_password(password, context=context)  # in the caller's transaction: setup only
    ensure_email_free(session=session, email=clean_email)
    return _insert(session, email=clean_email, first_name=first, last_name=last, password_hash=password_hash)


def _checked_fields(*, email: object, password: object, first_name: object, last_name: object
                    ) -> tuple[str, str, str]:
    """The sign-up fields, checked (every field at fault named at once): the first and last name and the email."""
    problems = FieldErrors()
    first = problems.check("first_name", inputs.person_name, first_name, field="first_name",
                           required="Enter your first name.")
    last = problems.check("last_name", inputs.person_name, last_name, field="last_name",
                          required="Enter your last name.")
    clean_email = problems.check("email", normalize_email, email)
    problems.check("password", passwords.check_password_rules, password)
    problems.raise_if_any(REGISTER_FIELDS)
    return first, last, clean_email


def create_registered(
    *, session: Session, email: str, password_hash: str, first_name: object, last_name: object
) -> Customer:
    """Create the customer of a two-step sign-up (services/registrations.py), whose email was checked and
    password hashed by its first step.

    Raises:
        InvalidInput: A name is missing or malformed.
        EmailTaken: The email got an account in the meantime.
    """
    first, last = _names(first_name, last_name)
    ensure_email_free(session=session, email=email)
    return _insert(session, email=email, first_name=first, last_name=last, password_hash=password_hash)


def ensure_email_free(*, session: Session, email: str) -> None:
    """Raises EmailTaken when the (normalized) email already has an account."""
    if get_by_email(session=session, email=email) is not None:
        raise EmailTaken(field="email")


def _names(first_name: object, last_name: object) -> tuple[str, str]:
    return (inputs.person_name(first_name, field="first_name", required="Enter your first name."),
            inputs.person_name(last_name, field="last_name", required="Enter your last name."))


def _insert(session: Session, **fields: str) -> Customer:
    """Insert a customer; the unique index on email decides a race that ensure_email_free cannot see.

    Two sign-ups for one email can both pass the check before either commits (PostgreSQL runs them side by
    side); the second insert then violates the index, which is the same answer as the check's.
    """
    customer = Customer(**fields)
    session.add(customer)
    try:
        session.flush()
    except IntegrityError as exc:
        if "email" not in str(exc.orig).lower():
            raise
        raise EmailTaken(field="email") from None
    return customer


@dataclass(frozen=True)
class LoginAttempt:
    """What a login's first step read, for the verify between its steps: nothing here is sent to anyone."""

    account: str  # the email as the limits and device cookies know it ("-" when it cannot be one)
    customer_id: int | None
    stored_hash: str | None
    device: str | None  # the nonce of the attempt's known-device cookie, None for a stranger


def _throttle(client: str, account: str, device: str | None) -> None:
    """Count one attempt, or refuse it (OWASP: device cookies, and no lockout a stranger can renew for the owner).

    A known device is counted against its own lockout only. Strangers are limited per account, per address,
    and per address and account together; the two account rules count every attempt before the password is
    checked (atomically), and the address rule counts failures only (an office behind one address logs in).
    """
    if device is not None:
        rules = ((LOGIN_DEVICE, (device, account), True),)
    else:
        rules = ((LOGIN_CLIENT, (client,), False), (LOGIN_CLIENT_ACCOUNT, (client, account), True),
                 (LOGIN_ACCOUNT, (account,), True))
    for rule, parts, count in rules:
        try:
            ratelimit.hit(rule, *parts) if count else ratelimit.check(rule, *parts)
        except TooManyAttempts as exc:
            logger.warning("login throttled (%s)", rule.name)
            message = _THROTTLED_NEW_DEVICE if rule is LOGIN_ACCOUNT else _THROTTLED
            raise TooManyAttempts(message.format(wait=exc.wait_words()), retry_after=exc.retry_after) from None


def begin_login(*, session: Session, email: str, client: str = "", device_cookie: str | None = None) -> LoginAttempt:
    """A login's first step: count the attempt (or refuse it) and read the account's password hash.

    Raises:
        TooManyAttempts: Too many recent attempts for this account from strangers, this client, or this device.
    """
    clean_email = inputs.lookup_email(email)
    account = clean_email or "-"
    device = devices.known_device(device_cookie, account) if clean_email else None
    _throttle(client, account, device)
    customer = get_by_email(session=session, email=clean_email) if clean_email else None
    return LoginAttempt(account=account, customer_id=customer.id if customer else None,
                        stored_hash=customer.password_hash if customer else None, device=device)


def finish_login(
    *, session: Session, attempt: LoginAttempt, verified: bool, new_hash: str | None, client: str = "",
    start: bool = False, ticket: bool = False,
) -> tuple[Customer, str | None]:
    """A login's last step, after the password was checked outside any transaction: refuse, or let the customer in.

    A password changed between the steps (a reset) fails the login that checked the old one. An outdated hash
    is upgraded. With `start`, a session (or a ticket) is started in the same transaction.

    Raises:
        InvalidCredentials: The password did not match, or changed meanwhile.
    """
    customer = session.get(Customer, attempt.customer_id) if attempt.customer_id is not None else None
    if not verified or customer is None or customer.password_hash != attempt.stored_hash:
        if attempt.device is None:
            ratelimit.allow(LOGIN_CLIENT, client)  # one more failure from this address
        raise InvalidCredentials()
    if new_hash:
        customer.password_hash = new_hash
        session.add(customer)
    if attempt.device is not None:  # its own count only: the owner's login says nothing about the strangers
        ratelimit.clear(LOGIN_DEVICE, attempt.device, attempt.account)
    else:
        clear_throttling(email=attempt.account, client=client)
    token = sessions.create_session(session=session, customer_id=customer.id, ticket=ticket) if start else None
    return customer, token


def _check_password(password: object, attempt: LoginAttempt, context: CryptContext | None) -> tuple[bool, str | None]:
    """Verify outside any transaction; unknown accounts verify a dummy hash, so timing tells nothing."""
    if not passwords.could_be_password(password):
        return False, None
    return passwords.verify_password(password, attempt.stored_hash, context=context)


def authenticate(
    *,
    transaction: Transaction,
    email: str,
    password: str,
    client: str = "",
    device_cookie: str | None = None,
    context: CryptContext | None = None,
) -> Customer:
    """Check an email and password and return the customer: read, verify, then write, each step on its own.

    Unknown emails and wrong passwords raise the same error after the same work (a dummy hash is
    verified), so neither the answer nor its timing tells whether an account exists. Every attempt is
    counted first, atomically, so parallel guesses cannot slip past the limits. A hash made with outdated
    parameters is upgraded on success.

    Args:
        transaction: Runs one step in a transaction of its own (runner.run_steps passes it).
        email: As typed.
        password: As typed; anything that could never be a password fails without being hashed.
        client: The client's address (the per-client limits); "" when unknown.
        device_cookie: The client's device cookie (services/devices.py), if it sent one.
        context: Hashing context override (tests).

    Raises:
        InvalidCredentials: Wrong email or password.
        TooManyAttempts: Too many recent attempts for this account, this client, or this device.
    """
    customer, _ = login(transaction=transaction, email=email, password=password, client=client,
                        device_cookie=device_cookie, context=context, start=False)
    return customer


def clear_throttling(*, email: str, client: str = "") -> None:
    """Forget the counted login attempts for an account (from anywhere, and from `client` in particular)."""
    ratelimit.clear(LOGIN_CLIENT_ACCOUNT, client, email)
    ratelimit.clear(LOGIN_ACCOUNT, email)


def login(
    *, transaction: Transaction, email: str, password: str, client: str = "", device_cookie: str | None = None,
    ticket: bool = False, start: bool = True, context: CryptContext | None = None,
) -> tuple[Customer, str | None]:
    """Authenticate and start a session; returns the customer and the session (or ticket) token.

    The caller sets a new device cookie (devices.issue) for the customer's email on success.

    Raises:
        InvalidCredentials, TooManyAttempts: As `authenticate`.
    """
    attempt = transaction(begin_login, email=email, client=client, device_cookie=device_cookie)
    verified, new_hash = _check_password(password, attempt, context)
    return transaction(finish_login, attempt=attempt, verified=verified, new_hash=new_hash, client=client,
                       start=start, ticket=ticket)


def throttle_registration(client: str) -> None:
    """Count one sign-up from `client`, or refuse it saying how long to wait (both sign-up APIs and the form).

    Raises:
        TooManyAttempts: Too many sign-ups from this address lately.
    """
    ratelimit.hit(REGISTER_CLIENT, client, message=_REGISTERING)


def _create_and_login(
    *, session: Session, email: str, password_hash: str, first_name: str, last_name: str, ticket: bool
) -> tuple[Customer, str]:
    ensure_email_free(session=session, email=email)
    customer = _insert(session, email=email, first_name=first_name, last_name=last_name, password_hash=password_hash)
    return customer, sessions.create_session(session=session, customer_id=customer.id, ticket=ticket)


def register_and_login(
    *, transaction: Transaction, email: str, password: str, first_name: str, last_name: str, client: str = "",
    ticket: bool = False, context: CryptContext | None = None,
) -> tuple[Customer, str]:
    """Register, then start a session at once (Medusa's POST /store/customers does the same).

    The fields are checked and the password hashed outside any transaction; the account and its session are
    then made in one.

    Raises:
        InvalidInput, EmailTaken: As `register`.
        TooManyAttempts: Too many sign-ups from this client lately.
    """
    first, last, clean_email = _checked_fields(email=email, password=password, first_name=first_name,
                                               last_name=last_name)
    throttle_registration(client)
    password_hash = passwords.hash_password(password, context=context)
    return transaction(_create_and_login, email=clean_email, password_hash=password_hash, first_name=first,
                       last_name=last, ticket=ticket)
