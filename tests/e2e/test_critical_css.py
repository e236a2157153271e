"""A page paints without waiting for the full stylesheet, and looks the same as once it has arrived.

Each built page carries the CSS its own HTML needs (storefront/critical_css.py); the full stylesheet loads beside
it without blocking paint. If that inlined CSS missed a rule, a phone would show the page one way at first
paint and shift it when the stylesheet lands: here the same page, as the server sent it (its scripts refused, as
at first paint on a phone: they arrive later), is laid out with the stylesheet and with its request refused, and
every box and colour a shopper sees must match.
"""

from __future__ import annotations

import re
import urllib.request

import pytest
from playwright.sync_api import expect

from storefront import routes

STYLESHEET = re.compile(r"/assets/__reflex_global_styles-[^/]*\.css$")
SCRIPTS = re.compile(r"/assets/[^/]*\.js$")
# The shop's two first-paint pages at both widths, and a page of each other kind (forms, a cart, a list) at one.
PAGES = [(routes.HOME, 390), (routes.HOME, 1280), (routes.product_path("classic-tee"), 390),
         (routes.product_path("classic-tee"), 1280), (routes.LOGIN, 390), (routes.REGISTER, 1280),
         (routes.CART, 390), (routes.CHECKOUT, 1280), (routes.OUTBOX, 390)]

# Every element of the page's main content and header: its box, and the styles that make it look as it does.
LAYOUT = """
() => [...document.querySelectorAll('header *, main *')].filter((e) => e.getClientRects().length).map((e) => {
  const box = e.getBoundingClientRect(), style = getComputedStyle(e);
  return [e.tagName, e.textContent.slice(0, 30), Math.round(box.x), Math.round(box.y), Math.round(box.width),
          Math.round(box.height), style.color, style.backgroundColor, style.fontSize, style.fontWeight,
          style.borderRadius, style.display].join(' | ');
})
"""


def layout(browser, url: str, width: int, *, refuse_stylesheet: bool) -> list[str]:
    context = browser.new_context(viewport={"width": width, "height": 900})
    try:
        page = context.new_page()
        refused = []
        page.route(SCRIPTS, lambda route: route.abort())
        if refuse_stylesheet:
            page.route(STYLESHEET, lambda route: (refused.append(route.request.url), route.abort()))
        page.goto(url)
        page.wait_for_load_state("networkidle")
        if refuse_stylesheet:
            assert refused, "the stylesheet was never requested"
        else:
            assert page.evaluate("[...document.styleSheets].some((s) => s.href && s.href.includes("
                                 "'__reflex_global_styles') && s.media.mediaText === 'all')"), "full sheet off"
        return page.evaluate(LAYOUT)
    finally:
        context.close()


@pytest.mark.parametrize(("path", "width"), PAGES)
def test_a_page_looks_the_same_before_and_after_the_full_stylesheet(browser, app_server, path, width):
    url = app_server.url(path)
    whole = layout(browser, url, width, refuse_stylesheet=False)
    first_paint = layout(browser, url, width, refuse_stylesheet=True)
    assert len(whole) > 10
    assert first_paint == whole


def test_the_stylesheet_never_blocks_paint_and_still_loads_without_javascript(browser, app_server):
    with urllib.request.urlopen(app_server.url(routes.HOME), timeout=10) as answer:
        head = answer.read().decode().split("</head>")[0]
    assert re.search(r"<noscript><link[^>]*__reflex_global_styles[^>]*></noscript>", head)
    links = re.findall(r"<link[^>]*rel=\"stylesheet\"[^>]*>", re.sub(r"<noscript>.*?</noscript>", "", head))
    assert len(links) == 1 and 'media="print"' in links[0] and "onload=" in links[0], links
    assert re.search(r"<style>[^<]*\.rt-Button", head)  # the catalog's Add to cart buttons' own rules

    context = browser.new_context(java_script_enabled=False, viewport={"width": 390, "height": 900})
    try:
        page = context.new_page()
        page.goto(app_server.url(routes.HOME))
        sheets = page.evaluate("[...document.styleSheets].filter((s) => s.href).map((s) => s.media.mediaText)")
        assert "" in sheets or "all" in sheets, sheets  # the <noscript> link: the whole sheet, as before
        expect(page.get_by_role("heading", name="Classic T-Shirt")).to_be_visible()
    finally:
        context.close()


# What a shopper looks at first: the page's frame and heading, and the first product (its card, picture and name).
STILL = """
() => ['header', 'main', 'main h1', '[data-testid=product-card]', 'main img', 'main h2']
  .map((selector) => document.querySelector(selector)).filter(Boolean).map((e) => {
    const box = e.getBoundingClientRect();
    return [e.tagName, Math.round(box.x), Math.round(box.y), Math.round(box.width), Math.round(box.height)].join(' ');
  })
"""


@pytest.mark.parametrize("width", [390, 1280])
@pytest.mark.parametrize("path", [routes.HOME, routes.product_path("classic-tee")])
def test_the_products_do_not_move_when_the_page_starts_working(browser, app_server, path, width):
    """The first paint (the HTML, its scripts not yet run) is laid out as the working page is: nothing jumps."""
    boxes = {}
    for working in (False, True):
        context = browser.new_context(viewport={"width": width, "height": 900})
        try:
            page = context.new_page()
            if not working:
                page.route(SCRIPTS, lambda route: route.abort())
            page.goto(app_server.url(path))
            if working:
                expect(page.get_by_role("button", name="Add to cart").first).to_be_enabled()
            page.wait_for_load_state("networkidle")
            boxes[working] = page.evaluate(STILL)
        finally:
            context.close()
    assert len(boxes[True]) >= 4 and boxes[False] == boxes[True]
