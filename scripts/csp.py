"""Content-Security-Policy for every page: own origin only, and inline code only
where this page's own inline scripts and styles are hashed.

overrides/main.html writes the policy in a <meta http-equiv> early in <head>;
the build's last HTML pass (scripts/hooks.py, on_post_page and on_post_template
for 404.html) adds the sha256 of each inline script (Material's __md_scope and
anchor scripts, which differ per page, and the lesson finder's) and of each
style attribute (Markdown's table column alignment). Page content has passed
the sanitizer first (scripts/sanitize.py), so every inline script and style
left is ours.
"""
from __future__ import annotations

import base64
import hashlib
import re
from html.parser import HTMLParser

META = re.compile(r'(<meta http-equiv="Content-Security-Policy" content=")([^"]*)(")')
# Script types a browser runs; JSON and JSON-LD blocks are data, which CSP does not cover.
JS_TYPES = {"", "text/javascript", "application/javascript", "module"}


def source_hash(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii") + "'"


class _Inline(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.scripts: list[str] = []
        self.styles: list[str] = []  # <style> text and style="" values
        self._open: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        if values.get("style") is not None:
            self.styles.append(values["style"])
        if tag == "script" and "src" not in values and (values.get("type") or "").lower() in JS_TYPES:
            self._open, self._text = "script", []
        elif tag == "style":
            self._open, self._text = "style", []

    def handle_data(self, data):
        if self._open:
            self._text.append(data)

    def handle_endtag(self, tag):
        if self._open == tag:
            (self.scripts if tag == "script" else self.styles).append("".join(self._text))
            self._open = None


def inline_hashes(html: str) -> tuple[list[str], list[str]]:
    """(script hashes, style hashes) of one page, each once, in page order."""
    parser = _Inline()
    parser.feed(html)
    parser.close()
    unique = lambda items: list(dict.fromkeys(source_hash(i) for i in items))  # noqa: E731
    return unique(parser.scripts), unique(parser.styles)


def _with_sources(policy: str, directive: str, sources: list[str]) -> str:
    if not sources:
        return policy
    parts = [p.strip() for p in policy.split(";") if p.strip()]
    for i, part in enumerate(parts):
        if part.split()[0] == directive:
            parts[i] = " ".join([part, *sources])
            break
    else:
        raise ValueError(f"the Content-Security-Policy in overrides/main.html has no {directive} directive")
    return "; ".join(parts)


def apply(html: str) -> str:
    """The page with its inline scripts and styles hashed into its policy (pages without one: as they are)."""
    m = META.search(html)
    if not m:
        return html
    scripts, styles = inline_hashes(html)
    policy = _with_sources(m.group(2), "script-src", scripts)
    # 'unsafe-hashes': hashes that also allow style="" attributes with exactly these values.
    policy = _with_sources(policy, "style-src", ["'unsafe-hashes'", *styles] if styles else [])
    return html[:m.start(2)] + policy + html[m.end(2):]


def policy_of(html: str) -> str | None:
    m = META.search(html)
    return m.group(2) if m else None
