"""Nothing unsafe is published: an allowlist sanitizer over the HTML that page
content renders to (what staff write, after Markdown), and the same check for
`make check`.

The allowlist is what our Markdown extensions (mkdocs.yml) and our modules
(facts, charts, glossary, lessons, images, furigana) produce, measured on the
real site; everything else is removed by nh3 (Rust's ammonia, a well-kept
sanitizer) and reported here by rule id:

    unsafe-element    error    a tag not on the list (<script>, <iframe>, <meta>, <base>, <form> …)
    unsafe-attribute  error    an attribute not on the list (onerror=, style= overlays, formaction= …)
    unsafe-url        error    a link or image address with another scheme (javascript:, data:, vbscript: …)
    http-link         warning  an http:// address (works, but not encrypted): kept and published

nh3 does the removing; the report comes from our own walk over the same HTML
with the same lists (nh3 does not say what it removed), and a last comparison of
the two trees makes sure nothing nh3 removed goes unreported.
"""
from __future__ import annotations

import bisect
import functools
import re
import secrets
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Callable, Iterable

import nh3

from scripts.problems import Problem, relative

# --------------------------------------------------------------------------- the allowlist

# Markdown (python-markdown + pymdownx, mkdocs.yml) and our modules, as measured on every page.
TAGS = frozenset({
    # text and structure
    "p", "br", "hr", "wbr", "h1", "h2", "h3", "h4", "h5", "h6", "div", "span", "blockquote",
    "nav",  # the glossary's index row by first kana / letter (scripts/glossary.py)
    "a", "em", "strong", "b", "i", "u", "s", "del", "ins", "mark", "small", "sub", "sup", "q", "cite",
    "abbr", "dfn", "kbd", "samp", "var", "time", "code", "pre",
    "ul", "ol", "li", "dl", "dt", "dd",
    "table", "caption", "thead", "tbody", "tfoot", "tr", "th", "td", "colgroup", "col",
    # admonitions, pymdownx.details, figures, responsive images (scripts/images.py, charts.py)
    "details", "summary", "figure", "figcaption", "picture", "source", "img",
    # furigana (scripts/furigana.py), glossary terms and the furigana switch (scripts/glossary.py)
    "ruby", "rt", "rp", "button",
})
# Removed with everything inside them, not only the tags (their text is code or styling, not prose).
CONTENT_REMOVED = frozenset({"script", "style", "template", "iframe", "object", "noscript", "title",
                             "textarea", "xmp", "noembed", "noframes", "plaintext", "svg", "math"})
# data-* attributes our scripts read: facts, lesson finder, print link targets, search, glossary.
DATA_ATTRIBUTES = frozenset({
    "data-fact", "data-lesson-finder", "data-count-one", "data-count-other", "data-filter", "data-grade",
    "data-subject", "data-periods", "data-print-href", "data-search-exclude", "data-term",
})
GLOBAL_ATTRIBUTES = frozenset({"class", "id", "lang", "dir", "title", "role", "hidden", "translate"}) | DATA_ATTRIBUTES
ATTRIBUTES = {
    "*": GLOBAL_ATTRIBUTES,
    "a": {"href", "hreflang", "download"},
    "img": {"src", "srcset", "sizes", "alt", "width", "height", "loading", "decoding"},
    "source": {"srcset", "sizes", "media", "type", "width", "height"},
    "ol": {"start", "reversed", "type"},
    "li": {"value"},
    "th": {"scope", "colspan", "rowspan", "abbr"},
    "td": {"colspan", "rowspan"},
    "col": {"span"}, "colgroup": {"span"},
    "details": {"open"},
    "time": {"datetime"},
    "abbr": set(), "dfn": set(),
    "button": {"type"},
}
# The only style attribute Markdown writes: table column alignment (| --: |). Nothing that can
# place an overlay over the page (position, z-index …) gets through.
STYLE_VALUES = frozenset({f"text-align: {side};" for side in ("left", "right", "center")})
TAG_ATTRIBUTE_VALUES = {tag: {"style": set(STYLE_VALUES)} for tag in ("th", "td")}
ATTRIBUTE_PREFIXES = frozenset({"aria-"})
URL_SCHEMES = frozenset({"https", "http", "mailto", "tel"})
URL_ATTRIBUTES = frozenset({"href", "src", "srcset", "cite", "action", "formaction", "poster", "data",
                            "background", "longdesc", "xlink:href", "ping", "manifest", "codebase"})

