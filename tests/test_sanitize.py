"""Nothing unsafe is published (issue 16 §2): the sanitizer removes and reports every
form of unsafe markup at its line, our real pages pass untouched, `make check` agrees
with the build, and every page carries a Content-Security-Policy that hashes exactly
its own inline scripts."""
from __future__ import annotations

import base64
import hashlib
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml

from scripts import ROOT, csp, lint, sanitize
from scripts.lint import rules  # noqa: F401  (registers the rules)
from tests.conftest import run_build

HEAD = "---\ntitle: 例\ndescription: 安全でない書き方の例です。\n---\n\n# 例\n\n本文です。\n\n"
ATTACK_LINE = HEAD.count("\n") + 1  # the line the attack starts on

# (name, Markdown, rule id, what must not be left in the sanitized HTML)
ATTACKS = [
    ("javascript inline link", "[地図](javascript:alert(1))", "unsafe-url", "javascript:"),
    ("javascript angle-bracketed", "<javascript:alert(1)>", "unsafe-url", "javascript:"),
    ("javascript angle-bracketed target", "[地図](<javascript:alert(1)>)", "unsafe-url", "javascript:"),
    ("javascript entity-encoded", "[地図](&#106;avascript:alert(1))", "unsafe-url", "javascript:"),
    ("javascript hex entity", "[地図](&#x6A;&#x61;vascript:alert(1))", "unsafe-url", "javascript:"),
    ("javascript entity colon", "[地図](javascript&colon;alert(1))", "unsafe-url", "javascript:"),
    ("javascript mixed case", "[地図](JaVaScRiPt:alert(1))", "unsafe-url", "javascript:"),
    ("javascript tab inside", '<a href="java&#9;script:alert(1)">地図</a>', "unsafe-url", "javascript:"),
    ("javascript newline inside", '<a href="java&#10;script:alert(1)">地図</a>', "unsafe-url", "javascript:"),
    ("javascript control char before", '<a href="&#1;javascript:alert(1)">地図</a>', "unsafe-url", "javascript:"),
    ("javascript leading space", '<a href="  javascript:alert(1)">地図</a>', "unsafe-url", "javascript:"),
    ("javascript raw html img", '<img src="javascript:alert(1)" alt="図">', "unsafe-url", "javascript:"),
    ("data image", "![図](data:image/png;base64,iVBORw0KGgo=)", "unsafe-url", "data:"),
    ("data link", "[開く](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)", "unsafe-url", "data:"),
    ("data in srcset", '<img src="a.png" srcset="data:image/png;base64,AAAA 2x" alt="図">', "unsafe-url", "data:"),
    ("vbscript", "[開く](vbscript:msgbox(1))", "unsafe-url", "vbscript:"),
    ("file scheme", "[開く](file:///etc/passwd)", "unsafe-url", "file:"),
    ("meta refresh", '<meta http-equiv="refresh" content="0;url=https://evil.example/">', "unsafe-element", "<meta"),
    ("base", '<base href="https://evil.example/">', "unsafe-element", "<base"),
    ("link", '<link rel="stylesheet" href="https://evil.example/x.css">', "unsafe-element", "<link"),
    ("iframe", '<iframe src="https://evil.example/"></iframe>', "unsafe-element", "<iframe"),
    ("object", '<object data="https://evil.example/x.swf"></object>', "unsafe-element", "<object"),
    ("embed", '<embed src="https://evil.example/x.swf">', "unsafe-element", "<embed"),
    ("form", '<form action="https://evil.example/"><input name="password"></form>', "unsafe-element", "<form"),
    ("script", "<script>alert(1)</script>", "unsafe-element", "alert(1)"),
    ("style element", "<style>body{display:none}</style>", "unsafe-element", "display:none"),
    ("svg with script", "<svg><script>alert(1)</script></svg>", "unsafe-element", "alert(1)"),
    ("onerror", '<img src="x.png" onerror="alert(1)" alt="図">', "unsafe-attribute", "onerror"),
    ("onclick in inline html", '<span onclick="alert(1)">ここ</span>', "unsafe-attribute", "onclick"),
    ("handler through attr_list", '[地図](https://example.com/){ onmouseover="alert(1)" }', "unsafe-attribute", "onmouseover"),
    ("style overlay", '<div style="position:fixed;top:0;left:0;width:100%;height:100%;z-index:9999">偽の画面</div>',
     "unsafe-attribute", "position"),
    ("style through attr_list", '## 見出し { style="position:absolute;z-index:10" }', "unsafe-attribute", "z-index"),
    ("formaction", '<button formaction="https://evil.example/">送る</button>', "unsafe-attribute", "formaction"),
    ("data attribute Material reads", '<div data-md-component="search">x</div>', "unsafe-attribute", "data-md"),
]


