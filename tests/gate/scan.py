"""Visit every page of the built site once in headless Chromium and keep what
the gate tests check: axe-core violations at 1280 px (and at 360 px on one page
of each template: the phone layout is the same template's), requests to
other origins, console errors, failed requests, sideways scrolling at 360 px,
where the language switcher leads, and at 360 px the header title's lines
and whether the back-to-top button can be tapped.

Pages are visited a few at a time (async Playwright in a thread of its own,
so it does not clash with the session's sync `browser` fixture)."""
from __future__ import annotations

import asyncio
import os
import threading
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlparse

from tests.gate.axe import TAGS, axe_source

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 360, "height": 800}
BROWSER_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync"]

# Violations in full; of the other rules, only which applied to the page (passed
# or needs review), for the accessibility statement's checklist.
AXE_RUN = """async (tags) => {
    const r = await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']});
    return {violations: r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
        nodes: v.nodes.map(n => ({target: n.target.join(' '), html: n.html.slice(0, 200),
                                  summary: n.failureSummary || ''}))})),
            applied: r.passes.concat(r.incomplete, r.violations).map(x => x.id)};
}"""
OVERFLOW = """() => {
    const root = document.documentElement, width = root.clientWidth;
    const wide = [];
    for (const el of document.body.querySelectorAll('*')) {
        const r = el.getBoundingClientRect();
        if (r.width > 0 && r.right > width + 1 && getComputedStyle(el).position !== 'fixed') {
            wide.push(el.tagName.toLowerCase() + (el.className && typeof el.className === 'string'
                ? '.' + el.className.trim().split(/\\s+/).join('.') : '') + ' (right edge ' + Math.round(r.right) + ' px)');
        }
    }
    return {scrollWidth: root.scrollWidth, clientWidth: width, wide: wide.slice(0, 5)};
}"""
# Content-Security-Policy violations, recorded from the first script on (scripts/csp.py).
CSP_LISTENER = """window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', e => window.__cspViolations.push(
    `${e.effectiveDirective} blocked ${e.blockedURI || 'inline'} at ${e.sourceFile}:${e.lineNumber} ${e.sample || ''}`));"""

# At 360 px: how many lines each header title takes (Range rects), whether it
# is cut with an ellipsis, and whether the back-to-top button, once shown by
# scrolling up, is what a tap at its centre hits (ux review M3).
HEADER = """() => {
    const header = document.querySelector('.md-header').getBoundingClientRect();
    return Array.from(document.querySelectorAll('.md-header__topic .md-ellipsis')).map(el => {
        const range = document.createRange(); range.selectNodeContents(el);
        const tops = new Set(Array.from(range.getClientRects()).filter(r => r.width > 0).map(r => Math.round(r.top)));
        const cs = getComputedStyle(el), box = el.getBoundingClientRect();
        return {text: el.textContent.trim(), lines: tops.size, height: Math.round(box.height),
                headerHeight: Math.round(header.height), ellipsis: cs.textOverflow === 'clip' ? '' : cs.textOverflow,
                nowrap: cs.whiteSpace === 'nowrap'};
    });
}"""
BACK_TO_TOP = """async () => {
    const pause = (ms) => new Promise(r => setTimeout(r, ms));
    const room = document.documentElement.scrollHeight - innerHeight;
    if (room < 1200) return {shown: false, reason: 'short page'};
    scrollTo(0, Math.min(room, 2400)); await pause(150);
    scrollTo(0, Math.min(room, 2400) - 400); await pause(450);
    document.getAnimations().forEach(a => { try { a.finish(); } catch (e) {} });
    const top = document.querySelector('.md-top');
    if (!top || top.hidden) return {shown: false, reason: 'not shown'};
    const r = top.getBoundingClientRect();
    const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
    const name = (n) => n ? n.tagName.toLowerCase() + (typeof n.className === 'string' && n.className
        ? '.' + n.className.trim().split(/\\s+/).join('.') : '') : 'nothing';
    return {shown: true, reachable: !!(hit && hit.closest('.md-top')), hit: name(hit)};
}"""
SWITCHER = """() => Array.from(document.querySelectorAll('.md-select__link[hreflang]'))
    .map(a => ({lang: a.getAttribute('hreflang'), href: a.href}))"""


