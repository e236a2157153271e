"""Chromium for the load tools and the test suite: Debian's headless shell where it is installed, else Debian's
Chromium, else Playwright's own.

The headless shell is the build Playwright itself runs for headless Chromium (the same Blink and V8, without the
browser's windowing and profile services). Measured with bench/shopper_cpu.py, a shopper costs the machine
about a third less CPU in it than in the full browser run headless (docs/performance.md), and the e2e suite
spends most of its CPU in Chromium.
"""

from __future__ import annotations

from pathlib import Path

DEBIAN_HEADLESS_SHELL = Path("/usr/bin/chromium-headless-shell")
DEBIAN_CHROMIUM = Path("/usr/bin/chromium")
# Root in a container has no sandbox to drop into and no GPU; the rest keeps Chromium from fetching updates and
# sync data on its own, which would count against the shop in a measurement.
ARGS = ("--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run")


def executable() -> Path | None:
    """The Debian binary to run, or None for Playwright's own download."""
    return next((path for path in (DEBIAN_HEADLESS_SHELL, DEBIAN_CHROMIUM) if path.exists()), None)


def launch(playwright, binary: Path | None = None):
    """A headless Chromium with ARGS, from a sync_playwright() instance: `binary`, else executable()."""
    options = {"args": list(ARGS), "headless": True}
    binary = binary or executable()
    if binary:
        options["executable_path"] = str(binary)
    return playwright.chromium.launch(**options)
