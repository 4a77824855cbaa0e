"""The facts registry: every number the site states comes from data/facts.yml.

Pages write [[fact:ID]] where a number goes; the build replaces it with the
value formatted for the page's language (Babel, via scripts/formats.py) and a
footnote naming the plan section it comes from. [[chart:ID]] on a line of its
own inserts a chart drawn from the same facts (scripts/charts.py).

This module knows nothing about MkDocs: `render()` takes Markdown text and
returns Markdown text, so any other engine can call it.
"""
from __future__ import annotations

import datetime as dt
import functools
import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path


from scripts import datafiles
from scripts import ROOT, formats, languages
from scripts import catalogs
from scripts.catalogs import N_, gettext
from scripts.problems import ContentError, Problem, relative

FACTS_FILE = ROOT / "data" / "facts.yml"
FORMATS = ("number", "compact", "share", "year", "month", "fiscal-year")
PLACEHOLDER = re.compile(r"\[\[(fact|chart):([^\]\s]*)\]\]")
DOCUMENT = N_("Draft outline of the new MLIT Technology Basic Plan")  # its title in each language: the catalogs


@dataclass(frozen=True)
class ExternalSource:
    """A source other than the outline (dates that place it in time): a title per language and an address."""
    title: dict[str, str]
    url: str = ""


@dataclass(frozen=True)
class Fact:
    id: str
    value: float | int | str
    format: str
    source: str
    label: dict[str, str]
    approx: bool = False
    unit: dict[str, str] = field(default_factory=dict)
    template: dict[str, str] = field(default_factory=dict)
    line: int = 0  # where it is defined in data/facts.yml
    external: ExternalSource | None = None  # set when `source` is not a section of the outline

    @property
    def number(self) -> float:
        """The value as a number, for charts (months become fractional years)."""
        if self.format == "month":
            year, month = str(self.value).split("-")
            return int(year) + (int(month) - 1) / 12
        return float(self.value)


def _problem(message: str, fix: str, line: int | None, path: Path) -> Problem:
    return Problem(rule="bad-fact", severity="error", file=relative(path), line=line, message=message, fix=fix)


def load_registry(path: Path = FACTS_FILE) -> dict[str, Fact]:
    """Read and check data/facts.yml; every problem names its line."""
    return _load_cached(path, path.stat().st_mtime_ns)


@functools.lru_cache(maxsize=8)
def _load_cached(path: Path, _mtime: int) -> dict[str, Fact]:
    text = path.read_text(encoding="utf-8")
    data, root = datafiles.parse(text, path, "bad-fact")
    lines = {key.value: key.start_mark.line + 1 for key, _ in (root.value if root else [])}
    problems, registry = [], {}
    # Labels (and outside titles) in every language the facts are written in.
    langs = languages.written_in(key for spec in data.values() if isinstance(spec, dict)
                                 and isinstance(spec.get("label"), dict) for key in spec["label"])
    for fact_id, spec in data.items():
        line = lines.get(fact_id)
        if not isinstance(spec, dict):
            problems.append(_problem(f"fact '{fact_id}' is not a mapping.", "indent its fields under the id.", line, path))
            continue
        missing = [k for k in ("value", "format", "source", "label") if not spec.get(k)]
        if missing:
            problems.append(_problem(f"fact '{fact_id}' has no {', '.join(missing)}.",
                                     "every fact needs value, format, source (the plan section) and label.", line, path))
            continue
        if spec["format"] not in FORMATS:
            problems.append(_problem(f"fact '{fact_id}' has format '{spec['format']}'.",
                                     f"use one of: {', '.join(FORMATS)}.", line, path))
            continue
        external = None
        if isinstance(spec["source"], dict):  # an external source: {title: {ja, en}, url}
            titles = spec["source"].get("title") if isinstance(spec["source"].get("title"), dict) else {}
            url = str(spec["source"].get("url") or "")
            if any(not titles.get(lang) for lang in langs) or (url and not url.startswith("https://")):
                problems.append(_problem(f"fact '{fact_id}': an outside source needs a title in every language "
                                         f"({', '.join(langs)}) "
                                         "and, if it has one, an https:// address.",
                                         "write source: {title: {ja: …, en: …}, url: https://…}.", line, path))
                continue
            external = ExternalSource(title={k: str(v) for k, v in titles.items()}, url=url)
        labels = spec["label"] if isinstance(spec["label"], dict) else {}
        if any(not labels.get(lang) for lang in langs):
            problems.append(_problem(f"fact '{fact_id}' needs a label in every language ({', '.join(langs)}).",
                                     "add label: {ja: …, en: …}.", line, path))
            continue
        if spec["format"] == "month" and not re.fullmatch(r"\d{4}-\d{2}", str(spec["value"])):
            problems.append(_problem(f"fact '{fact_id}': a month is written \"YYYY-MM\" in quotes.",
                                     "write e.g. value: \"2018-07\".", line, path))
            continue
        registry[fact_id] = Fact(
            id=fact_id, value=spec["value"], format=spec["format"], source="" if external else str(spec["source"]),
            label=labels, approx=bool(spec.get("approx")), unit=spec.get("unit") or {},
            template=spec.get("template") or {}, line=line or 0, external=external,
        )
    if problems:
        raise ContentError(problems)
    return registry


