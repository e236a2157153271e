"""Browser contexts handed from one e2e test to the next, wiped in between: each shopper still gets a new tab, no
cookie, no stored data and no permission of an earlier test, only a warm HTTP cache.

Why: on 2 cores, more than half of `make test`'s CPU is Chromium. A shopper who loads 3 pages costs the machine
3.2-3.9 s of CPU in a new context and 2.2-2.3 s in a pooled one (`python -m bench.shopper_cpu`, whole-machine CPU
from /proc/stat). The saving needs the context to keep one page open between tests (an about:blank "keeper"
page): a context whose last page has closed costs as much as a new one.

A test about a cold first load, or one that changes a context's settings, makes its own context with
`browser.new_context` instead.
"""

from __future__ import annotations

import contextlib
import weakref
from urllib.parse import urlsplit

from playwright.sync_api import Browser, BrowserContext, Error, Frame, Page

_pools: weakref.WeakKeyDictionary[Browser, ContextPool] = weakref.WeakKeyDictionary()
# Everything an origin can store (local storage, IndexedDB, Cache Storage, service workers, file systems...).
STORED = "all"


class PooledContext:
    """A context of one window width, its keeper page, and the origins its tabs have opened since its last wipe."""

    def __init__(self, context: BrowserContext, width: int) -> None:
        self.context, self.width, self.keeper = context, width, context.new_page()
        self.origins: set[str] = set()
        context.on("page", self._watch)

    def _watch(self, page: Page) -> None:
        page.on("framenavigated", self._visited)
        for frame in page.frames:  # a popup may have navigated before it was handed over
            self._visited(frame)

    def _visited(self, frame: Frame) -> None:
        parts = urlsplit(frame.url)
        if parts.scheme in ("http", "https"):
            self.origins.add(f"{parts.scheme}://{parts.netloc}")

    def new_page(self) -> Page:
        return self.context.new_page()

    def wipe(self) -> None:
        """Close the test's tabs and clear what they left: cookies, permissions, routes, stored data."""
        if self.keeper.is_closed():
            raise Error("its keeper page was closed")
        for page in self.context.pages:
            if page is not self.keeper:
                for frame in page.frames:
                    self._visited(frame)
                page.close()
        self.context.clear_cookies()
        self.context.clear_permissions()
        self.context.unroute_all(behavior="ignoreErrors")
        if self.origins:
            session = self.context.new_cdp_session(self.keeper)
            for origin in self.origins:
                session.send("Storage.clearDataForOrigin", {"origin": origin, "storageTypes": STORED})
            session.detach()
            self.origins.clear()


class ContextPool:
    """Idle, wiped contexts of one browser, by window width (a phone's context is also `is_mobile`)."""

    def __init__(self, browser: Browser) -> None:
        self.browser = browser
        self.idle: dict[int, list[PooledContext]] = {}

    @classmethod
    def of(cls, browser: Browser) -> ContextPool:
        if browser not in _pools:
            _pools[browser] = cls(browser)
        return _pools[browser]

    def take(self, width: int) -> PooledContext:
        """An idle context `width` CSS pixels wide, or a new one."""
        idle = self.idle.setdefault(width, [])
        if idle:
            return idle.pop()
        return PooledContext(self.browser.new_context(viewport={"width": width, "height": 900},
                                                      is_mobile=width < 768, has_touch=width < 768), width)

    def give_back(self, pooled: PooledContext) -> None:
        """Wipe the context and keep it for the next test; close it if it will not wipe."""
        try:
            pooled.wipe()
        except Error:
            with contextlib.suppress(Error):
                pooled.context.close()
            return
        self.idle.setdefault(pooled.width, []).append(pooled)
