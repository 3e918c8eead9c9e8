"""The browser fixtures of the end-to-end suite, shared with the security browser test."""

from __future__ import annotations

from tests.e2e.conftest import chromium_browser, page

__all__ = ["chromium_browser", "page"]
