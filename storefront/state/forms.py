"""What every form state shares: an error, errors per field, a success message, and a busy flag."""

from __future__ import annotations

import reflex as rx

from storefront.services.errors import StorefrontError
from storefront.services.inputs import is_clean_unicode

UNREADABLE = "That request could not be read. Reload the page and try again."


def text_arg(value: object, max_length: int = 200) -> str | None:
    """An event argument that must be short text, or None when it was tampered with.

    Events arrive over the websocket as JSON anyone can write: a handler checks its arguments before use.
    """
    if isinstance(value, str) and len(value) <= max_length and is_clean_unicode(value):
        return value
    return None


def field_text(form: dict[str, object], name: str) -> str:
    """One form field as text ("" when missing or not text: the services then ask for it)."""
    value = form.get(name, "")
    return value if isinstance(value, str) else ""


def form_values(form: object) -> dict[str, object] | None:
    """A submitted form's fields, or None when the event did not carry a form (a tampered event)."""
    return form if isinstance(form, dict) and all(isinstance(k, str) for k in form) else None


class FormMixin(rx.State, mixin=True):
    """Mixed into each form's state (a mixin, so every form keeps its own copy of these vars)."""

    error: str = ""
    message: str = ""
    field_errors: dict[str, str] = {}
    submitting: bool = False

    @rx.event
    def reset_form(self):
        """on_load: the state outlives the page, so a revisit starts clean."""
        self.error, self.message, self.field_errors, self.submitting = "", "", {}, False

    def _begin(self, form: object = None) -> bool:
        """Start a submission; False while one is already running (no double submit) or the form is unreadable."""
        if self.submitting:
            return False
        self.error, self.message, self.field_errors, self.submitting = "", "", {}, True
        if form is not None and form_values(form) is None:
            self._fail(UNREADABLE)
            return False
        return True

    def _fail(self, exc: StorefrontError | str, field: str | None = None) -> None:
        """Show a typed error's sentence, next to its field when it names one."""
        message = exc if isinstance(exc, str) else exc.message
        field = field or (None if isinstance(exc, str) else exc.field)
        self.error, self.field_errors, self.submitting = message, ({field: message} if field else {}), False