def format_value(fact: Fact, lang: str) -> str:
    """The bare number for a language: 1億 / 100 million, 約 not included."""
    value = fact.value
    if fact.format == "month":
        year, month = (int(part) for part in str(value).split("-"))
        return formats.format_month(dt.date(year, month, 1), lang)
    number = abs(float(value))
    if fact.format == "year":
        return str(int(number))
    if fact.format == "fiscal-year":  # 2022年度 / FY2022
        _ = gettext(lang)
        return _("FY%(year)d") % {"year": int(number)}
    if fact.format == "compact":
        return formats.format_compact(number, lang)
    if fact.format == "share":
        return formats.format_share_words(number, lang)
    return formats.format_number(int(number) if number.is_integer() else number, lang)


def format_fact(fact: Fact, lang: str) -> str:
    """The number as a reader sees it: 約1億人 / about 100 million people."""
    value = format_value(fact, lang)
    template = fact.template.get(lang)
    if template:
        text = template.replace("{value}", value)
    else:
        unit = fact.unit.get(lang, "")
        text = value + (languages.get(lang).space + unit if unit else "")
    if fact.approx:
        _ = gettext(lang)
        text = _("about %(value)s") % {"value": text}
    return text


def source_text(fact: Fact, lang: str, link: bool = False) -> str:
    """出典：新たな国土交通省技術基本計画骨子（案） 第1章 1.(2)③ / Source: … Chapter 1, 1.(2)③.

    An outside source shows its title and address; `link` writes it as a Markdown link (pages),
    otherwise the address is written out (printouts)."""
    _ = gettext(lang)
    if fact.external:
        title, url = fact.external.title[lang], fact.external.url
        cited = (f"[{title}]({url})" if link else title + languages.get(lang).brackets(url)) if url else title
        return _("Source: %(cited)s. %(label)s.") % {"cited": cited, "label": fact.label[lang]}
    return _("Source: %(document)s (Document 1-2), %(sections)s. %(label)s.") % {
        "document": _(DOCUMENT), "sections": section_name(fact.source, lang), "label": fact.label[lang]}


def section_name(section: str, lang: str) -> str:
    """A section of the outline: 第1章 1.(2)③ as written in the source language; Chapter 1, 1.(2)③ in others."""
    if languages.is_source(lang):
        return section
    _ = gettext(lang)
    section = section.replace("前文", _("Preamble"))
    return re.sub(r"第(\d+)章\s*", lambda m: _("Chapter %(number)s, ") % {"number": m.group(1)}, section).rstrip(", ")