# Inside a URL the browser ignores ASCII tab and newlines anywhere, and spaces and
# control characters at either end (WHATWG URL standard): "java\tscript:" is javascript:.
_IGNORED_INSIDE = re.compile(r"[\t\n\r]")
_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.\-]*):")


def url_scheme(url: str) -> str | None:
    """The scheme a browser sees (lower case), or None for a relative address."""
    cleaned = _IGNORED_INSIDE.sub("", url).strip("\x00\x01\x02\x03\x04\x05\x06\x07\x08\x0b\x0c\x0e\x0f"
                                                 "\x10\x11\x12\x13\x14\x15\x16\x17\x18\x19\x1a\x1b\x1c\x1d\x1e\x1f ")
    m = _SCHEME.match(cleaned)
    if m:
        return m.group(1).lower()
    # Any other control character or a colon before the first / ? # still makes a scheme for some parsers.
    head = re.split(r"[/?#]", cleaned, 1)[0]
    if ":" in head and re.search(r"[\x00-\x1f\x7f]", head):
        return re.sub(r"[\x00-\x20\x7f]", "", head.split(":", 1)[0]).lower() or "?"
    return None


def srcset_urls(value: str) -> list[str]:
    """The addresses in a srcset list ("a.webp 640w, b.webp 1280w")."""
    return [part.strip().split()[0] for part in value.split(",") if part.strip()]


def _urls(attribute: str, value: str) -> list[str]:
    return srcset_urls(value) if attribute == "srcset" else [value]


def _url_ok(attribute: str, value: str) -> bool:
    return all(url_scheme(u) in (None, *URL_SCHEMES) for u in _urls(attribute, value))


def _attribute_filter(tag: str, attribute: str, value: str) -> str | None:
    # nh3 checks href/src schemes itself but not srcset: a data: image there must go too.
    if attribute == "srcset" and not _url_ok(attribute, value):
        return None
    return value


def clean(html: str) -> str:
    """The sanitized HTML: only the allowlist is left."""
    return nh3.clean(
        html,
        tags=set(TAGS),
        clean_content_tags=set(CONTENT_REMOVED),
        attributes={tag: set(attrs) for tag, attrs in ATTRIBUTES.items()},
        attribute_filter=_attribute_filter,
        strip_comments=False,  # <!-- more --> marks a news post's excerpt (Material's blog)
        link_rel=None,  # no rel added: the output of a clean page is the page itself
        generic_attribute_prefixes=set(ATTRIBUTE_PREFIXES),
        tag_attribute_values={tag: {a: set(v) for a, v in values.items()} for tag, values in TAG_ATTRIBUTE_VALUES.items()},
        url_schemes=set(URL_SCHEMES),
    )


# --------------------------------------------------------------------------- what was removed

@dataclass(frozen=True)
class Finding:
    rule: str  # unsafe-element, unsafe-attribute, unsafe-url, http-link
    severity: str
    message: str
    fix: str


