"""Password login with throttling: read and count, verify outside any transaction, then write.

Login attempts from strangers slow down per account *and* per client address (OWASP's advice against lockout),
and one client guessing across many accounts is held back by LOGIN_CLIENT. The two account rules count every
attempt before the password is checked (atomically: a parallel burst gets no extra guesses) and a success
clears them; LOGIN_CLIENT counts failures only, so an office behind one address can still log in all day. A
device the owner logged in from before (services/devices.py) is never counted with strangers: it has a lockout
of its own, so ten wrong passwords from anywhere cannot keep the owner out.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from passlib.context import CryptContext
from sqlmodel import Session

from storefront.models import Customer
from storefront.services import devices, inputs, passwords, ratelimit, sessions
from storefront.services.accounts import Transaction, get_by_email
from storefront.services.errors import InvalidCredentials, TooManyAttempts

logger = logging.getLogger(__name__)

LOGIN_CLIENT_ACCOUNT = ratelimit.Rule("login-client-account", "5/minute;10/15 minutes")
LOGIN_ACCOUNT = ratelimit.Rule("login-account", "10/5 minutes")
LOGIN_CLIENT = ratelimit.Rule("login-client", "20/5 minutes;60/hour")
LOGIN_DEVICE = ratelimit.Rule("login-device", "5/minute;10/15 minutes")
_THROTTLED = "Too many login attempts. Wait {wait} and try again."
_THROTTLED_NEW_DEVICE = ("Too many login attempts for this account from new devices. Wait {wait} and try again, "
                         "or log in from a device you have used before.")


@dataclass(frozen=True)
class LoginAttempt:
    """What a login's first step read, for the verify between its steps: nothing here is sent to anyone."""

    account: str  # the email as the limits and device cookies know it ("-" when it cannot be one)
    customer_id: int | None
    stored_hash: str | None
    device: str | None  # the nonce of the attempt's known-device cookie, None for a stranger


def _throttle(client: str, account: str, device: str | None) -> None:
    """Count one attempt, or refuse it: a known device against its own lockout only, a stranger against the
    account's, the address's, and the pair's."""
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
