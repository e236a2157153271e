"""No secret in any log line, from the app or from a library: every record is scrubbed as it is made.

Reflex's event processor logs a whole `Event` when it cannot dispatch one: the request headers with the session
cookie, the tab's client token, the page's query (a claim or reset link's token) and the payload (a login
form's password). Scrubbing at the logging layer, rather than at each call site, also covers the call sites no
one has read yet. `install` wraps the record factory, so every record of every logger, whatever its handlers,
is made already scrubbed: its message formatted and cleaned, its traceback rendered and cleaned.
"""

from __future__ import annotations

import logging
import re
import traceback

REDACTED = "[redacted]"
# Names whose values are secrets wherever they appear: a header or a cookie, a dict key, a query parameter.
_SECRET_NAMES = (r"sf_session|sf_device|cookie|set-cookie|authorization|password|new_password|token|"
                 r"client_token|ticket|secret|api[_-]?key|x-publishable-api-key")
# 'name': 'value' and "name": "value" (reprs and JSON, also escaped once more inside an exception's repr), the
# value running to its closing quote.
_QUOTED = re.compile(rf"""(?i)(\\*['"])?\b({_SECRET_NAMES})(\\*['"])?(\s*[:=]\s*)(\\*['"])(.*?)(?<!\\)\5""")
# name=value in a query string, a Cookie header or a plain message.
_BARE = re.compile(rf"""(?i)\b({_SECRET_NAMES})(\s*[:=]\s*)(?!\[redacted\])([^\s'"&;,)}}\]]+)""")
_COOKIE_LINE = re.compile(r"(?i)\b((?:set-)?cookie)(\s*:\s*)(?!\[redacted\])[^\r\n'\"]+")  # a raw header line
_BEARER = re.compile(r"(?i)\bbearer\s+[\w.~+/=-]+")
_JWT = re.compile(r"\beyJ[\w-]{4,}\.[\w-]{4,}\.[\w-]*")  # a JWT wherever it is, named or not
_UUID = re.compile(r"\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b", re.IGNORECASE)  # client tokens
_QUIET = ("Attempting to send delta to disconnected client",)  # Reflex, once per update to a closed tab


def redact(text: str) -> str:
    """`text` with every secret it names replaced by "[redacted]"."""
    text = _QUOTED.sub(lambda m: f"{m[1] or ''}{m[2]}{m[3] or ''}{m[4]}{m[5]}{REDACTED}{m[5]}", text)
    text = _COOKIE_LINE.sub(lambda m: f"{m[1]}{m[2]}{REDACTED}", text)
    text = _BARE.sub(lambda m: f"{m[1]}{m[2]}{REDACTED}", text)
    text = _BEARER.sub(f"Bearer {REDACTED}", text)
    text = _JWT.sub(REDACTED, text)
    return _UUID.sub(REDACTED, text)


def _scrub(record: logging.LogRecord) -> logging.LogRecord:
    try:
        message = record.getMessage()
    except Exception:  # a broken format string: log what there is rather than lose the record
        message = f"{record.msg!r} {record.args!r}"
    record.msg, record.args = redact(message), ()
    if record.exc_info and record.exc_info[0] is not None:
        record.exc_text = redact("".join(traceback.format_exception(*record.exc_info)).rstrip("\n"))
        record.exc_info = None  # handlers print exc_text; the exception object's own text is never formatted
    if record.stack_info:
        record.stack_info = redact(record.stack_info)
    return record


class _QuietDisconnectedDeltas(logging.Filter):
    """Drop Reflex's warning for every update a closed tab would have received (about 100 lines in one demo)."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not (isinstance(record.msg, str) and record.msg.startswith(_QUIET))


def install() -> None:
    """Scrub every log record from now on, in this process (idempotent)."""
    current = logging.getLogRecordFactory()
    if getattr(current, "storefront_scrubs", False):
        return

    def factory(*args, **kwargs) -> logging.LogRecord:
        return _scrub(current(*args, **kwargs))

    factory.storefront_scrubs = True  # type: ignore[attr-defined]
    logging.setLogRecordFactory(factory)
    reflex_app = logging.getLogger("reflex.app")
    if not any(isinstance(f, _QuietDisconnectedDeltas) for f in reflex_app.filters):
        reflex_app.addFilter(_QuietDisconnectedDeltas())
