"""Reflex configuration: everything comes from storefront.config.Settings."""

import os

import reflex as rx
from reflex import constants
from reflex.plugins.sitemap import SitemapPlugin

from storefront import theme
from storefront.config import get_settings
from storefront.critical_css import CriticalCssPlugin

# Nothing here may reach the network outside the package registries.
os.environ.setdefault("REFLEX_CHECK_LATEST_VERSION", "0")
os.environ.setdefault("REFLEX_USE_NPM", "1")
os.environ.setdefault("REFLEX_TELEMETRY_ENABLED", "False")
# Reflex otherwise probes a mirror outside the package registries to pick the "fastest" one.
os.environ.setdefault("NPM_CONFIG_REGISTRY", "https://registry.npmjs.org")

settings = get_settings()

# Page state (what a tab shows; sessions are server-side cookies and the cart ID is in LocalStorage) lives in
# Redis with several workers, else in this one worker's memory. Reflex's default, a file per visitor in
# .states, is scanned whole about every 2 s with the GIL held: 20k past visitors stall every request.
# Memory is lost on restart, which costs a tab nothing but a reload's worth of on_load.
STATE_MANAGER = constants.StateManagerMode.REDIS if settings.redis_url else constants.StateManagerMode.MEMORY

config = rx.Config(
    app_name="storefront",
    state_manager_mode=STATE_MANAGER,
    db_url=settings.database_url,
    redis_url=settings.redis_url,
    telemetry_enabled=False,
    show_built_with_reflex=False,
    cors_allowed_origins=settings.cors_origins,
    disable_plugins=[SitemapPlugin],
    # Radix Themes with only the stylesheet parts the shop uses; each built page with its critical CSS inline.
    plugins=[theme.plugin(), CriticalCssPlugin()],
)