def source_line(sections, lang: str) -> str:
    """One short source line for a chart or slide: the outline and its sections, each once."""
    _, pgettext = gettext(lang), catalogs.pgettext(lang)
    names = [section_name(s, lang) for s in dict.fromkeys(sections)]
    separator = pgettext("between sections", "; ")
    return _("Source: %(document)s (Document 1-2), %(sections)s") % {"document": _(DOCUMENT), "sections": separator.join(names)}


# The context facts that place the undated outline in time (data/facts.yml, end).
FRAMING = {"compiled": "outline-compiled", "adopted": "final-plan-adopted",
           "first_year": "final-plan-first-year", "last_year": "final-plan-last-year"}


def framing(lang: str, registry: dict[str, Fact] | None = None) -> dict[str, str]:
    """The framing dates as a reader sees them, and the final plan's page, for templates and
    printouts: {"compiled": "2021年9月", "adopted": "2022年4月", "first_year": …, "last_year": …,
    "plan_url": …}."""
    registry = registry or load_registry()
    out = {key: format_fact(registry[ident], lang) for key, ident in FRAMING.items()}
    out["plan_url"] = registry[FRAMING["adopted"]].external.url
    return out


def find_problems(markdown: str, path: Path | str, registry: dict[str, Fact], chart_ids: set[str]) -> list[Problem]:
    """Unknown [[fact:…]] and [[chart:…]] ids, each with its line."""
    problems = []
    for number, line in enumerate(markdown.splitlines(), start=1):
        for match in PLACEHOLDER.finditer(line):
            kind, ident = match.groups()
            known = registry if kind == "fact" else chart_ids
            if ident not in known:
                data_file = "data/facts.yml" if kind == "fact" else "data/charts.yml"
                what = "数字" if kind == "fact" else "グラフ"
                guess = difflib.get_close_matches(ident, sorted(known), n=1, cutoff=0.6)
                hint = (f"「{guess[0]}」のことですか？ " if guess else "")
                problems.append(Problem(
                    rule="unknown-fact" if kind == "fact" else "unknown-chart", severity="error",
                    file=relative(path) if isinstance(path, Path) else path, line=number,
                    message=f"{what}「[[{kind}:{ident}]]」は {data_file} にありません。 / There is no {kind} called '{ident}' "
                            f"in {data_file}.",
                    fix=f"{hint}{data_file} にある id を使うか、計画のどこにあるか（source）と一緒に追加してください。"
                        f" / {('Did you mean ' + repr(guess[0]) + '? ') if guess else ''}Use an id defined in "
                        f"{data_file}, or add it there with its plan section.",
                ))
            elif kind == "chart" and line.strip() != match.group(0):
                problems.append(Problem(
                    rule="chart-not-alone", severity="error", file=relative(path) if isinstance(path, Path) else path,
                    line=number, message=f"[[chart:{ident}]] は、1行にそれだけを書きます。 / [[chart:{ident}]] must be "
                                         "on a line of its own.",
                    fix="グラフの前後を空行にして、[[chart:…]] だけの行にしてください。 / Put the chart placeholder on its "
                        "own line with a blank line before and after it.",
                ))
    return problems


def render(markdown: str, lang: str, path: Path | str, registry: dict[str, Fact], chart_html=None,
           chart_ids: set[str] = frozenset()) -> str:
    """Replace placeholders; add one footnote per fact used, naming its source."""
    problems = find_problems(markdown, path, registry, set(chart_ids))
    if problems:
        raise ContentError(problems)
    used: list[str] = []

    def replace(match: re.Match) -> str:
        kind, ident = match.groups()
        if kind == "chart":
            return chart_html(ident) if chart_html else ""
        if ident not in used:
            used.append(ident)
        return f'<span class="fact" data-fact="{ident}">{format_fact(registry[ident], lang)}</span>[^fact-{ident}]'

    out = PLACEHOLDER.sub(replace, markdown)
    if used:
        notes = "\n".join(f"[^fact-{ident}]: {source_text(registry[ident], lang, link=True)}" for ident in used)
        out = out.rstrip("\n") + "\n\n" + notes + "\n"
    return out
