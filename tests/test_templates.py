"""Our template overrides read values and gettext strings; they call no Python of ours
(issue 17: Zensical's MiniJinja cannot call Python functions). The values come from
scripts/page_data.py, set on every page by the hooks."""
from __future__ import annotations

from pathlib import Path

import jinja2
import jinja2.nodes as n
import pytest

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = sorted(p for p in (ROOT / "overrides").rglob("*") if p.suffix in {".html", ".xml"})
# gettext, the parent block, and the theme's own filters that every engine provides.
CALLS = {"_", "gettext", "ngettext", "super"}
FILTERS = set(jinja2.defaults.DEFAULT_FILTERS) | {"url"}


def python_calls(source: str) -> list[str]:
    env = jinja2.Environment(extensions=["jinja2.ext.i18n"])
    tree = env.parse(source)
    allowed = set(CALLS)
    allowed |= {m.name for m in tree.find_all(n.Macro)}  # macros defined in the template
    modules = {i.target for i in tree.find_all(n.Import)}  # {% import … as lang %}: lang.t(…)
    allowed |= {name if isinstance(name, str) else name[1] for f in tree.find_all(n.FromImport) for name in f.names}
    found = []
    for call in tree.find_all(n.Call):
        target = call.node
        if isinstance(target, n.Name) and target.name in allowed:
            continue
        if isinstance(target, n.Getattr) and isinstance(target.node, n.Name) and target.node.name in modules:
            continue
        found.append(f"call of {_name(target)}(…) at line {call.lineno}")
    for f in tree.find_all(n.Filter):
        if f.name not in FILTERS:
            found.append(f"filter |{f.name} at line {f.lineno}")
    return found


def _name(node) -> str:
    if isinstance(node, n.Name):
        return node.name
    if isinstance(node, n.Getattr):
        return f"{_name(node.node)}.{node.attr}"
    return type(node).__name__


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_template_calls_no_python(path):
    assert not python_calls(path.read_text(encoding="utf-8")), python_calls(path.read_text(encoding="utf-8"))


def test_the_check_finds_calls_and_filters():
    # It can fail: what the templates did before page values existed.
    assert python_calls("{% for alt in page_alternates(page) %}{% endfor %}") == ["call of page_alternates(…) at line 1"]
    assert python_calls("{{ notice.changed.isoformat() }}") == ["call of notice.changed.isoformat(…) at line 1"]
    assert python_calls("{{ page.update_date | format_date }}") == ["filter |format_date at line 1"]
    assert python_calls("{{ _('Contact us') }}{% import 'x.html' as lang %}{{ lang.t('k') }}") == []


def test_every_page_has_its_values(built_site):
    # The values the templates read reach every page: hreflang links in each page's head.
    pages = [p for p in built_site.rglob("index.html") if "assets" not in p.parts]
    missing = [p.relative_to(built_site).as_posix() for p in pages if 'hreflang="x-default"' not in p.read_text("utf-8")
               and 'name="robots" content="noindex"' not in p.read_text("utf-8")]
    assert len(pages) > 60 and not missing, missing