def _flat(html: str) -> str:
    """What a browser would read: entities decoded, no whitespace or control characters, lower case."""
    import html as html_lib

    return re.sub(r"[\x00-\x20]", "", html_lib.unescape(html)).lower()


@pytest.mark.parametrize("name, markdown, rule_id, gone", ATTACKS, ids=[a[0] for a in ATTACKS])
def test_attack_is_removed_and_reported_at_its_line(name, markdown, rule_id, gone):
    text = HEAD + markdown + "\n\nおわり。\n"
    problems = sanitize.check_source(text, "docs/ja/page.md")
    assert [(p.rule, p.line) for p in problems if p.severity == "error"][:1] == [(rule_id, ATTACK_LINE)], problems
    problem = problems[0]
    assert problem.file == "docs/ja/page.md" and " / " in problem.message and " / " in problem.fix
    rendered = sanitize.render_markdown(text)
    assert gone in _flat(rendered), "the attack did not reach the HTML: the case tests nothing"
    assert gone not in _flat(sanitize.clean(rendered))


def test_reference_definition_is_reported_at_the_definition():
    text = HEAD + "[地図][m]を見てください。\n\n段落です。\n\n[m]: JavaScript:alert(1)\n"
    problems = sanitize.check_source(text, "p.md")
    assert [(p.rule, p.line) for p in problems] == [("unsafe-url", ATTACK_LINE + 4)]


def test_two_findings_alike_get_their_own_lines():
    text = HEAD + "[a](javascript:alert(1))\n\n文。\n\n[b](javascript:alert(1))\n"
    assert [p.line for p in sanitize.check_source(text, "p.md")] == [ATTACK_LINE, ATTACK_LINE + 4]


def test_http_is_a_warning_and_the_link_is_kept():
    text = HEAD + "[古いサイト](http://example.com/old)\n"
    problems = sanitize.check_source(text, "p.md")
    assert [(p.rule, p.severity, p.line) for p in problems] == [("http-link", "warning", ATTACK_LINE)]
    assert 'href="http://example.com/old"' in sanitize.clean(sanitize.render_markdown(text))


SAFE = """\
[サイト](https://example.com/a?b=1#c)、[メール](mailto:info@example.jp)、[電話](tel:+81-3-0000-0000)、
[ページ](../plan/index.md)、[見出し](#例)、<https://example.com/auto>。

| 項目 | 数 |
| :--- | --: |
| 橋 | 10 |

本文[^1]。

[^1]: 出典です。

!!! note "注意"
    注意の中身です。

??? info "くわしく"
    開くと見えます。

用語
:   その説明。

<div class="grid cards" markdown>
- **太字** と *斜体* と `<script>` と <kbd>Ctrl</kbd> と 改行<wbr>位置
</div>

<ruby>漢字<rp>(</rp><rt>かんじ</rt><rp>)</rp></ruby>、<abbr title="Digital Transformation">DX</abbr>

![図の説明](images/a.png){ width="300" loading="lazy" }

```html
<iframe src="https://evil.example/"></iframe>
```
"""


def test_what_our_markdown_makes_passes_unchanged():
    rendered = sanitize.render_markdown(SAFE)
    cleaned, findings = sanitize.inspect(rendered)
    assert findings == []
    assert _tokens(cleaned) == _tokens(rendered)
    for expected in ('style="text-align: right;"', 'class="admonition note"', "<details", 'class="footnote"',
                     "<dl>", "<ruby>", "<wbr>", 'loading="lazy"', '<span class="nt">iframe'):
        assert expected in cleaned, expected


@pytest.mark.parametrize("url, scheme", [
    ("https://a", "https"), ("HTTP://a", "http"), ("/a", None), ("a/b.md", None), ("#x", None), ("?q=1", None),
    ("java\tscript:x", "javascript"), ("\x01 javascript:x", "javascript"), ("java\x00script:x", "?"),
    ("data:image/png,x", "data"), ("a:b/c", "a"), ("./a:b", None),
])
def test_url_scheme_as_a_browser_reads_it(url, scheme):
    got = sanitize.url_scheme(url)
    assert got == scheme or (scheme == "?" and got not in (None, *sanitize.URL_SCHEMES)), got


