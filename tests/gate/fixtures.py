"""Session fixtures shared by the gate tests. Import them into a test module:
`from tests.gate.fixtures import gate_server, site_scan  # noqa: F401`."""
from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import CHROMIUM
from tests.gate import server, site
from tests.gate.scan import scan_site


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
