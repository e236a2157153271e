"""Reflex configuration: everything comes from storefront.config.Settings."""

import os

import reflex as rx
from reflex.plugins.sitemap import SitemapPlugin

from storefront.config import get_settings

# Nothing here may reach the network outside the package registries.
os.environ.setdefault("REFLEX_CHECK_LATEST_VERSION", "0")
os.environ.setdefault("REFLEX_USE_NPM", "1")
os.environ.setdefault("REFLEX_TELEMETRY_ENABLED", "False")
# Reflex otherwise probes a mirror outside the package registries to pick the "fastest" one.
os.environ.setdefault("NPM_CONFIG_REGISTRY", "https://registry.npmjs.org")

settings = get_settings()

config = rx.Config(
    app_name="storefront",
    db_url=settings.database_url,
    redis_url=settings.redis_url,
    telemetry_enabled=False,
    show_built_with_reflex=False,
    cors_allowed_origins=settings.cors_origins,
    disable_plugins=[SitemapPlugin],
    # Light only: every colour pair is checked for contrast (axe, in the e2e suite) in the light theme.
    plugins=[rx.plugins.RadixThemesPlugin(theme=rx.theme(appearance="light", accent_color="indigo",
                                                         radius="medium"))],
)
