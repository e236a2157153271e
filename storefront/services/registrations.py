"""Medusa v2's two-step sign-up: register an email and password, then create the customer with the token.

The first step (POST /auth/customer/emailpass/register) applies the same email and password rules as v1's
one-step sign-up and keeps only the password's hash; the second (POST /store/customers with the
registration's bearer token) adds the names and creates the customer. A registration works once and
expires with its token.
"""

from __future__ import annotations

from datetime import datetime

from passlib.context import CryptContext
from sqlalchemy import update
from sqlmodel import Session

from storefront.models import Customer, Registration, utcnow
from storefront.services import accounts, bearer, passwords
from storefront.services.errors import AuthTokenInvalid, InvalidInput
from storefront.services.ids import new_id

_UNUSABLE = ("Send the token from POST /auth/customer/emailpass/register: this one is not a registration token, "
             "has expired, or was used already.")


def begin(
    *, transaction: accounts.Transaction, email: str, password: str, client: str = "", now: datetime | None = None,
    context: CryptContext | None = None,
) -> str:
    """Keep an email and password for a customer still to be created; returns the registration token.

    The email and password are checked and the password hashed outside any transaction; the registration is
    then stored in one.

    Args:
        transaction: Runs one step in a transaction of its own (runner.run_steps passes it).
        email: Any case; stored lower-cased.
        password: Checked against the password rules, stored as an argon2id hash.
        client: The client's address, for the limit on sign-ups per address.
        now: Clock override (tests).
        context: Hashing context override (tests).

    Raises:
        InvalidInput: The email or password is malformed or too weak.
        EmailTaken: The email already has an account.
        TooManyAttempts: Too many sign-ups from this client lately.
    """
    clean_email = accounts.normalize_email(email)
    passwords.check_password_rules(password)
    accounts.throttle_registration(client)
    password_hash = passwords.hash_password(password, context=context)
    return transaction(_keep, email=clean_email, password_hash=password_hash, now=now or utcnow())


def _keep(*, session: Session, email: str, password_hash: str, now: datetime) -> str:
    accounts.ensure_email_free(session=session, email=email)
    row = Registration(id=new_id("reg"), email=email, created_at=now, expires_at=now + bearer.LIFETIME,
                       password_hash=password_hash)
    session.add(row)
    session.flush()
    # actor_id "" is how Medusa v2 marks a token whose customer does not exist yet.
    return bearer.encode({"rid": row.id, "actor_type": "customer", "actor_id": ""},
                         audience=bearer.REGISTRATION_AUDIENCE, now=now)


def complete(
    *, session: Session, token: str, first_name: object, last_name: object, email: object = None,
    now: datetime | None = None,
) -> Customer:
    """Create the customer of a registration.

    Args:
        session: Database session.
        token: The registration token from `begin`.
        first_name: Optional, as in Medusa v2.
        last_name: Optional, as in Medusa v2.
        email: Optional; when given it must be the registered email.
        now: Clock override (tests).

    Raises:
        AuthTokenInvalid: The token is bad or expired, or the registration was used already.
        InvalidInput: A name is malformed, or `email` is not the registered one.
        EmailTaken: The email got an account since it was registered.
    """
    now = now or utcnow()
    try:
        rid = bearer.decode(token, audience=bearer.REGISTRATION_AUDIENCE).get("rid")
    except AuthTokenInvalid:
        raise AuthTokenInvalid(_UNUSABLE) from None
    row = session.get(Registration, rid) if isinstance(rid, str) else None
    if row is None or row.used_at is not None or row.expires_at <= now:
        raise AuthTokenInvalid(_UNUSABLE)
    if email is not None and accounts.normalize_email(email) != row.email:
        raise InvalidInput("Use the email you registered with.", field="email")
    # Marked used first, with one conditional UPDATE: of two requests racing, exactly one goes on. A refusal
    # below rolls the mark back with everything else.
    used = session.exec(
        update(Registration).where(Registration.id == row.id, Registration.used_at.is_(None)).values(used_at=now)
    ).rowcount
    if used != 1:
        raise AuthTokenInvalid(_UNUSABLE)
    return accounts.create_registered(session=session, email=row.email, password_hash=row.password_hash,
                                      first_name=first_name, last_name=last_name)