_ELEMENT_WHY = {
    "script": "プログラムを実行します / runs a program",
    "style": "ページ全体の見た目を変えます / restyles the whole page",
    "link": "ほかのファイルを読み込みます / loads another file",
    "meta": "ページの動き（自動での移動など）を変えます / changes how the page behaves (redirects …)",
    "base": "ページのすべてのリンクの行き先を変えます / changes where every link on the page leads",
    "iframe": "ほかのサイトを埋め込みます / embeds another site",
    "frame": "ほかのサイトを埋め込みます / embeds another site",
    "object": "プラグインや外部のファイルを埋め込みます / embeds a plug-in or outside file",
    "embed": "プラグインや外部のファイルを埋め込みます / embeds a plug-in or outside file",
    "form": "入力欄から情報を送らせます / makes readers send information",
    "input": "入力欄から情報を送らせます / makes readers send information",
    "svg": "プログラムや外部の読み込みを含められます / can hold programs and outside loads",
}


def _element(tag: str) -> Finding:
    if ":" in tag and url_scheme(tag):  # <javascript:alert(1)>: an angle-bracketed "link"
        return _url_finding(tag)
    why = _ELEMENT_WHY.get(tag, "サイトで使える HTML の一覧にありません / not on the site's list of allowed HTML")
    ja, en = why.split(" / ")
    return Finding("unsafe-element", "error",
                   f"<{tag}> はページに書けません（{ja}）。公開するページからは取り除かれます。"
                   f" / <{tag}> is not allowed in a page ({en}); it would be removed from the published page.",
                   "その部分を消してください。動画や地図はリンク（[説明](https://…)）にし、見た目や動きの変更は"
                   "サイトの担当者に頼んでください。 / Delete it. Link to videos and maps instead "
                   "([text](https://…)); ask the site's maintainers for changes to looks or behaviour.")


def _attribute(tag: str, attribute: str) -> Finding:
    if attribute.startswith("on"):
        ja, en = "クリックなどで動くプログラムです", "it runs a program on a click or similar event"
    elif attribute == "style":
        ja, en = ("見た目を直接変え、ページの上に重ねて表示することもできます",
                  "it restyles the element and can lay it over the page")
    else:
        ja, en = "サイトで使える属性の一覧にありません", "not on the site's list of allowed attributes"
    return Finding("unsafe-attribute", "error",
                   f"<{tag}> の {attribute}= は書けません（{ja}）。 / {attribute}= on <{tag}> is not allowed ({en}).",
                   f"{attribute}=\"…\" の部分を消してください。見た目や動きが必要なときはサイトの担当者に頼んでください。"
                   f" / Delete {attribute}=\"…\"; ask the site's maintainers if the page needs it.")


def _url_finding(url: str) -> Finding:
    scheme = url_scheme(url) or "?"
    shown = url if len(url) <= 60 else url[:57] + "…"
    return Finding("unsafe-url", "error",
                   f"「{shown}」は使えないアドレスです（{scheme}: はプログラムの実行やファイルの埋め込みに使われます）。"
                   f" / \"{shown}\" is not an allowed address ({scheme}: can run a program or embed a file).",
                   "リンクや画像は https://…、mailto:…、tel:… か、サイトの中のページ（plan/index.md など）にしてください。"
                   " / Use https://…, mailto:…, tel:… or a page of this site (e.g. plan/index.md).")


def _http_finding(url: str) -> Finding:
    return Finding("http-link", "warning",
                   f"「{url}」は http:// のアドレスです。通信が暗号化されず、途中で書き換えられるおそれがあります。"
                   f" / \"{url}\" is an http:// address: not encrypted, it can be altered on the way.",
                   "相手のサイトが https:// に対応していれば、https:// に書き換えてください。"
                   " / If the site supports https://, use https:// instead.")


