"""Browser gate, page weight (issue 9): the first load of one page of each
template, in both languages, on a phone-sized screen with an empty cache,
served compressed: at most 150 KB transferred (images below the fold left
out) and at most 100 KB of it JavaScript. Every figure is printed."""
from __future__ import annotations

from urllib.parse import urljoin

import pytest

from tests.gate import site
from tests.gate.results import record

pytestmark = pytest.mark.browser
KB = 1000
TOTAL_LIMIT = 150 * KB
JS_LIMIT = 100 * KB
PHONE = {"width": 412, "height": 823}  # Lighthouse's mobile screen

# Images drawn in the first screen: only those count (below the fold can load later).
IMAGES_IN_VIEW = """(height) => {
    const seen = {};
    for (const img of document.images) {
        const url = img.currentSrc || img.src;
        if (!url) continue;
        const top = img.getBoundingClientRect().top + window.scrollY;
        seen[url] = Math.min(seen[url] ?? Infinity, top);
    }
    return Object.fromEntries(Object.entries(seen).map(([u, top]) => [u, top < height]));
}"""


def kind(url: str, resource_type: str, content_type: str) -> str:
    path = url.split("?")[0].split("#")[0]
    if resource_type == "script" or path.endswith((".js", ".mjs")) or "javascript" in content_type:
        return "js"
    if resource_type == "image" or content_type.startswith("image/"):
        return "image"
    return resource_type or "other"


@pytest.mark.parametrize("lang", site.LANGS)
@pytest.mark.parametrize("template", [t.name for t in site.TEMPLATES])
def test_first_load_is_light(browser, built_site, gate_server, template, lang):
    path = site.template(template).page(built_site, lang)
    assert path is not None, f"the site has no {template} page in {lang} yet (tests/gate/site.py TEMPLATES)"
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)  # new context: empty cache
    try:
        page = context.new_page()
        finished = []
        page.on("requestfinished", lambda r: finished.append(r))
        page.goto(urljoin(gate_server, path))
        page.wait_for_load_state("networkidle")  # what loads by itself: scripts, search index, workers
        in_view = page.evaluate(IMAGES_IN_VIEW, PHONE["height"])
        rows = []
        for request in finished:
            sizes = request.sizes()
            response = request.response()
            content_type = (response.headers.get("content-type", "") if response else "")
            rows.append({"url": request.url, "kind": kind(request.url, request.resource_type, content_type),
                         "bytes": sizes["responseBodySize"] + sizes["responseHeadersSize"],
                         "encoding": response.headers.get("content-encoding", "") if response else ""})
    finally:
        context.close()
    counted = [r for r in rows if not (r["kind"] == "image" and in_view.get(r["url"]) is False)]
    total = sum(r["bytes"] for r in counted)
    js = sum(r["bytes"] for r in counted if r["kind"] == "js")
    left_out = sum(r["bytes"] for r in rows if r not in counted)
    print(f"\n{template} ({lang}) /{path}: {total / KB:.1f} KB transferred, JavaScript {js / KB:.1f} KB, "
          f"{len(counted)} requests; images below the fold left out: {left_out / KB:.1f} KB")
    for r in sorted(counted, key=lambda r: -r["bytes"]):
        print(f"  {r['bytes'] / KB:7.1f} KB  {r['kind']:10} {r['encoding'] or '-':5} {r['url'][len(gate_server) - 1:]}")
    ok = total <= TOTAL_LIMIT and js <= JS_LIMIT
    slug = template.replace("'", "").replace(" ", "-")
    record("weight", f"{slug}-{lang}", ok, template=template, lang=lang, path=path, total_kb=round(total / KB, 1),
           js_kb=round(js / KB, 1), requests=len(counted), below_fold_images_kb=round(left_out / KB, 1))
    assert total <= TOTAL_LIMIT, f"/{path}: first load {total / KB:.1f} KB > {TOTAL_LIMIT / KB:.0f} KB"
    assert js <= JS_LIMIT, f"/{path}: JavaScript {js / KB:.1f} KB > {JS_LIMIT / KB:.0f} KB"
