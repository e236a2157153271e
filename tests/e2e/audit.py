"""What every page state must pass: axe-core (no serious or critical violation, no content outside landmarks),
no sideways scrolling, and no console error.

axe-core is the npm package pinned in tests/a11y (installed with `npm ci` the first time), injected into the
page under test with Playwright, as Deque's own Playwright integration does.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from playwright.sync_api import ConsoleMessage, Page

from tests.e2e.npm_install import ensure_installed

A11Y_DIR = Path(__file__).resolve().parent.parent / "a11y"
FAILING_IMPACTS = {"serious", "critical"}
# "moderate" in axe, but content outside every landmark is missed by screen-reader users who move by landmark.
ALWAYS_FAILING = {"region"}
# The widths the suite checks: a common phone and a laptop. Anything from 360 to 430 px must not scroll sideways.
PHONE, DESKTOP = 390, 1280


@cache
def axe_script() -> Path:
    """axe.min.js from tests/a11y/node_modules, installed from the lock file when missing."""
    ensure_installed(A11Y_DIR, "axe-core")
    return A11Y_DIR / "node_modules" / "axe-core" / "axe.min.js"


def axe_violations(page: Page) -> list[dict]:
    """The violations that fail a page: serious or critical ones, and `region`."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(axe_script()))
    results = page.evaluate("""async () => {
        const results = await axe.run(document, {resultTypes: ["violations"]});
        return results.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
            nodes: v.nodes.slice(0, 5).map(n => ({target: n.target.join(" "), summary: n.failureSummary}))}));
    }""")
    return [v for v in results if v["impact"] in FAILING_IMPACTS or v["id"] in ALWAYS_FAILING]


def sideways_overflow(page: Page) -> int:
    """How many CSS pixels the page scrolls sideways (0 when it does not)."""
    return page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")


class ConsoleErrors:
    """Collects console errors and uncaught exceptions of one page."""

    def __init__(self, page: Page) -> None:
        self.errors: list[str] = []
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.errors.append(f"uncaught: {error}"))

    def _console(self, message: ConsoleMessage) -> None:
        if message.type == "error":
            self.errors.append(f"{message.text} ({message.location.get('url', '')})")


def check_page(page: Page, state: str, console: ConsoleErrors | None = None) -> None:
    """Fail with what is wrong with the page as it is now; `state` names it in the message."""
    problems = []
    overflow = sideways_overflow(page)
    if overflow > 0:
        problems.append(f"scrolls {overflow}px sideways at {page.viewport_size['width']}px")
    for violation in axe_violations(page):
        where = "; ".join(f"{n['target']}: {n['summary']}" for n in violation["nodes"])
        problems.append(f"axe {violation['id']} ({violation['impact']}): {violation['help']} at {where}")
    if console and console.errors:
        problems.extend(f"console error: {error}" for error in console.errors)
    assert not problems, f"{state}:\n" + "\n".join(problems)
