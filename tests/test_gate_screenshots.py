"""Browser gate, screenshots (issue 9): one page of each template in both
languages at 360 px and 1280 px, written to tests/artifacts/screenshots/ for
people to look at. Each must be as wide as the screen (nothing sticks out)
and show the page's title in the first screen."""
from __future__ import annotations

import struct
from urllib.parse import urljoin

import pytest

from tests.gate import site
from tests.gate.results import artifact

pytestmark = pytest.mark.browser
WIDTHS = {360: 800, 1280: 900}


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    return struct.unpack(">II", data[16:24])


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("lang", site.LANGS)
@pytest.mark.parametrize("template", [t.name for t in site.TEMPLATES])
def test_screenshot(browser, built_site, gate_server, template, lang, width):
    path = site.template(template).page(built_site, lang)
    assert path is not None, f"the site has no {template} page in {lang} yet (tests/gate/site.py TEMPLATES)"
    context = browser.new_context(viewport={"width": width, "height": WIDTHS[width]})
    try:
        page = context.new_page()
        page.goto(urljoin(gate_server, path))
        page.wait_for_load_state("networkidle")
        title = page.evaluate("""() => { const h = document.querySelector('.md-content h1');
            if (!h) return null; const r = h.getBoundingClientRect();
            return {top: r.top, bottom: r.bottom, width: r.width}; }""")
        slug = template.replace("'", "").replace(" ", "-")
        target = artifact("screenshots", f"{slug}-{lang}-{width}.png")
        data = page.screenshot(path=str(target), full_page=True)
    finally:
        context.close()
    shot_width, shot_height = png_size(data)
    assert shot_width == width, f"/{path} is {shot_width} px wide at {width} px: something sticks out ({target})"
    assert title and 0 <= title["top"] and title["bottom"] <= WIDTHS[width] and title["width"] > 0, \
        f"/{path}: the title is not in the first screen at {width} px: {title} ({target})"
    print(f"{target} ({shot_width}×{shot_height})")
