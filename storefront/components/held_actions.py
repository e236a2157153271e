"""What a person does on a page before it works is held, then done once it does: never lost, never sent raw.

A page paints from its HTML well before its JavaScript works (on a phone, ~2.5 s before: docs/performance.md).
In that time:
- a form submitted would be sent by the browser itself: a GET of the page with every field, a password among
  them, in the URL (history, server logs, the Referer of the next request);
- a size chosen (Radix's radios are buttons that only React makes work) or the menu opened would do nothing,
  and Add to cart, once enabled, would add the size the page started with.

And once React works, a form sent before the page's own load has run (its on_load handlers: the session, the
cart, the form's reset) can still lose its answer. Reflex's server runs a browser's events in the order they
reach its queue, and queues the load's events only as the hydrate finishes: a form sent the moment the socket
opens can be answered first ("The email or password is wrong"), and the load's reset then wipes the answer.

This script, inline in every page's HTML and run before any of it, refuses every native submission (once the
page works, Reflex's own handlers refuse them too and send the form over the websocket). A submission made
before the page's load has run, and a radio chosen or a menu toggled that React cannot handle yet, is queued,
and done again in order once React has taken that element over and the load has run (<main data-loaded>,
components/layout.py), with the fields as the person left them.
"""

from __future__ import annotations

import reflex as rx

# React marks each DOM node it has hydrated with a `__reactProps$<random>` key: the one sign of it a script can
# read. Without it, an event reaches no handler and is lost. A held action waits for that mark, for
# `window.__reflex`, which Reflex's root sets in an effect (React runs effects once the hydration is committed,
# and an event sent between the two was still seen lost), and for the page's load.
SCRIPT = """(() => {
  const queue = [];
  const queuedForms = new WeakSet();
  const HELD_CLICKS = "[role=radio], button[aria-expanded]";
  const hydrated = (node) => Object.keys(node).some((key) => key.startsWith("__reactProps"));
  const loaded = () => document.querySelector("main[data-loaded=true]") !== null;
  let waiting = null;
  const hold = (node, again) => {
    queue.push({ node, again });
    if (waiting) return;
    const started = Date.now();
    waiting = setInterval(() => {
      while (queue.length && hydrated(queue[0].node) && window.__reflex && loaded()) {
        const { node: next, again: redo } = queue.shift();
        if (!next.isConnected) continue;
        try {
          redo();
        } catch (gone) {
          // The element changed meanwhile: left as it is, for the person to do again.
        }
      }
      if (!queue.length || Date.now() - started > 30000) {
        clearInterval(waiting);
        waiting = null;
        queue.length = 0;
      }
    }, 50);
  };
  // Once React listens (hydration has begun), it hydrates the part of the page an event lands on there and
  // then, and handles the event itself: only an event that leaves its element unhydrated was lost, and is held.
  // (Done twice, a menu's toggle would close it again.)
  const unhandled = (node, then) => setTimeout(() => hydrated(node) || then(), 0);
  window.addEventListener("submit", (event) => {
    event.preventDefault();
    const form = event.target;
    const submitter = event.submitter;
    const later = () => {
      if (queuedForms.has(form)) return;
      queuedForms.add(form);
      hold(form, () => {
        queuedForms.delete(form);
        form.requestSubmit(submitter && submitter.form === form ? submitter : undefined);
      });
    };
    if (loaded()) {
      unhandled(form, later);
    } else {
      // Before the load has run, React never sees it (this listener is the first on the way down): sent later.
      event.stopImmediatePropagation();
      later();
    }
  }, true);
  window.addEventListener("click", (event) => {
    const control = event.target.closest && event.target.closest(HELD_CLICKS);
    if (control) unhandled(control, () => hold(control, () => control.click()));
  }, true);
})();"""


def script() -> rx.Component:
    """The guard, as an inline <script> for the head of every page."""
    return rx.el.script(SCRIPT)
