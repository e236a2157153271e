"""A form sent before its page works is held, then sent once it does: never sent by the browser itself.

A page paints from its HTML well before its JavaScript works (on a phone, ~2.5 s before: docs/performance.md).
A form submitted in that time would be sent by the browser: a GET of the page with every field, a password among
them, in the URL (history, server logs, the Referer of the next request). This script, inline in every page's
HTML and run before any of it, refuses every native submission (once the page works, Reflex's own handlers
refuse them too and send the form over the websocket). A submission React cannot handle yet is kept, one per
form, and made again once React has taken the form over, with the fields as the person left them.
"""

from __future__ import annotations

import reflex as rx

# React marks each DOM node it has hydrated with a `__reactProps$<random>` key: the one sign of it a script can
# read. Without it, a submit event reaches no handler and is lost.
SCRIPT = """(() => {
  const held = new WeakSet();
  const hydrated = (node) => Object.keys(node).some((key) => key.startsWith("__reactProps"));
  window.addEventListener("submit", (event) => {
    event.preventDefault();
    const form = event.target;
    const submitter = event.submitter;
    if (hydrated(form) || held.has(form)) return;
    held.add(form);
    const started = Date.now();
    const wait = setInterval(() => {
      if (!form.isConnected || Date.now() - started > 30000) return clearInterval(wait);
      if (!hydrated(form)) return;
      clearInterval(wait);
      held.delete(form);
      try {
        form.requestSubmit(submitter && submitter.form === form ? submitter : undefined);
      } catch (gone) {
        // The button went away meanwhile: the form stays as it was, to be sent again.
      }
    }, 50);
  }, true);
})();"""


def script() -> rx.Component:
    """The guard, as an inline <script> for the head of every page."""
    return rx.el.script(SCRIPT)
