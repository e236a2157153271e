"""Products at first paint on a phone: each built page carries the CSS it needs, and the full stylesheet follows.

The stylesheet (61 KB gzipped) blocks paint, and on a phone's link it arrives late: it is fetched beside
~260 KB of JavaScript, and the link is shared (docs/profiles/page-load.md). After Reflex's production build,
Beasties (a maintained critical-CSS inliner, the fork of GoogleChromeLabs' Critters) puts the rules that match
each prerendered page's HTML into a `<style>` in its head, ~14 KB gzipped, and lets the full stylesheet load
without blocking paint. The full sheet still loads at once and is cached: client-side navigation draws pages
the HTML did not show. Where JavaScript is off, a `<noscript>` link loads the full sheet the old way.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import reflex as rx
from reflex.utils import path_ops

BEASTIES = "beasties@0.5.4"
SCRIPT = Path(__file__).with_name("critical_css.cjs")


class CriticalCssFailed(RuntimeError):
    """The critical CSS step failed; the build is left as it was and the start stops."""


def pages(static_dir: Path) -> list[str]:
    """Every HTML page of the build, relative to its folder, in a stable order."""
    return sorted(str(page.relative_to(static_dir)) for page in static_dir.rglob("*.html"))


def inline_critical_css(static_dir: Path, *, web_dir: Path | None = None, node: str | None = None) -> dict[str, int]:
    """Rewrite every page of a production build in place, and say each one's new size in bytes.

    Raises:
        CriticalCssFailed: Node or Beasties is missing, or Beasties failed on a page.
    """
    node = node or str(path_ops.get_node_path() or "node")
    web_dir = web_dir or static_dir.parents[1]  # <web>/build/client
    found = pages(static_dir)
    if not found:
        return {}
    done = subprocess.run([node, str(SCRIPT), str(web_dir), str(static_dir), *found],
                          capture_output=True, text=True, check=False, timeout=300)
    if done.returncode != 0:
        raise CriticalCssFailed(f"inlining the pages' critical CSS failed: {done.stderr.strip()[-2000:]}")
    return json.loads(done.stdout)


class CriticalCssPlugin(rx.plugins.Plugin):
    """Installs Beasties with the frontend and runs it after every production build."""

    def get_frontend_development_dependencies(self, **context: Any) -> tuple[str, ...]:
        return (BEASTIES,)

    def post_build(self, **context: Any) -> None:
        inline_critical_css(Path(context["static_dir"]))
