"""What every form state shares: an error, errors per field, a success message, and a busy flag."""

from __future__ import annotations

import reflex as rx

from storefront.services.errors import StorefrontError


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

    def _begin(self) -> bool:
        """Start a submission; False while one is already running (no double submit)."""
        if self.submitting:
            return False
        self.error, self.message, self.field_errors, self.submitting = "", "", {}, True
        return True

    def _fail(self, exc: StorefrontError | str, field: str | None = None) -> None:
        """Show a typed error's sentence, next to its field when it names one."""
        message = exc if isinstance(exc, str) else exc.message
        field = field or (None if isinstance(exc, str) else exc.field)
        self.error, self.field_errors, self.submitting = message, ({field: message} if field else {}), False
