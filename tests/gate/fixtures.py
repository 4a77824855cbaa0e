"""Fixtures shared by the gate tests, registered once for the whole run by
`pytest_plugins` in tests/conftest.py. (Imported into each test module instead,
a session fixture is a separate fixture per module: the site scan ran once per
module that used it.)"""
from __future__ import annotations

from pathlib import Path
from urllib.parse import urljoin

import pytest

from tests.conftest import CHROMIUM
from tests.gate import server, site
from tests.gate.scan import scan_site

DESKTOP = {"viewport": {"width": 1280, "height": 900}}


@pytest.fixture(scope="session")
def gate_server(built_site: Path):
    """The built site on 127.0.0.1, compressed like a production host serves it."""
    with server.serve(built_site) as base:
        yield base


@pytest.fixture(scope="session")
def site_scan(built_site, gate_server, browser):
    """Every page of the built site, visited once (tests/gate/scan.py)."""
    # `browser` fails the session when Chromium is missing; the scan uses its own instance.
    paths = site.pages(built_site)
    assert len(paths) > 10, f"the built site has only {len(paths)} pages"
    templates = {page for t in site.TEMPLATES for lang in site.LANGS if (page := t.page(built_site, lang))}
    return scan_site(CHROMIUM, gate_server, paths, phone_axe=templates)


@pytest.fixture
def open_page(browser, gate_server):
    """open_page(path, **context_options): a page of the gate's server in a fresh browser context
    (empty storage: a reader's earlier choices do not carry over), loaded until the network is idle.
    page.errors collects uncaught script errors, page.console_errors the console's errors."""
    contexts = []

    def open_(path: str, **options):
        context = browser.new_context(**(options or DESKTOP))
        contexts.append(context)
        page = context.new_page()
        page.errors, page.console_errors = [], []
        page.on("pageerror", lambda e: page.errors.append(str(e)))
        page.on("console", lambda m: m.type == "error" and page.console_errors.append(m.text))
        page.goto(urljoin(gate_server, path))
        page.wait_for_load_state("networkidle")
        return page

    yield open_
    for context in contexts:
        context.close()
