"""Customer accounts: registration and password login with throttling."""

from __future__ import annotations

import logging
import re
from datetime import datetime, timedelta

from passlib.context import CryptContext
from sqlmodel import Session, select

from storefront.models import Customer, utcnow
from storefront.services import passwords, ratelimit, sessions
from storefront.services.errors import EmailTaken, InvalidCredentials, InvalidInput, TooManyAttempts

logger = logging.getLogger(__name__)

# Deliberately loose: one @, something on each side, a dot in the domain, no spaces.
_EMAIL_RE = re.compile(r"^[^@\s]{1,64}@[^@\s]+\.[^@\s]+$")
LOGIN_FAILURE_LIMIT = 5
LOGIN_FAILURE_WINDOW = timedelta(minutes=15)


def normalize_email(raw: str | None, *, field: str = "email") -> str:
    """Trim and lower-case an email, or raise InvalidInput with a sentence for the form."""
    email = (raw or "").strip().lower()
    if not email:
        raise InvalidInput("Enter your email address.", field=field)
    if len(email) > 254 or not _EMAIL_RE.match(email):
        raise InvalidInput("Enter a valid email address, like name@example.com.", field=field)
    return email


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
        InvalidInput: A field is missing or malformed (`field` names it).
        EmailTaken: The email already has an account.
    """
    first, last = (first_name or "").strip(), (last_name or "").strip()
    if not first:
        raise InvalidInput("Enter your first name.", field="first_name")
    if not last:
        raise InvalidInput("Enter your last name.", field="last_name")
    if len(first) > 100 or len(last) > 100:
        raise InvalidInput("Names can be at most 100 characters.", field="first_name")
    clean_email = normalize_email(email)
    passwords.check_password_rules(password or "")
    if get_by_email(session=session, email=clean_email) is not None:
        raise EmailTaken(field="email")
    customer = Customer(
        email=clean_email, first_name=first, last_name=last,
        password_hash=passwords.hash_password(password, context=context),
    )
    session.add(customer)
    session.flush()
    return customer


def authenticate(
    *,
    session: Session,
    email: str,
    password: str,
    context: CryptContext | None = None,
    now: datetime | None = None,
) -> Customer:
    """Check an email and password and return the customer.

    Unknown emails and wrong passwords raise the same error after the same work (a dummy hash is
    verified), so neither the answer nor its timing tells whether an account exists. After
    LOGIN_FAILURE_LIMIT failures for one email within LOGIN_FAILURE_WINDOW, attempts are refused.
    A hash made with outdated parameters is upgraded on success.

    Raises:
        InvalidCredentials: Wrong email or password.
        TooManyAttempts: Too many recent failures for this email.
    """
    clean_email = (email or "").strip().lower()
    key = f"login-fail:{clean_email}"
    if ratelimit.count(session=session, key=key, window=LOGIN_FAILURE_WINDOW, now=now) >= LOGIN_FAILURE_LIMIT:
        logger.warning("login throttled for an account after repeated failures")
        raise TooManyAttempts()
    customer = get_by_email(session=session, email=clean_email) if clean_email else None
    ok, new_hash = passwords.verify_password(
        password or "", customer.password_hash if customer else None, context=context
    )
    if not ok or customer is None:
        ratelimit.record(session=session, key=key, now=now or utcnow())
        # The failure must count even though the caller's transaction ends in an error.
        session.commit()
        raise InvalidCredentials()
    if new_hash:
        customer.password_hash = new_hash
        session.add(customer)
    ratelimit.reset(session=session, key=key)
    return customer


def login(
    *, session: Session, email: str, password: str, ticket: bool = False, context: CryptContext | None = None
) -> tuple[Customer, str]:
    """Authenticate and start a session; returns the customer and the session (or ticket) token.

    Raises:
        InvalidCredentials, TooManyAttempts: As `authenticate`.
    """
    customer = authenticate(session=session, email=email, password=password, context=context)
    return customer, sessions.create_session(session=session, customer_id=customer.id, ticket=ticket)


def register_and_login(
    *, session: Session, email: str, password: str, first_name: str, last_name: str, ticket: bool = False
) -> tuple[Customer, str]:
    """Register, then start a session at once (Medusa's POST /store/customers does the same)."""
    customer = register(session=session, email=email, password=password, first_name=first_name,
                        last_name=last_name)
    return customer, sessions.create_session(session=session, customer_id=customer.id, ticket=ticket)