class _Walker(HTMLParser):
    """Every element, attribute and address in the HTML, checked against the lists above."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.findings: list[Finding] = []
        self.elements: list[tuple[str, tuple]] = []  # what should be left, to compare with nh3's output
        self._skip: list[str] = []  # inside a tag removed with its content

    def handle_starttag(self, tag, attrs):
        self._start(tag, attrs)
        if tag in CONTENT_REMOVED:
            self._skip.append(tag)

    def handle_startendtag(self, tag, attrs):
        self._start(tag, attrs)

    def handle_comment(self, data):
        # The engine marks each page's content with these comments for the finish stage
        # (scripts/finish/pages.py); one written in a page would move where its content ends.
        if not self._skip and data.strip().startswith(("finish:", "/finish:")):
            self.findings.append(Finding(
                "unsafe-element", "error",
                f"<!--{data}--> はビルドが使う印なので、ページには書けません。 / <!--{data}--> is a mark the "
                "build uses; a page may not contain it.",
                "その HTML コメントを消してください。 / Delete that HTML comment."))

    def handle_endtag(self, tag):
        if self._skip and self._skip[-1] == tag:
            self._skip.pop()

    def _start(self, tag, attrs):
        if self._skip:
            return
        if tag not in TAGS:
            self.findings.append(_element(tag))
            return
        kept = []
        for name, value in attrs:
            value = value or ""
            allowed = (name in ATTRIBUTES["*"] or name in ATTRIBUTES.get(tag, ())
                       or any(name.startswith(p) for p in ATTRIBUTE_PREFIXES)
                       or value in TAG_ATTRIBUTE_VALUES.get(tag, {}).get(name, ()))
            if not allowed:
                self.findings.append(_attribute(tag, name))
                continue
            if name in URL_ATTRIBUTES:
                bad = [u for u in _urls(name, value) if url_scheme(u) not in (None, *URL_SCHEMES)]
                if bad:
                    self.findings.append(_url_finding(bad[0]))
                    continue
                for u in _urls(name, value):
                    if url_scheme(u) == "http":
                        self.findings.append(_http_finding(u))
            kept.append((name, value))
        self.elements.append((tag, tuple(sorted(kept))))


def _elements(html: str) -> list[tuple[str, tuple]]:
    walker = _Walker()
    walker.feed(html)
    walker.close()
    return walker.elements


def inspect(html: str) -> tuple[str, list[Finding]]:
    """(the sanitized HTML, what was removed or is worth a warning)."""
    walker = _Walker()
    walker.feed(html)
    walker.close()
    cleaned = clean(html)
    findings = walker.findings
    if not any(f.severity == "error" for f in findings) and walker.elements != _elements(cleaned):
        # nh3 removed something our walk did not see: never publish a change without a word.
        before, after = walker.elements, _elements(cleaned)
        first = next((b for b, a in zip(before, after) if b != a), before[len(after)] if len(before) > len(after) else None)
        tag = first[0] if first else "?"
        findings = findings + [Finding(
            "unsafe-element", "error",
            f"<{tag}> の書き方は安全に公開できません。 / The markup of <{tag}> cannot be published safely.",
            "その HTML を消すか、Markdown の書き方にしてください。 / Delete that HTML or write it in Markdown.")]
    return cleaned, findings


# --------------------------------------------------------------------------- Markdown, as the build renders it

def _markdown_config(config_file: str) -> tuple[list, dict]:
    """The Markdown extensions and their settings from mkdocs.yml: one list for the build and the check."""
    from scripts.lint.anchors import markdown_extensions

    return markdown_extensions(Path(config_file))


def render_markdown(text: str, config_file: str | Path | None = None) -> str:
    import markdown

    from scripts import ROOT

    extensions, configs = _markdown_config(str(config_file or ROOT / "mkdocs.yml"))
    return markdown.Markdown(extensions=extensions, extension_configs=configs).convert(text)


def _body(text: str) -> tuple[str, int]:
    """The Markdown body without front matter, and the line number of its first line."""
    text = text.lstrip("\ufeff").replace("\r\n", "\n")
    m = re.match(r"^---[ \t]*\n.*?\n(?:---|\.\.\.)[ \t]*(?:\n|$)", text, re.S)
    if not m:
        return text, 1
    return text[m.end():], text[:m.end()].count("\n") + 1


def _line_of(finding: Finding, occurrence: int, body: str, first_line: int, render: Callable[[str], str]) -> int | None:
    """The source line of the n-th finding like this one: the first line at which the page, rendered
    up to that line, has it n times. Exact for every form (entities, autolinks, a reference
    definition below its use) without guessing from the text; only run when something is found."""
    lines = body.split("\n")
    key = (finding.rule, finding.message)

    def present(count: int) -> bool:
        found = inspect(render("\n".join(lines[:count])))[1]
        return sum((f.rule, f.message) == key for f in found) >= occurrence

    if not present(len(lines)):
        return None  # not from the page's own text (for example from data/ through a marker)
    count = bisect.bisect_left(range(len(lines) + 1), True, key=present)
    return first_line + count - 1 if count else None


def problems_for(findings: Iterable[Finding], file: str, body: str, first_line: int,
                 render: Callable[[str], str]) -> list[Problem]:
    out, seen = [], {}
    for f in findings:
        key = (f.rule, f.message)
        seen[key] = seen.get(key, 0) + 1
        line = _line_of(f, seen[key], body, first_line, render)
        out.append(Problem(rule=f.rule, severity=f.severity, file=file, line=line, message=f.message, fix=f.fix))
    return out


def check_source(text: str, file: str, config_file: str | Path | None = None) -> list[Problem]:
    """`make check`: render the page's Markdown as the build does and report what the sanitizer would remove."""
    body, first_line = _body(text)
    render = functools.partial(render_markdown, config_file=config_file)
    _, findings = inspect(render(body))
    return problems_for(findings, file, body, first_line, render)


