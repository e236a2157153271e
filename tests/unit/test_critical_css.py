"""The critical-CSS step after a production build: a build it cannot finish stops the start, saying why.

What it does to a real build (the page painted the same before the full stylesheet) is tested on the built app,
in tests/e2e/test_critical_css.py.
"""

from __future__ import annotations

import shutil

import pytest

from storefront.critical_css import BEASTIES, CriticalCssFailed, CriticalCssPlugin, inline_critical_css, pages

NODE = shutil.which("node")


def built(tmp_path):
    static = tmp_path / "web" / "build" / "client"
    (static / "products").mkdir(parents=True)
    for page in ("index.html", "products/mug.html"):
        (static / page).write_text("<html><head></head><body><p>x</p></body></html>")
    (static / "favicon.svg").write_text("<svg/>")
    return static


def test_every_html_page_of_the_build_is_processed_and_nothing_else(tmp_path):
    assert pages(built(tmp_path)) == ["index.html", "products/mug.html"]


def test_a_build_with_no_pages_needs_no_node(tmp_path):
    assert inline_critical_css(tmp_path, node="/nonexistent/node") == {}


@pytest.mark.skipif(NODE is None, reason="no Node.js")
def test_without_beasties_installed_the_build_fails_loudly_and_leaves_the_pages_as_they_were(tmp_path):
    static = built(tmp_path)
    (tmp_path / "web" / "package.json").write_text("{}")  # a build folder whose npm install never ran
    with pytest.raises(CriticalCssFailed, match="beasties"):
        inline_critical_css(static, node=NODE)
    assert (static / "index.html").read_text() == "<html><head></head><body><p>x</p></body></html>"


def test_the_plugin_asks_reflex_to_install_the_pinned_beasties():
    assert CriticalCssPlugin().get_frontend_development_dependencies() == (BEASTIES,)
