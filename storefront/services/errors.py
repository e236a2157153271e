"""Typed errors raised by the services. Each carries a sentence a person can act on."""

from __future__ import annotations

import math


class StorefrontError(Exception):
    """Base class: `message` is safe to show to the customer."""

    default_message = "Something went wrong. Please try again."

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
    default_message = "We could not find that."


class EmailTaken(StorefrontError):
    default_message = "An account with this email already exists. Log in instead."


class InvalidCredentials(StorefrontError):
    default_message = "The email or password is wrong. Check them and try again."


class TooManyAttempts(StorefrontError):
    """A rate limit is used up; `retry_after` says in how many seconds the next attempt may go through."""

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
    default_message = (
        "An account already uses this email. Log in to check out with it, or use another email."
    )


class CartNotUsable(StorefrontError):
    default_message = "This cart can no longer be changed. Start a new one from the shop."


class ClaimError(StorefrontError):
    """Base for every reason a claim link cannot be used."""


class ClaimTokenInvalid(ClaimError):
    default_message = "This link is not valid. Copy the whole link from the email, or ask for a new one."


class ClaimTokenExpired(ClaimError):
    default_message = "This link has expired. Ask for a new link from the claim page."


class ClaimTokenUsed(ClaimError):
    default_message = "This link has already been used. Check My orders, or ask for a new link."


class ClaimDeclined(ClaimError):
    default_message = "The owner of the order's email declined this claim, so it cannot be confirmed."


class ClaimCancelled(ClaimError):
    default_message = "This claim was cancelled. Ask for a new link if you still want the order."


class ClaimForbidden(ClaimError):
    default_message = "This link was asked for by another account, so it cannot be confirmed from this one."


class ResetLinkError(StorefrontError):
    """Base for every reason a password-reset link cannot be used."""

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

    default_message = "Your login has expired or is not valid. Log in again."


class OrderNotClaimable(StorefrontError):
    """A transfer asked for an order that is already the asker's, or another account's."""

    default_message = "This order cannot be transferred to your account."
