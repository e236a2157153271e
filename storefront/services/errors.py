"""Typed errors raised by the services. Each carries a sentence a person can act on."""

from __future__ import annotations

import math
from datetime import datetime


class StorefrontError(Exception):
    """Base class: `message` is safe to show to the customer."""

    default_message = "Something went wrong. Please try again."
    # The store API's error type (and so its HTTP status, api/errors.py): the one place each error's meaning
    # for HTTP is decided. Unusable claim links stay "invalid_data", a 400 where Medusa v1 answers 500.
    api_type = "invalid_data"

    def __init__(self, message: str | None = None, *, field: str | None = None) -> None:
        self.message = message or self.default_message
        self.field = field
        super().__init__(self.message)


class InvalidInput(StorefrontError):
    """Bad input. `errors` maps each field at fault to its sentence, so a form can mark every field at once.

    Raised for one field (`field=`) or for several (`errors=`); with several, `message` joins their sentences
    (what the REST API answers) and `field` is the first of them.
    """

    default_message = "Please check the form and try again."

    def __init__(self, message: str | None = None, *, field: str | None = None,
                 errors: dict[str, str] | None = None) -> None:
        if errors:
            field = field or next(iter(errors))
            message = message or " ".join(errors.values())
        super().__init__(message, field=field)
        self.errors = dict(errors) if errors else ({field: self.message} if field else {})


class FieldErrors:
    """Collects the errors of several checks, then raises them together as one InvalidInput.

    A form with a blank address, city and postal code hears about all three at once, not one per submit.
    """

    def __init__(self) -> None:
        self.errors: dict[str, str] = {}

    def check(self, field: str, check, /, *args, **kwargs):
        """`check(*args, **kwargs)`, or None after noting its InvalidInput (the first sentence per field wins)."""
        try:
            return check(*args, **kwargs)
        except InvalidInput as exc:
            self.add(exc, field)
            return None

    def add(self, exc: InvalidInput, field: str | None = None) -> None:
        for name, sentence in (exc.errors or {field or "form": exc.message}).items():
            self.errors.setdefault(name, sentence)

    def raise_if_any(self, order: tuple[str, ...] = ()) -> None:
        """Raise every noted error, in the form's `order` (others after), or return when there is none."""
        if self.errors:
            ranked = sorted(self.errors, key=lambda name: order.index(name) if name in order else len(order))
            raise InvalidInput(errors={name: self.errors[name] for name in ranked})


class NotFound(StorefrontError):
    api_type = "not_found"
    default_message = "We could not find that."


class EmailTaken(StorefrontError):
    api_type = "duplicate_error"
    default_message = "An account with this email already exists. Log in instead."


class InvalidCredentials(StorefrontError):
    api_type = "unauthorized"
    default_message = "The email or password is wrong. Check them and try again."


class TooManyAttempts(StorefrontError):
    """A rate limit is used up; `retry_after` says in how many seconds the next attempt may go through."""

    api_type = "too_many_requests"
    default_message = "Too many attempts. Wait a moment and try again."

    def __init__(self, message: str | None = None, *, retry_after: int = 60, field: str | None = None) -> None:
        self.retry_after = max(1, int(retry_after))
        super().__init__(message or f"Too many attempts. Wait {self.wait_words()} and try again.", field=field)

    def wait_words(self) -> str:
        """The wait, as a person reads it: "40 seconds", "3 minutes"."""
        if self.retry_after < 90:
            return f"{self.retry_after} seconds"
        return f"{math.ceil(self.retry_after / 60)} minutes"


class GuestEmailHasAccount(StorefrontError):
    api_type = "duplicate_error"
    default_message = (
        "An account already uses this email. Log in to check out with it, or use another email."
    )


class CartNotUsable(StorefrontError):
    default_message = "This cart can no longer be changed. Start a new one from the shop."


def when(moment: datetime) -> str:
    """A time as the messages write it: "4 Dec 2026, 16:40 UTC"."""
    return f"{moment.day} {moment:%b %Y, %H:%M} UTC"


class ClaimError(StorefrontError):
    """Base for every reason a claim link cannot be used. `kind` names the reason for pages and tests."""

    kind = "invalid"


class ClaimTokenInvalid(ClaimError):
    default_message = "This link is not valid. Copy the whole link from the email, or ask for a new one."


class _DatedClaimError(ClaimError):
    """A refusal that says when the claim ended; `template` has one `{at}`."""

    template = "{at}"

    def __init__(self, at: datetime | None = None, *, message: str | None = None) -> None:
        self.at = at
        super().__init__(message or (self.template.format(at=when(at)) if at else None))


class ClaimTokenExpired(_DatedClaimError):
    kind = "expired"
    default_message = "This link has expired. Ask for a new link from the claim page."
    template = "This link expired on {at}. Ask for a new link from the claim page."


class ClaimTokenUsed(_DatedClaimError):
    kind = "used"
    default_message = "This link has already been used. Check My orders, or ask for a new link."
    template = "This link was already used, on {at}: the orders joined the account that asked. Check My orders."


class ClaimDeclined(_DatedClaimError):
    kind = "declined"
    default_message = "The owner of the order's email declined this claim, so it cannot be confirmed."
    template = "The owner of the order's email declined this claim on {at}, so it cannot be confirmed."


class ClaimCancelled(_DatedClaimError):
    kind = "cancelled"
    default_message = "This claim was cancelled. Ask for a new link if you still want the order."
    template = "This claim was cancelled on {at}. Ask for a new link if you still want the order."


class ClaimSuperseded(ClaimError):
    """A newer link replaced this one (Send again, or the same claim asked for again)."""

    kind = "superseded"
    default_message = "A newer link was sent for this claim; use that one."

    def __init__(self, sent_at: datetime | None = None, to: str | None = None) -> None:
        super().__init__(f"A newer link was sent on {when(sent_at)} to {to}; use that one."
                         if sent_at and to else None)


class ClaimAlreadyYours(ClaimError):
    kind = "in_account"
    default_message = "This order is already in your account, so there is nothing left to confirm."


class ClaimJoinedElsewhere(ClaimError):
    kind = "other_account"
    default_message = "This order has joined another account, so this link can no longer be used."


class ClaimForbidden(ClaimError):
    kind = "forbidden"
    api_type = "not_allowed"
    default_message = "This link was asked for by another account, so it cannot be confirmed from this one."


class ResetLinkError(StorefrontError):
    """Base for every reason a password-reset link cannot be used."""

    api_type = "unauthorized"

    default_message = "This reset link cannot be used. Ask for a new one."


class ResetLinkInvalid(ResetLinkError):
    default_message = "This reset link is not valid. Copy the whole link from the email, or ask for a new one."


class ResetLinkExpired(ResetLinkError):
    default_message = "This reset link has expired. Ask for a new one."


class ResetLinkUsed(ResetLinkError):
    default_message = "This reset link has already been used. Ask for a new one if you still need it."


class ResetLinkReplaced(ResetLinkError):
    default_message = "A newer reset link has been sent since this one: use the link in the newest email."


class AuthTokenInvalid(StorefrontError):
    """A bearer token (Medusa v2's JWT) that is malformed, tampered with, expired, or names an ended login."""

    api_type = "unauthorized"

    default_message = "Your login has expired or is not valid. Log in again."


class OrderNotClaimable(StorefrontError):
    """A transfer asked for an order that is already the asker's, or another account's."""

    default_message = "This order cannot be transferred to your account."
