"""Public identifiers: a prefix and a ULID (48-bit time + 80 random bits, Crockford base32)."""

from __future__ import annotations

import re
import secrets
import time

_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_ULID_RE = "[0-9A-HJKMNP-TV-Z]{26}"


def new_ulid(now_ms: int | None = None) -> str:
    """A 26-character ULID; sorts by time, unguessable thanks to its 80 random bits."""
    ms = int(time.time() * 1000) if now_ms is None else now_ms
    value = (ms << 80) | secrets.randbits(80)
    return "".join(_ALPHABET[(value >> shift) & 31] for shift in range(125, -1, -5))


def new_id(prefix: str) -> str:
    """An ID like `order_01J...`, as Medusa spells them."""
    return f"{prefix}_{new_ulid()}"


def id_pattern(prefix: str) -> re.Pattern[str]:
    """A pattern that matches a well-formed ID with this prefix."""
    return re.compile(rf"^{prefix}_{_ULID_RE}$")


def normalize_id(prefix: str, raw: str) -> str | None:
    """The canonical form of a pasted ID (prefix lower-case, ULID upper-case), or None if malformed."""
    text = raw.strip()
    head, sep, tail = text.partition("_")
    if not sep or head.lower() != prefix:
        return None
    candidate = f"{prefix}_{tail.upper()}"
    return candidate if id_pattern(prefix).match(candidate) else None
