"""Chromium for the load tools and the test suite: Debian's headless shell where it is installed, else Debian's
Chromium, else Playwright's own.

The headless shell is the build Playwright itself runs for headless Chromium (the same Blink and V8, without the
browser's windowing and profile services). Measured with bench/shopper_cpu.py, a shopper costs the machine
about half the CPU in it that it costs in the full browser run headless (docs/performance.md), and Chromium is
the largest part of the e2e suite's CPU.
"""

from __future__ import annotations

from pathlib import Path

# Debian's binaries, in the order they are preferred.
DEBIAN = (Path("/usr/bin/chromium-headless-shell"), Path("/usr/bin/chromium"))
# Root in a container has no sandbox to drop into and no GPU; the rest keeps Chromium from fetching updates and
# sync data on its own, which would count against the shop in a measurement.
ARGS = ("--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run")


def installed() -> list[Path]:
    """Debian's binaries that are installed here, preferred first."""
    return [path for path in DEBIAN if path.exists()]


def executable() -> Path | None:
    """The Debian binary to run, or None for Playwright's own download."""
    return next(iter(installed()), None)


def launch(playwright, binary: Path | None = None):
    """A headless Chromium with ARGS, from a sync_playwright() instance: `binary`, else executable()."""
    options = {"args": list(ARGS), "headless": True}
    binary = binary or executable()
    if binary:
        options["executable_path"] = str(binary)
    return playwright.chromium.launch(**options)
