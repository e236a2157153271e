"""The one set of input rules both faces use: text cleaning, length limits, email addresses, paging.

Every value a person or a client sends passes through here before it is stored, mailed or queried, so the
UI and the REST API cannot disagree about what is acceptable, and no odd input reaches the database as an
error of its own (a NUL byte fails on PostgreSQL, a lone surrogate fails to encode anywhere).
"""

from __future__ import annotations

import re
import unicodedata

from email_validator import EmailNotValidError, validate_email

from storefront.services.errors import InvalidInput
from storefront.services.ids import normalize_id

# Longest values stored; the columns are at least this wide.
MAX_NAME = 100
MAX_ADDRESS_FIELD = 200
MAX_EMAIL = 254  # RFC 5321's path limit
MAX_ID = 40
MAX_CLAIM_TEXT = 2000  # 20 IDs with generous separators
MAX_CLAIM_IDS = 20  # orders in one claim request
MAX_TOKEN = 500
MAX_DESCRIPTION = 500  # Medusa v2's note on an order transfer request
MAX_PAGE_LIMIT = 100
MAX_OFFSET = 1_000_000

_WHITESPACE_RUN = re.compile(r"\s+")
_ID_SEPARATORS = re.compile(r"[\s,;]+")
# What mail clients and chat apps turn into links: a scheme ("https:", "mailto:x", "javascript:alert(1)"), or a
# dot (ASCII, full-width or ideographic) between a letter or digit and two or more letters ("evil-shop.com/verify",
# "evil.example", "x@evil.com", "www.x"). "J.R.R. Tolkien" and "St. John" pass; "Mr.Smith" is refused.
_LINK_LIKE = re.compile(r"[a-z][a-z0-9+.\-]*:[^\s]|[^\W_][.\uff0e\u3002\uff61][^\W\d_]{2,}|www[.\uff0e\u3002\uff61]",
                        re.IGNORECASE)
_DIGITS = re.compile(r"[0-9]{1,7}")  # ASCII only: "²" and "١" are digits to str.isdigit, not to us


def is_clean_unicode(value: str) -> bool:
    """False when `value` holds a lone surrogate or a NUL: text no database or mail can carry."""
    return "\x00" not in value and not any("\ud800" <= ch <= "\udfff" for ch in value)


def one_line(value: object, *, field: str, max_length: int, required: str | None = None) -> str:
    """A single-line text field: control characters and line breaks become spaces, runs of space collapse.

    Collapsing CR/LF here keeps user text from forging lines in the emails it later appears in.

    Args:
        value: What was sent; anything but a string is refused.
        field: The field's name, for the error.
        max_length: Longest accepted value after cleaning.
        required: The sentence to show when the value is blank (None: blank is fine).

    Returns:
        The cleaned text.

    Raises:
        InvalidInput: Not text, not valid Unicode, blank when required, or too long.
    """
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise InvalidInput("This field must be text.", field=field)
    if any("\ud800" <= ch <= "\udfff" for ch in value):
        raise InvalidInput("This field has characters we cannot read. Retype it and try again.", field=field)
    if len(value) > max_length * 4:  # far too long: refuse before doing any work on it
        raise InvalidInput(f"This is too long: at most {max_length} characters.", field=field)
    spaced = "".join(" " if unicodedata.category(ch) in {"Cc", "Cf", "Zl", "Zp"} else ch for ch in value)
    clean = _WHITESPACE_RUN.sub(" ", spaced).strip()
    if not clean and required:
        raise InvalidInput(required, field=field)
    if len(clean) > max_length:
        raise InvalidInput(f"This is too long: at most {max_length} characters.", field=field)
    return clean


def person_name(value: object, *, field: str, required: str | None) -> str:
    """A first or last name: one line, at most MAX_NAME characters, and nothing a mail client would make a link.

    A name is shown to other people (the claim email names who asked): a link there would be a phishing tool,
    and mail clients link bare domains ("visit evil-shop.com/verify") as readily as full addresses.
    """
    clean = one_line(value, field=field, max_length=MAX_NAME, required=required)
    if _LINK_LIKE.search(clean):
        raise InvalidInput("A name cannot contain a web address, an email address or a link.", field=field)
    return clean


def email_address(value: object, *, field: str = "email") -> str:
    """A deliverable-looking email address, lower-cased, checked by `email-validator` (pydantic's validator).

    Display names, angle brackets, commas and anything else a mail server could read as a second
    recipient are refused. Domains are not looked up (no network needed, no slow DNS in a request).

    Raises:
        InvalidInput: Blank or not an email address.
    """
    text = value.strip() if isinstance(value, str) else ""
    if not text:
        raise InvalidInput("Enter your email address.", field=field)
    if len(text) > MAX_EMAIL or not is_clean_unicode(text):
        raise InvalidInput("Enter a valid email address, like name@example.com.", field=field)
    try:
        checked = validate_email(text, check_deliverability=False)
    except EmailNotValidError as exc:
        raise InvalidInput("Enter a valid email address, like name@example.com.", field=field) from exc
    return checked.normalized.lower()


def lookup_email(value: object) -> str | None:
    """An email as typed at login, trimmed and lower-cased, or None when it cannot belong to any account."""
    if not isinstance(value, str):
        return None
    text = value.strip().lower()
    if not text or len(text) > MAX_EMAIL or not is_clean_unicode(text):
        return None
    return text


def whole_number(raw: str | None, *, name: str, default: int, low: int, high: int) -> int:
    """A query-string number such as `limit` or `offset`: ASCII digits only, within [low, high].

    Raises:
        InvalidInput: Not plain digits, or out of range (the message gives the range).
    """
    if raw is None:
        return default
    if not _DIGITS.fullmatch(raw) or not low <= int(raw) <= high:
        raise InvalidInput(f"{name} must be a whole number from {low} to {high}.", field=name)
    return int(raw)


def order_ids(raw: object) -> list[str]:
    """Distinct, canonical order IDs from a form's text (spaces, commas or new lines between them) or an API list.

    Raises:
        InvalidInput: None given, more than MAX_CLAIM_IDS, or one is not an order ID (named in the message).
    """
    too_many = InvalidInput(f"Claim at most {MAX_CLAIM_IDS} orders at a time.", field="order_ids")
    if isinstance(raw, str):
        if len(raw) > MAX_CLAIM_TEXT:
            raise too_many
        items: list[object] = [part for part in _ID_SEPARATORS.split(raw) if part]
    elif isinstance(raw, list):
        items = raw
    else:
        raise InvalidInput("order_ids must be a list of order IDs.", field="order_ids")
    if not items:
        raise InvalidInput("Enter at least one order ID, like order_01J...", field="order_ids")
    if len(items) > MAX_CLAIM_IDS * 5:  # repeats are merged below, but not without bound
        raise too_many
    ids: list[str] = []
    for item in items:
        usable = isinstance(item, str) and len(item) <= MAX_ID and is_clean_unicode(item)
        clean = normalize_id("order", item) if usable else None
        if clean is None:
            # Echo what was typed only when it is short, printable text; anything else is described.
            shown = f"“{item}”" if usable and item.isprintable() else "One of the values"
            raise InvalidInput(
                f"{shown} is not an order ID. Order IDs look like order_01J... (see your confirmation email).",
                field="order_ids",
            )
        if clean not in ids:
            ids.append(clean)
    if len(ids) > MAX_CLAIM_IDS:
        raise too_many
    return ids