# --------------------------------------------------------------------------- the build

class Generated:
    """HTML that our own modules write into a page (the lesson finder's form and its script)
    is set aside before sanitizing and put back after: fenced with markers that hold a
    secret made for this build, which no page can know."""

    def __init__(self):
        self.secret = secrets.token_hex(12)

    def fence(self, markdown: str, marker: str) -> str:
        """Around a marker that our code replaces with HTML (before it does so), on a line of its own."""
        return re.sub(rf"^{re.escape(marker)}[ \t]*$",
                      f"<!--generated:{self.secret}-->\n\n{marker}\n\n<!--/generated:{self.secret}-->",
                      markdown, flags=re.M)

    def split(self, html: str) -> tuple[str, list[str]]:
        kept: list[str] = []
        pattern = re.compile(rf"<!--generated:{self.secret}-->\n?(.*?)\n?<!--/generated:{self.secret}-->", re.S)

        def keep(m):
            kept.append(m.group(1))
            return f"<!--kept:{self.secret}:{len(kept) - 1}-->"

        return pattern.sub(keep, html), kept

    def join(self, html: str, kept: list[str]) -> str:
        return re.sub(rf"<!--kept:{self.secret}:(\d+)-->", lambda m: kept[int(m.group(1))], html)


GENERATED = Generated()


def page_content(html: str, source: Path | str, warn: Callable[[Problem], None] | None = None,
                 config_file: str | Path | None = None) -> str:
    """The build (on_page_content): the sanitized page. Errors stop the build (ContentError with
    the file and line in the Markdown source); warnings go to `warn`."""
    rest, kept = GENERATED.split(html)
    cleaned, findings = inspect(rest)
    if not findings:
        return GENERATED.join(cleaned, kept)
    source = Path(source)
    try:
        body, first_line = _body(source.read_text(encoding="utf-8-sig"))
    except OSError:
        body, first_line = "", 1
    problems = problems_for(findings, relative(source), body, first_line,
                            functools.partial(render_markdown, config_file=config_file))
    from scripts.lint import raise_errors

    raise_errors(problems)  # a ContentError with the lint's labels: the hooks show it without a traceback
    for p in problems:
        if warn:
            warn(p)
    return GENERATED.join(cleaned, kept)
