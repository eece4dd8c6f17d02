# -*- coding: utf-8 -*-
"""Fixtures of the browser tests."""
from __future__ import annotations

from pathlib import Path

import pytest

from tests.browser.test_forms import login

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def person(browser, live_server, request):
    """A logged-in page per person, each in its own browser context (own
    cookies). On failure, every page is saved to test-results/."""
    opened = {}

    def open_as(name):
        context = browser.new_context(locale="en-GB", viewport={"width": 1280, "height": 1024})
        page = context.new_page()
        page.set_default_timeout(15000)
        opened[name] = page
        if name:
            login(page, live_server.url, name)
        return page

    yield open_as
    report = getattr(request.node, "report_call", None)
    for name, page in opened.items():
        if report is not None and report.failed:
            out = ROOT / "test-results"
            out.mkdir(exist_ok=True)
            page.screenshot(path=str(out / f"{request.node.name}-{name or 'anonyme'}.png"),
                            full_page=True)
        page.context.close()
