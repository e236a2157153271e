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
    """Mixed into each form's state (a mixin, so every form keeps its own copy of these vars).

    `error` is the form's own alert (a sentence about no one field); `field_errors` go under their fields;
    `summary` lists the fields at fault, for the one alert shown when there are several.
    """

    error: str = ""
    message: str = ""
    field_errors: dict[str, str] = {}
    summary: list[dict[str, str]] = []
    submitting: bool = False

    @rx.var
    def one_field_error(self) -> bool:
        """Exactly one field is at fault: its own error is the alert, no summary repeats it."""
        return len(self.field_errors) == 1

    @rx.event
    def reset_form(self):
        """on_load: the state outlives the page, so a revisit starts clean."""
        self.error, self.message, self.field_errors, self.summary, self.submitting = "", "", {}, [], False

    def _begin(self, form: object = None) -> bool:
        """Start a submission; False while one is already running (no double submit) or the form is unreadable."""
        if self.submitting:
            return False
        self.error, self.message, self.field_errors, self.summary, self.submitting = "", "", {}, [], True
        if form is not None and form_values(form) is None:
            self._fail(UNREADABLE)
            return False
        return True

    def _fail(self, exc: StorefrontError | str, *, labels: dict[str, str] | None = None,
              rename: dict[str, str] | None = None) -> None:
        """Show an error: each field's sentence under its field, anything else in the form's alert.

        `labels` names the fields the form shows (for the summary); an error about any other field goes to
        the alert. `rename` maps a service's field names onto the form's (the checkout's one Full name
        holds the address's first and last name).
        """
        message = exc if isinstance(exc, str) else exc.message
        errors = {} if isinstance(exc, str) else dict(getattr(exc, "errors", {}) or {})
        if not errors and not isinstance(exc, str) and exc.field:
            errors = {exc.field: message}
        shown: dict[str, str] = {}
        for name, sentence in errors.items():
            name = (rename or {}).get(name, name)
            if name in (labels or {}):
                shown.setdefault(name, sentence)
        self.field_errors, self.error, self.submitting = shown, "" if shown else message, False
        self.summary = [{"label": (labels or {})[name], "href": f"#field-{name}"} for name in shown] \
            if len(shown) > 1 else []