def test_the_extensions_are_read_from_mkdocs_yml(tmp_path):
    config = tmp_path / "mkdocs.yml"
    config.write_text("markdown_extensions:\n  - admonition\n", encoding="utf-8")
    text = HEAD + "!!! note\n    中身\n\n??? info\n    中身\n"
    html = sanitize.render_markdown(text, config)
    assert 'class="admonition note"' in html and "<details" not in html  # pymdownx.details is not listed
    assert "<details" in sanitize.render_markdown(text)  # the project's mkdocs.yml lists it


# --------------------------------------------------------------------------- the real site

def _tokens(html: str) -> list:
    class Tokens(HTMLParser):
        def __init__(self):
            super().__init__(convert_charrefs=True)
            self.out = []

        def handle_starttag(self, tag, attrs):
            self.out.append(("<", tag, tuple(sorted((k, v or "") for k, v in attrs))))

        def handle_startendtag(self, tag, attrs):  # <hr /> and <hr> alike
            self.handle_starttag(tag, attrs)

        def handle_endtag(self, tag):
            self.out.append((">", tag))

        def handle_data(self, data):
            if data.strip():
                self.out.append(("t", data.strip()))

    parser = Tokens()
    parser.feed(html)
    return parser.out


def test_every_real_page_passes_the_check_with_nothing_removed():
    pages = sorted((ROOT / "docs").rglob("*.md"))
    assert len(pages) > 50
    problems = [p for page in pages for p in sanitize.check_source(page.read_text(encoding="utf-8"), str(page))]
    assert not problems, "\n".join(lint.format_problem(p) for p in problems)


def _pages(site: Path) -> list[Path]:
    return [p for p in sorted(site.rglob("*.html")) if "assets" not in p.relative_to(site).parts]


def test_every_built_page_has_the_policy_with_its_own_inline_scripts_hashed(built_site):
    pages = _pages(built_site)
    assert (built_site / "404.html") in pages and (built_site / "en" / "404.html") in pages
    for page in pages:
        html = page.read_text(encoding="utf-8")
        policy = csp.policy_of(html)
        assert policy, f"{page}: no Content-Security-Policy"
        assert html.index("Content-Security-Policy") < html.index("<script"), f"{page}: the policy comes too late"
        directives = {d.split()[0]: d.split()[1:] for d in policy.split("; ")}
        assert directives["default-src"] == ["'self'"] and directives["object-src"] == ["'none'"]
        assert directives["base-uri"] == ["'self'"] and directives["form-action"] == ["'self'"]
        assert "'unsafe-inline'" not in policy and "'unsafe-eval'" not in policy
        # Hashed on their own here: every inline script that runs, and nothing else.
        inline = re.findall(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/(?:ld\+)?json\")[^>]*>(.*?)</script>",
                            html, re.S)
        expected = {"'sha256-" + base64.b64encode(hashlib.sha256(s.encode()).digest()).decode() + "'" for s in inline}
        assert set(directives["script-src"]) == {"'self'"} | expected, page


def test_published_site_is_the_same_as_without_the_sanitizer(built_site, project):
    """Zero removals on the real site: the pages built with the sanitizer and the policy are, token for
    token, the pages built without them, apart from the policy itself (a few pages of each kind)."""
    steps = project / "scripts" / "finish" / "pages.py"  # the finish stage's steps
    text = steps.read_text(encoding="utf-8")
    for old, new in [("content = sanitize.page_content(content,", "content = (lambda html, *_: html)(content,"),
                     ("return csp.apply(page_html)", "return page_html")]:
        assert old in text, f"scripts/finish/pages.py changed: {old!r} not found"
        text = text.replace(old, new)
    steps.write_text(text, encoding="utf-8")
    result = run_build(project)
    assert result.returncode == 0, result.stdout + result.stderr
    plain = project / "site"
    compared = 0
    for rel in ["index.html", "en/index.html", "teachers/index.html", "en/teachers/index.html",
                "about/accessibility/index.html", "en/about/accessibility/index.html", "fields/disaster-resilience/index.html",
                "en/glossary/index.html", "404.html", "en/404.html"]:
        with_policy = (built_site / rel).read_text(encoding="utf-8")
        without = (plain / rel).read_text(encoding="utf-8")
        # Without the hashing pass the template's policy is there, but no inline script may run.
        assert "'sha256-" in csp.policy_of(with_policy) and "'sha256-" not in csp.policy_of(without)
        assert _tokens(_undated(with_policy)) == _tokens(_undated(without)), rel
        compared += 1
    assert compared == 10


