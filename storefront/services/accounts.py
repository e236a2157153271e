"""Customer accounts: registration (one step, and the store for v2's two-step sign-up), limited per address."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from passlib.context import CryptContext
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from storefront.config import get_settings
from storefront.models import Customer
from storefront.services import inputs, passwords, ratelimit, sessions
from storefront.services.errors import EmailTaken, FieldErrors

logger = logging.getLogger(__name__)
# Runs one step of a flow in a transaction of its own: `transaction(service, **kwargs)` (runner.run_steps).
Transaction = Callable[..., Any]

# Sign-ups per address: each costs an argon2 hash, and 227 in 5 s slowed the whole shop.
def registration_rule() -> ratelimit.Rule:
    """Sign-ups per network address (SIGNUP_LIMIT): the honest 429 past it."""
    return ratelimit.Rule("register-client", get_settings().signup_limit)
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

    The names may be left out, as Medusa v2's API allows (the register page still asks for both).

    Raises:
        InvalidInput: A name is malformed.
        EmailTaken: The email got an account in the meantime.
    """
    problems = FieldErrors()
    first = problems.check("first_name", inputs.person_name, first_name, field="first_name", required=None)
    last = problems.check("last_name", inputs.person_name, last_name, field="last_name", required=None)
    problems.raise_if_any(REGISTER_FIELDS)
    ensure_email_free(session=session, email=email)
    return _insert(session, email=email, first_name=first, last_name=last, password_hash=password_hash)


def ensure_email_free(*, session: Session, email: str) -> None:
    """Raises EmailTaken when the (normalized) email already has an account."""
    if get_by_email(session=session, email=email) is not None:
        raise EmailTaken(field="email")


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


def throttle_registration(client: str) -> None:
    """Count one sign-up from `client`, or refuse it saying how long to wait (both sign-up APIs and the form).

    Raises:
        TooManyAttempts: Too many sign-ups from this address lately.
    """
    ratelimit.hit(registration_rule(), client, message=_REGISTERING)


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
