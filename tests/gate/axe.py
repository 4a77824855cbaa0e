"""axe-core in a page: injected from node_modules/ (installed by `make test`), never fetched."""
from __future__ import annotations

import json
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def axe_source() -> str:
    if not AXE.is_file():
        raise FileNotFoundError(f"{AXE.relative_to(ROOT)} is missing: run `npm ci` (or `make test`, which runs it).")
    return AXE.read_text(encoding="utf-8")


def axe_version() -> str:
    return json.loads((AXE.parent / "package.json").read_text(encoding="utf-8"))["version"]


def run_axe(page) -> list[dict]:
    """Violations of the WCAG 2.0/2.1/2.2 A and AA rules on the page as it is now."""
    if not page.evaluate("typeof window.axe === 'object'"):
        page.evaluate(axe_source())  # not an inline <script>: the page's Content-Security-Policy blocks those
    result = page.evaluate(
        """async (tags) => {
            // Judge the state the page settles in, not a frame of a fade (menus closing).
            document.getAnimations().forEach(a => { try { a.finish(); } catch (e) {} });
            const r = await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']});
            return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help, tags: v.tags,
                nodes: v.nodes.map(n => ({target: n.target.join(' '), html: n.html.slice(0, 200),
                                          summary: n.failureSummary}))}));
        }""",
        TAGS,
    )
    return result


def describe(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        lines.append(f"{v['id']} ({v['impact']}): {v['help']}")
        for node in v["nodes"][:5]:
            lines.append(f"    {node['target']}: {node['summary'].splitlines()[-1].strip() if node['summary'] else ''}")
        if len(v["nodes"]) > 5:
            lines.append(f"    … and {len(v['nodes']) - 5} more")
    return "\n".join(lines)


def rule_criteria(browser) -> dict[str, list[str]]:
    """Each axe rule run by the gate, with the WCAG success criteria its tags name
    ("wcag143" -> "1.4.3"); rules tagged only with a level map to none."""
    import re

    page = browser.new_page()
    try:
        page.set_content("<!doctype html><title>axe</title>")
        page.add_script_tag(content=axe_source())
        rules = page.evaluate("(tags) => axe.getRules(tags).map(r => ({id: r.ruleId, tags: r.tags}))", TAGS)
    finally:
        page.close()
    found = {}
    for rule in rules:
        criteria = [".".join((m.group(1), m.group(2), m.group(3)))
                    for tag in rule["tags"] if (m := re.fullmatch(r"wcag(\d)(\d)(\d+)", tag))]
        found[rule["id"]] = criteria
    return found
