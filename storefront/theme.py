"""The shop's Radix Themes setup: its theme, and only the parts of Radix's stylesheet and code the shop draws with.

Radix Themes' `styles.css` holds every one of its 30 colour scales, in light and dark and in P3, beside the
components and utilities: 88 KB gzipped, all of it render-blocking, on a phone link shared with the JavaScript.
The package ships the same CSS in parts (`tokens/base.css`, one file per colour scale, `components.css`,
`utilities.css`); the shop loads the base tokens, the scales it names, and the components and utilities.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import reflex as rx

ACCENT = "indigo"
# Radix's "auto" gray for an indigo accent is slate: `--gray-*` point at slate's steps.
GRAY = "slate"
# Every colour scale a component or stylesheet of the shop names (color_scheme=, rx.color(), var(--x-n) in
# assets/storefront.css), the accent and its gray. tests/e2e/test_accessibility.py checks their contrast.
COLORS = (ACCENT, GRAY, "gray", "red", "green", "grass", "amber")
PACKAGE = "@radix-ui/themes"


def stylesheet_parts(colors: tuple[str, ...] = COLORS) -> tuple[str, ...]:
    """The parts of Radix Themes' CSS to load, in the order its own styles.css has them.

    The order matters: the scales set `--gray-1` and the like on `:root, .light`, and base.css then points
    them at the theme's own (`--gray-1: var(--slate-1)`) with selectors just as specific.
    """
    return (*(f"{PACKAGE}/tokens/colors/{color}.css" for color in colors), f"{PACKAGE}/tokens/base.css",
            f"{PACKAGE}/components.css", f"{PACKAGE}/utilities.css")


@dataclasses.dataclass
class ShopThemePlugin(rx.plugins.RadixThemesPlugin):
    """Radix Themes with only the stylesheet parts of `stylesheet_parts()`."""

    def get_stylesheet_paths(self, **context: Any) -> tuple[str, ...]:
        return stylesheet_parts() if self.enabled else ()

    def get_frontend_dependencies(self, **context: Any) -> tuple[str, ...]:
        # Reflex puts every plugin's frontend dependency on `window.__reflex` as a whole namespace, for components
        # made at run time (the shop has none): that one import kept every Radix Themes component, its slider,
        # select and theme panel among them, and their primitives in every page's JavaScript (bench/bundle.py).
        # The package is still installed: each Radix component the pages use names it as its library.
        return ()


def plugin() -> ShopThemePlugin:
    # Light only: every colour pair is checked for contrast (axe, in the e2e suite) in the light theme.
    return ShopThemePlugin(theme=rx.theme(appearance="light", accent_color=ACCENT, gray_color=GRAY,
                                          radius="medium"))
