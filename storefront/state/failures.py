"""The last resort for an event that failed: a human sentence on the page, the right amount in the log.

No `from __future__ import annotations` here: Reflex evaluates the handler's return annotation itself.
"""


import logging

import reflex as rx

logger = logging.getLogger("storefront")


def backend_error(exception: Exception) -> rx.event.EventSpec:
    """Answer an event that failed before or inside its handler.

    Handlers check their own arguments and answer in the page's alert; what reaches here is an event naming
    arguments its handler does not take (a tampered frame: one log line, no traceback) or a bug (logged whole).
    """
    if isinstance(exception, TypeError) and "argument" in str(exception):
        logger.warning("refused an event with the wrong arguments: %s", exception)
    else:
        logger.error("event failed", exc_info=exception)
    return rx.toast.error("That did not work. Reload the page and try again.", id="backend_error")
