"""Customer accounts: registration and password login with throttling."""

from __future__ import annotations

import logging

from passlib.context import CryptContext
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from storefront.db import end_transaction
from storefront.models import Customer
from storefront.services import inputs, passwords, ratelimit, sessions
from storefront.services.errors import EmailTaken, FieldErrors, InvalidCredentials, TooManyAttempts

logger = logging.getLogger(__name__)

# Login attempts slow down per account *and* per client address (OWASP's advice against lockout): a
# stranger elsewhere never locks the owner out for longer than LOGIN_ACCOUNT's window, and one client
# guessing across many accounts is held back by LOGIN_CLIENT. The two account rules count every attempt
# before the password is checked (atomically: a parallel burst gets no extra guesses) and a success clears
# them; LOGIN_CLIENT counts failures only, so an office behind one address can still log in all day.
LOGIN_CLIENT_ACCOUNT = ratelimit.Rule("login-client-account", "5/minute;10/15 minutes")
LOGIN_ACCOUNT = ratelimit.Rule("login-account", "10/5 minutes")
LOGIN_CLIENT = ratelimit.Rule("login-client", "20/5 minutes;60/hour")
_THROTTLED = "Too many login attempts. Wait {wait} and try again."
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
    """Create a customer account.

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
    problems = FieldErrors()
    first = problems.check("first_name", inputs.person_name, first_name, field="first_name",
                           required="Enter your first name.")
    last = problems.check("last_name", inputs.person_name, last_name, field="last_name",
                          required="Enter your last name.")
    clean_email = problems.check("email", normalize_email, email)
    problems.check("password", passwords.check_password_rules, password)
    problems.raise_if_any(REGISTER_FIELDS)
    password_hash = passwords.hash_password(password, context=context)  # before the transaction: see db.py
    ensure_email_free(session=session, email=clean_email)
    return _insert(session, email=clean_email, first_name=first, last_name=last, password_hash=password_hash)


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


def _throttle(client: str, account: str) -> None:
    """Refuse when the client is over its failure limit; count the attempt against the pair and the account."""
    for rule, parts, count in ((LOGIN_CLIENT, (client,), False), (LOGIN_CLIENT_ACCOUNT, (client, account), True),
                               (LOGIN_ACCOUNT, (account,), True)):
        try:
            ratelimit.hit(rule, *parts) if count else ratelimit.check(rule, *parts)
        except TooManyAttempts as exc:
            logger.warning("login throttled (%s)", rule.name)
            raise TooManyAttempts(_THROTTLED.format(wait=exc.wait_words()), retry_after=exc.retry_after) from None


def authenticate(
    *,
    session: Session,
    email: str,
    password: str,
    client: str = "",
    context: CryptContext | None = None,
) -> Customer:
    """Check an email and password and return the customer.

    Unknown emails and wrong passwords raise the same error after the same work (a dummy hash is
    verified), so neither the answer nor its timing tells whether an account exists. Every attempt is
    counted first, atomically, so parallel guesses cannot slip past the limits. A hash made with outdated
    parameters is upgraded on success.

    Args:
        session: Database session.
        email: As typed.
        password: As typed; anything that could never be a password fails without being hashed.
        client: The client's address (the per-client limits); "" when unknown.
        context: Hashing context override (tests).

    Raises:
        InvalidCredentials: Wrong email or password.
        TooManyAttempts: Too many recent attempts for this account, this client, or both.
    """
    clean_email = inputs.lookup_email(email)
    account = clean_email or "-"
    _throttle(client, account)
    customer = get_by_email(session=session, email=clean_email) if clean_email else None
    end_transaction(session)  # the verify below holds no lock (db.end_transaction)
    ok, new_hash = False, None
    if passwords.could_be_password(password):
        ok, new_hash = passwords.verify_password(password, customer.password_hash if customer else None,
                                                 context=context)
    if not ok or customer is None:
        ratelimit.allow(LOGIN_CLIENT, client)  # one more failure from this address
        raise InvalidCredentials()
    if new_hash:
        customer.password_hash = new_hash
        session.add(customer)
    clear_throttling(email=account, client=client)
    return customer


def clear_throttling(*, email: str, client: str = "") -> None:
    """Forget the counted login attempts for an account (from anywhere, and from `client` in particular)."""
    ratelimit.clear(LOGIN_CLIENT_ACCOUNT, client, email)
    ratelimit.clear(LOGIN_ACCOUNT, email)


@passwords.hashes_passwords
def login(
    *, session: Session, email: str, password: str, client: str = "", ticket: bool = False,
    context: CryptContext | None = None,
) -> tuple[Customer, str]:
    """Authenticate and start a session; returns the customer and the session (or ticket) token.

    Raises:
        InvalidCredentials, TooManyAttempts: As `authenticate`.
    """
    customer = authenticate(session=session, email=email, password=password, client=client, context=context)
    return customer, sessions.create_session(session=session, customer_id=customer.id, ticket=ticket)


@passwords.hashes_passwords
def register_and_login(
    *, session: Session, email: str, password: str, first_name: str, last_name: str, ticket: bool = False
) -> tuple[Customer, str]:
    """Register, then start a session at once (Medusa's POST /store/customers does the same)."""
    customer = register(session=session, email=email, password=password, first_name=first_name,
                        last_name=last_name)
    return customer, sessions.create_session(session=session, customer_id=customer.id, ticket=ticket)
