"""The store API's error vocabulary, once: Medusa's error types, their HTTP status and `code`, and the safe methods.

The edge middleware (which answers before any route) and the routes both build their errors here, so a 403 reads
the same whichever of them refused it. A service error names its own type (StorefrontError.api_type).
"""

from __future__ import annotations

# Medusa's error handler writes {code, type, message}; these are its types and our status codes.
STATUS = {"invalid_data": 400, "unauthorized": 401, "not_allowed": 403, "not_found": 404,
          "method_not_allowed": 405, "payload_too_large": 413, "unsupported_media_type": 415,
          "duplicate_error": 422, "too_many_requests": 429, "unknown_error": 500}
_CODES = {"invalid_data": "invalid_request_error", "duplicate_error": "invalid_request_error",
          "not_allowed": "invalid_state_error", "payload_too_large": "invalid_request_error",
          "unsupported_media_type": "invalid_request_error"}
TYPES = {status: type_ for type_, status in STATUS.items()}
# RFC 9110's safe methods that this app serves: they never change anything, so the cross-site check lets them
# through and a route that takes GET and POST tells them apart by this.
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def error_body(type_: str, message: str) -> tuple[int, dict[str, str]]:
    """The status and the {"code", "type", "message"} body of an error of this type."""
    return STATUS[type_], {"code": _CODES.get(type_, "unknown_error"), "type": type_, "message": message}