@dataclass
class PageScan:
    path: str
    status: int = 0
    axe_desktop: list = field(default_factory=list)
    axe_phone: list | None = None  # run on one page of each template only
    axe_applied: set = field(default_factory=set)  # rules that applied (passed, failed or need review)
    requests: list = field(default_factory=list)
    console_errors: list = field(default_factory=list)
    failed: list = field(default_factory=list)
    csp_violations: list = field(default_factory=list)
    overflow: dict = field(default_factory=dict)
    switcher: list = field(default_factory=list)
    header: list = field(default_factory=list)  # at 360 px
    back_to_top: dict = field(default_factory=dict)  # at 360 px
    error: str = ""

    def other_origins(self, base: str) -> list[str]:
        origin = urlparse(base).netloc
        return [u for u in self.requests
                if urlparse(u).scheme not in ("data", "blob", "about") and urlparse(u).netloc != origin]


async def _scan_page(context, base: str, path: str, axe: str, axe_phone: bool) -> PageScan:
    scan = PageScan(path)
    page = await context.new_page()
    page.on("request", lambda r: scan.requests.append(r.url))
    page.on("console", lambda m: m.type == "error" and scan.console_errors.append(f"{m.text} ({m.location.get('url', '')})"))
    page.on("pageerror", lambda e: scan.console_errors.append(f"uncaught: {e}"))
    page.on("response", lambda r: r.status >= 400 and scan.failed.append(f"{r.status} {r.url}"))
    page.on("requestfailed", lambda r: scan.failed.append(f"{r.failure} {r.url}"))
    try:
        response = await page.goto(urljoin(base, path), wait_until="load")
        scan.status = response.status if response else 0
        await page.wait_for_load_state("networkidle")
        # Evaluated, not added as an inline <script>: the page's policy rightly blocks those.
        await page.evaluate(axe)
        result = await page.evaluate(AXE_RUN, TAGS)
        scan.axe_desktop, scan.axe_applied = result["violations"], set(result["applied"])
        scan.switcher = await page.evaluate(SWITCHER)
        await page.set_viewport_size(PHONE)
        # Judge the phone layout once it is drawn (two frames at the new width), with the transitions
        # that width started (Material's drawer and header, 250 ms) run to their end.
        await page.wait_for_function(f"() => window.innerWidth === {PHONE['width']}")
        await page.evaluate("() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))")
        await page.evaluate("() => document.getAnimations().forEach(a => { try { a.finish(); } catch (e) {} })")
        scan.overflow = await page.evaluate(OVERFLOW)
        if axe_phone:
            result = await page.evaluate(AXE_RUN, TAGS)
            scan.axe_phone = result["violations"]
            scan.axe_applied |= set(result["applied"])
        scan.csp_violations = await page.evaluate("window.__cspViolations || ['the CSP listener did not run']")
        scan.header = await page.evaluate(HEADER)
        scan.back_to_top = await page.evaluate(BACK_TO_TOP)  # scrolls: last
    except Exception as e:  # reported by the tests as a failure of this page
        scan.error = f"{type(e).__name__}: {e}"
    finally:
        await page.close()
    return scan


async def _scan(chromium: str, base: str, paths: list[str], phone_axe: set[str],
                concurrency: int) -> dict[str, PageScan]:
    from playwright.async_api import async_playwright

    axe = axe_source()
    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=chromium, args=BROWSER_ARGS)
        context = await browser.new_context(viewport=DESKTOP)
        await context.add_init_script(CSP_LISTENER)
        queue = list(paths)
        results: dict[str, PageScan] = {}

        async def worker():
            while queue:
                path = queue.pop(0)
                results[path] = await _scan_page(context, base, path, axe, path in phone_axe)

        await asyncio.gather(*(worker() for _ in range(concurrency)))
        await browser.close()
    return results


def scan_site(chromium: str, base: str, paths: list[str], phone_axe: set[str] = frozenset(),
              concurrency: int | None = None) -> dict[str, PageScan]:
    """Scan every path (axe-core at 360 px too for those in phone_axe); in a thread of its own."""
    # One more page than cores: each page spends part of its time waiting (network idle, transitions).
    concurrency = concurrency or min(4, (os.cpu_count() or 2) + 1)
    out: dict = {}

    def run():
        try:
            out["result"] = asyncio.run(_scan(chromium, base, paths, set(phone_axe), concurrency))
        except BaseException as e:  # re-raised in the caller's thread
            out["error"] = e

    thread = threading.Thread(target=run, name="gate-scan")
    thread.start()
    thread.join()
    if "error" in out:
        raise out["error"]
    return out["result"]
