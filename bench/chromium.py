"""Chromium for the load tools and the test suite: Debian's where it is installed, else Playwright's own."""

from __future__ import annotations

from pathlib import Path

DEBIAN_CHROMIUM = Path("/usr/bin/chromium")


def launch(playwright, args: list[str]):
    """A headless Chromium with these command-line `args`, from a sync_playwright() instance."""
    options = {"args": args, "headless": True}
    if DEBIAN_CHROMIUM.exists():
        options["executable_path"] = str(DEBIAN_CHROMIUM)
    return playwright.chromium.launch(**options)
