"""The values templates read for each page, worked out before the engine renders it.

Templates only read these values (and gettext strings); they call no Python.
Zensical's MiniJinja cannot call Python functions, so this is what keeps the
overrides portable (issue 17). Every value is plain data: dicts, lists,
strings and booleans.

    page.meta["site"] = {     # the first four come from the staged docs' front matter (scripts/stage.py)
        "alternates": [{"language": {"code", "name"}, "url", "href", "exists", "current"}, …],
        "fallback": bool,        # served untranslated, as the source-language page
        "notice": None | {"kind": "stale"|"fallback", "changed": "2026-11-29", "changed_text": "…",
                          "original": {"href", "code"}},
        "updated": None | {"date": "2026-11-29", "text": "2026年11月29日"},
        "feedback": {"mail": "mailto:…" | "", "issue": "https://…/issues/new?…" | ""},
        "card": {og:/twitter: values: "title", "description", "url", "image", …},   # scripts/cards.py
        "finish": {"src", "lang", "url", "canonical", "glossary", "furigana",   # for the finish stage
                   "search": None | {"title", "description"}, "card": {"title", "description"},
                   "feed": None | {feed item values}},                          # (scripts/finish)
    }

The "finish" values travel in the engine's HTML (overrides/partials/page-content.html
writes them beside the page's content) to the finish stage, which removes them.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from scripts import ROOT, cards, facts, feeds, formats, git_dates, languages, news, publisher, translations
from scripts.problems import relative
from scripts.catalogs import N_

# The front-matter key of the values the staged docs carry (scripts/stage.py), and which they are.
STAGED_KEY = "site"
# publisher and framing are the same on every page (the status notice, footer and feedback read them).
FILE_VALUES = ("alternates", "fallback", "notice", "updated", "publisher", "framing")
# The feedback link's pre-filled e-mail subject and body (gettext: locales/).
ABOUT_A_PAGE = N_("About a page: ")
PAGE = N_("Page: ")


@dataclass
class PageData:
    """One language build's view: its languages, where the docs are, the translation report."""
    language: languages.Language
    all_languages: list[languages.Language]
    docs_root: Path  # docs/ (each language is docs/<code>/)
    root_url: str  # the site's address, ending in /
    docs_dir: str  # this build's docs folder (a fallback page's file lies in another)
    report: translations.Report | None = None
    publisher: publisher.Publisher | None = None
    ui: Callable[[str], str] = str  # this language's gettext
    site_name: str = ""
    site_description: str = ""
    site_url: str = ""  # this language's address (…/en/)
    posts: tuple = ()  # the news posts the blog publishes in this build (their pages feed the feeds)
    _order: int = 0  # pages in the engine's order: the search index keeps it
    _fallbacks: dict[str, list[str]] = field(default_factory=dict)
    _site_wide: dict | None = None

    def __post_init__(self):
        if self.report is not None:
            self._fallbacks = {other.code: self.report.fallbacks(other.code) for other in self.all_languages[1:]}

    def alternates(self, src_uri: str | None, url: str = "", generated: bool = False) -> list[dict]:
        """This page in every language; without a file (404.html), the homes."""
        if src_uri is None:
            alts = languages.alternates("index.md", "", self.language, self.all_languages, self.docs_root, self.root_url)
        else:
            alts = languages.alternates(src_uri, url, self.language, self.all_languages, self.docs_root,
                                        self.root_url, self._fallbacks)
            # News posts and archive/category pages without a counterpart lead to that language's news.
            alts = news.adapt_alternates(alts, src_uri, url, self.language.path, self.docs_root, self.root_url,
                                         generated)
        return [{"language": {"code": a.language.code, "name": a.language.name}, "url": a.url, "href": a.href,
                 "exists": a.exists, "current": a.language.code == self.language.code} for a in alts]

    def is_fallback(self, file) -> bool:
        return translations.is_fallback(file, self.docs_root / self.all_languages[0].code, self.docs_dir)

    def date(self, iso: str | None) -> dict | None:
        if not iso:
            return None
        return {"date": str(iso), "text": formats.format_date(str(iso), self.language.code, "long")}

    def file_values(self, src_uri: str, url: str, fallback: bool, updated: str | None,
                    generated: bool = False) -> dict:
        """The values that follow from the files alone (language alternates, translation notice,
        last-updated date): the staged docs carry them in each page's front matter (scripts/stage.py);
        pages the engine makes (the blog's lists, 404.html) get them here."""
        alternates = self.alternates(src_uri, url, generated)
        notice = None
        found = translations.notice(self.report, self.language.code, src_uri, fallback)
        if found is not None:
            original = alternates[0]
            changed = found.changed.isoformat() if found.changed else None
            notice = {"kind": found.kind, "changed": changed,
                      "changed_text": self.date(changed)["text"] if changed else None,
                      "original": {"href": original["href"], "code": original["language"]["code"]}}
        return {"alternates": alternates, "fallback": fallback, "notice": notice, "updated": self.date(updated),
                **self.site_wide()}

    def site_wide(self) -> dict:
        """Who publishes the site (scripts/publisher.py) and the plan's dates and page (the facts
        registry): what the status notice, the footer and the feedback links say on every page."""
        if self._site_wide is None:
            code = self.language.code
            self._site_wide = {"publisher": self.publisher.view(code) if self.publisher else None,
                               "framing": facts.framing(code)}
        return self._site_wide

    def for_page(self, page) -> dict:
        """Every value of a page: its staged ones, and those that need the engine's page (title, order)."""
        file = page.file
        fallback = self.is_fallback(file)
        staged = (page.meta or {}).get(STAGED_KEY)
        if isinstance(staged, dict):
            values = {key: staged.get(key) for key in FILE_VALUES}
        else:
            generated = file.generated_by is not None
            values = self.file_values(file.src_uri, page.url, fallback, None if generated else page.update_date,
                                      generated)
        description = (page.meta or {}).get("description") or self.site_description or ""
        title = page.title or self.site_name
        return {**values,
                "feedback": self.feedback(page.canonical_url or self.root_url, page.title or ""),
                "card": cards.tags(self.site_name, self.site_url, self.language.code, page.url, title, description,
                                   page.canonical_url),
                "finish": self.finish(page, fallback, title, description)}

    def finish(self, page, fallback: bool, title: str, description: str) -> dict:
        """What the finish stage needs to know about a page that its HTML does not say."""
        file, meta = page.file, page.meta or {}
        source = Path(file.abs_src_path) if file.abs_src_path else Path(self.docs_dir) / file.src_uri
        # Pages a plugin generated (the news archive and category lists) only repeat posts
        # that are indexed themselves; a translation fallback is excluded (before_render).
        searchable = not (meta.get("search") or {}).get("exclude") and not file.generated_by
        self._order += 1
        return {
            "order": self._order,
            "src": relative(source),  # errors name this file and its lines
            "lang": (self.all_languages[0] if fallback else self.language).code,  # a fallback is the original
            "url": page.url,
            "canonical": page.canonical_url,
            "title": page.title or "",
            "description": meta.get("description") or "",
            "glossary": not file.src_uri.startswith("glossary/"),  # the glossary itself gets no pop-ups
            "furigana": meta.get("furigana"),
            "search": {"title": page.title or "", "description": meta.get("description") or ""} if searchable else None,
            "card": {"title": title, "description": description},
            "feed": feeds.post_values(page) if any(page is post for post in self.posts) else None,
        }

    def feedback(self, url: str, title: str) -> dict:
        """"Report a problem with this page": an e-mail and the new-issue page, filled in with the page."""
        pub, title = self.publisher, re.sub(r"<[^>]+>", "", title)
        if pub is None:
            return {"mail": "", "issue": ""}
        return {"mail": pub.report_mailto(url, title, self.ui(ABOUT_A_PAGE), self.ui(PAGE)),
                "issue": pub.report_issue(url, title, self.ui(PAGE))}



def before_render(page, docs_dir: str, langs: list[languages.Language], lang: languages.Language,
                  root_url: str) -> None:
    """What a page needs before the engine renders it: its last-updated date (shown on the page and
    in the sitemap: the staged value, else git's), and, for a translation fallback, no search entry
    and the original as its canonical address."""
    file = page.file
    fallback = translations.is_fallback(file, languages.docs_root(docs_dir) / langs[0].code, docs_dir)
    if file.abs_src_path and file.generated_by is None:
        updated = ((page.meta or {}).get(STAGED_KEY) or {}).get("updated")
        if updated:
            page.update_date = updated["date"]
        else:  # the page's file or the data its markers show, whichever changed last
            source = Path(file.abs_src_path).read_text(encoding="utf-8-sig")
            page.update_date = git_dates.load(ROOT).page_date(file.abs_src_path, source).isoformat()
    if fallback:
        page.meta["search"] = {**(page.meta.get("search") or {}), "exclude": True}
        page.canonical_url = root_url + langs[0].path + page.url
