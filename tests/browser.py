"""A real browser on a real HTTP server: Debian's Chromium driven by Playwright, the site served on loopback."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from urllib.parse import urlsplit

from playwright.sync_api import Browser, Page, sync_playwright

from okrsite.commands.loopback import serve

__all__ = ["Visit", "chromium", "serve"]

CHROMIUM = "/usr/bin/chromium"
# as root, without the sandbox; without background networking Chromium makes no request of its own
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync"]  # fmt: skip


@contextlib.contextmanager
def chromium() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        try:
            yield browser
        finally:
            browser.close()


class Visit:
    """A page that records every request to another host and every uncaught script error."""

    def __init__(self, browser: Browser, base: str) -> None:
        self.host = urlsplit(base).netloc
        self.page: Page = browser.new_page()
        self.foreign: list[str] = []
        self.errors: list[str] = []
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))
        self.page.route("**/*", self._route)

    def _route(self, route, request) -> None:  # type: ignore[no-untyped-def]
        parts = urlsplit(request.url)
        if parts.scheme in ("http", "https") and parts.netloc != self.host:
            self.foreign.append(request.url)
            route.abort()
        else:
            route.continue_()