def _undated(html: str) -> str:
    """Without the policy and without dates (the copy has no git history, so its pages are dated by file time)."""
    html = re.sub(r'<meta http-equiv="Content-Security-Policy"[^>]*>', "", html)
    html = re.sub(r'<div class="md-source-file">.*?</div>', "", html, flags=re.S)
    return re.sub(r"\d{4}-\d{2}-\d{2}|\d{4}年\d{1,2}月\d{1,2}日|[A-Z][a-z]+ \d{1,2}, \d{4}", "DATE", html)


# --------------------------------------------------------------------------- the bad-input corpus

CASES_DIR = ROOT / "tests" / "bad_inputs"
UNSAFE_CASES = sorted(p.parent.name for p in CASES_DIR.glob("unsafe-*/case.yml"))


def test_the_corpus_has_every_unsafe_form():
    assert len(UNSAFE_CASES) >= 16, UNSAFE_CASES


@pytest.mark.parametrize("name", UNSAFE_CASES)
def test_make_check_fails_on_the_unsafe_case_with_file_line_and_rule(name, project):
    """The build side is tests/test_bad_inputs.py (the same case.yml, the same messages)."""
    from tests.test_bad_inputs import apply_case

    case = yaml.safe_load((CASES_DIR / name / "case.yml").read_text(encoding="utf-8"))
    assert case["expect"] == "fail" and lint.summary(case["rule"]), name  # summary() loads every rule first
    apply_case(case, CASES_DIR / name, project)
    problems, _ = lint.run_checks(project / "docs")
    output = "\n".join(lint.format_problem(p) for p in problems)
    for needle in case["messages"]:
        assert needle in output, f"{name}: {needle!r} missing from:\n{output}"
    assert any(p.rule == case["rule"] and p.severity == "error" for p in problems), output
    shutil.rmtree(project)


# --------------------------------------------------------------------------- the build's side

def test_build_keeps_our_generated_html_and_stops_on_the_page_s_own(tmp_path):
    from scripts.problems import ContentError

    source = tmp_path / "page.md"
    finder = '<form class="lesson-finder__form" hidden><select name="grade"></select></form><script>x()</script>'
    markdown = HEAD + "[[lesson-finder]]\n"
    source.write_text(markdown, encoding="utf-8")
    fenced = sanitize.GENERATED.fence(markdown, "[[lesson-finder]]").replace("[[lesson-finder]]", finder)
    html = sanitize.render_markdown(sanitize._body(fenced)[0])
    published = sanitize.page_content(html, source)
    assert '<form class="lesson-finder__form" hidden><select name="grade"></select></form>' in published
    assert "<script>x()</script>" in published and "generated:" not in published and "kept:" not in published

    # The same form written by hand (without this build's secret) is removed and stops the build.
    source.write_text(markdown.replace("[[lesson-finder]]", finder), encoding="utf-8")
    with pytest.raises(ContentError) as error:
        sanitize.page_content(sanitize.render_markdown(sanitize._body(source.read_text(encoding="utf-8"))[0]), source)
    assert {(p.rule, p.line) for p in error.value.problems} == {("unsafe-element", ATTACK_LINE)}
    assert f"page.md:{ATTACK_LINE}: エラー error [unsafe-element]" in str(error.value)


def test_build_warns_about_http_and_publishes_the_link(tmp_path):
    source = tmp_path / "page.md"
    source.write_text(HEAD + "[古い](http://example.com/)\n", encoding="utf-8")
    warned = []
    published = sanitize.page_content(sanitize.render_markdown(sanitize._body(source.read_text())[0]), source,
                                      warned.append)
    assert 'href="http://example.com/"' in published
    assert [(p.rule, p.line) for p in warned] == [("http-link", ATTACK_LINE)]


def test_policy_hashes_inline_scripts_and_styles_only():
    page = ('<head><meta http-equiv="Content-Security-Policy" content="default-src \'self\'; script-src \'self\'; '
            'style-src \'self\'"></head><body><script>a()</script><script src="x.js"></script>'
            '<script type="application/json">{"b":1}</script><td style="text-align: right;">1</td></body>')
    policy = csp.policy_of(csp.apply(page))
    assert policy == ("default-src 'self'; script-src 'self' " + csp.source_hash("a()") +
                      "; style-src 'self' 'unsafe-hashes' " + csp.source_hash("text-align: right;"))
    assert csp.apply("<p>no policy</p>") == "<p>no policy</p>"
