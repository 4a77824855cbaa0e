"""Plain-language figures for a page, by its language's writing system (extra.languages `script`).

Where words are not spaced, length is counted in characters, else in words.
Japanese (Jpan): sentence length in characters (mean ≤ 40, none over 60), kanji share
of characters (20–35%), and the share of sentences in です・ます form.
Latin script (English): words per sentence (mean ≤ 20, none over 35) and Flesch–Kincaid grade
(≤ 9, textstat). Headings, tables, code, link targets, HTML tags and footnotes
are not prose and are left out; [[fact:ID]] counts as its rendered words.
"""
from __future__ import annotations

import re
import statistics
from dataclasses import dataclass, field
from pathlib import Path

from scripts import facts, languages

LIMITS = {
    "characters": {"mean": 40, "max": 60},
    "words": {"mean": 20, "max": 35},
    "Jpan": {"kanji_min": 0.20, "kanji_max": 0.35, "polite_min": 0.85},  # kanji share, です・ます
    "Latn": {"grade": 9.0},  # Flesch–Kincaid
}


def _counts_characters(lang: str) -> bool:
    return languages.get(lang).counts_characters


def _script(lang: str) -> str:
    return languages.get(lang).script


def measured(lang: str) -> bool:
    """Has this language's writing system plain-language rules here (its own limits above)?"""
    return lang in languages.codes() and _script(lang) in LIMITS
KANJI = re.compile(r"[\u4e00-\u9fff\u3400-\u4dbf々〆]")
POLITE = re.compile(r"(です|ます|でした|ました|ません|でしょう|ください|ましょう|ませんか|ですか|ますか|ですね|ますね|ですよ|ますよ)[。！？!?」）]*$")
JA_END = re.compile(r"(?<=[。！？!?])")
EN_END = re.compile(r"(?<=[.!?])[\"'”’)]*\s+(?=[A-Z0-9\"“‘(])")


@dataclass
class Figures:
    path: str
    lang: str
    sentences: list[str] = field(default_factory=list)
    mean: float = 0.0
    max: int = 0
    longest: str = ""
    kanji_share: float = 0.0
    polite_share: float = 1.0
    grade: float = 0.0

    def problems(self) -> list[str]:
        """Hard limits crossed, in words staff can act on."""
        out = []
        if not self.sentences:
            return out
        unit, tan = ("characters", "文字") if _counts_characters(self.lang) else ("words", "語")
        limit = {**LIMITS[unit], **LIMITS.get(_script(self.lang), {})}
        if self.max > limit["max"]:
            out.append(f"{self.max} {tan}の文があります（{limit['max']} {tan}まで）：「{self.longest[:70]}」 / "
                       f"a sentence has {self.max} {unit} (limit {limit['max']})")
        if self.mean > limit["mean"]:
            out.append(f"文の長さが平均 {self.mean:.1f} {tan}です（{limit['mean']} {tan}まで） / "
                       f"sentences average {self.mean:.1f} {unit} (limit {limit['mean']})")
        if _script(self.lang) == "Jpan":
            if not limit["kanji_min"] <= self.kanji_share <= limit["kanji_max"]:
                out.append(f"漢字が文字の {self.kanji_share:.0%} です（20〜35% が目安） / "
                           f"kanji are {self.kanji_share:.0%} of characters (aim for 20–35%)")
            if self.polite_share < limit["polite_min"]:
                out.append(f"です・ます で終わる文が {self.polite_share:.0%} だけです（すべてが目安） / "
                           f"only {self.polite_share:.0%} of sentences end in です・ます (aim for all)")
        elif _script(self.lang) == "Latn" and self.grade > limit["grade"]:
            out.append(f"英文の読みやすさ（Flesch–Kincaid）が {self.grade:.1f} 年生相当です（{limit['grade']:.0f} まで） / "
                       f"Flesch–Kincaid grade {self.grade:.1f} (limit {limit['grade']:.0f})")
        return out


def prose(markdown: str, lang: str, registry: dict[str, facts.Fact] | None = None) -> list[str]:
    """The page's running text as units (paragraphs and list items)."""
    registry = registry if registry is not None else facts.load_registry()
    text = re.sub(r"\A---\n.*?\n---\n", "", markdown, flags=re.S)
    text = re.sub(r"```.*?```", "", text, flags=re.S)
    text = re.sub(r"\[\[fact:([^\]]+)\]\]",
                  lambda m: facts.format_fact(registry[m.group(1)], lang) if m.group(1) in registry else "", text)
    text = re.sub(r"\[\[[^\]]*\]\]", "", text)
    text = re.sub(r"<!--.*?-->", "", text, flags=re.S)
    text = re.sub(r"</?[a-zA-Z][^>]*>", "", text)
    text = re.sub(r"!\[[^\]]*\]\([^)]*\)(\{[^}]*\})?", "", text)
    text = re.sub(r"\[([^\]]+)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"\[\^[^\]]+\]", "", text)
    text = re.sub(r"\{[#.][^}]*\}", "", text)
    text = re.sub(r"[*_`]", "", text)
    units = []
    for block in re.split(r"\n\s*\n", text):
        lines = [line for line in block.splitlines() if line.strip()]
        if not lines or lines[0].lstrip().startswith(("#", "|", "[^", ":::", "!!!", "???")):
            continue
        current: list[str] = []
        for line in lines:
            stripped = line.strip()
            item = re.match(r"^([-*+]|\d+\.)\s+(.*)", stripped)
            if item:
                if current:
                    units.append(current)
                current = [item.group(2)]
            elif stripped.startswith(("|", "#")):
                continue
            else:
                current.append(stripped)
        if current:
            units.append(current)
    joiner = languages.get(lang).space  # a line break is no space where words are not spaced
    return [joiner.join(unit).strip() for unit in units if joiner.join(unit).strip()]


def sentences(units: list[str], lang: str) -> list[str]:
    out = []
    for unit in units:
        parts = JA_END.split(unit) if languages.get(lang).full_width else EN_END.split(unit)
        out += [p.strip() for p in parts if p.strip() and re.search(r"\w", p)]
    return out


def measure(markdown: str, lang: str, path: str = "") -> Figures:
    units = prose(markdown, lang)
    found = sentences(units, lang)
    figures = Figures(path=path, lang=lang, sentences=found)
    if not found:
        return figures
    if _counts_characters(lang):
        lengths = [len(re.sub(r"\s", "", s)) for s in found]
    else:
        lengths = [len(re.findall(r"[A-Za-z0-9][\w'’-]*", s)) for s in found]
    if _script(lang) == "Jpan":
        chars = re.sub(r"\s", "", "".join(found))
        figures.kanji_share = len(KANJI.findall(chars)) / max(len(chars), 1)
        full = [s for s in found if s.endswith(("。", "？", "！", "?", "!"))]
        figures.polite_share = (sum(1 for s in full if POLITE.search(s)) / len(full)) if full else 1.0
    elif _script(lang) == "Latn":
        import textstat

        figures.grade = textstat.flesch_kincaid_grade(" ".join(s if s[-1] in ".!?" else s + "." for s in found))
    figures.mean = statistics.fmean(lengths)
    figures.max = max(lengths)
    figures.longest = found[lengths.index(figures.max)]
    return figures


def measure_file(path: Path, lang: str | None = None) -> Figures:
    if not lang:  # docs/<code>/…: the language is the folder
        found = [part for part in path.as_posix().split("/")[:-1] if part in languages.codes()]
        lang = found[0] if found else languages.source().code
    return measure(path.read_text(encoding="utf-8"), lang, path.as_posix())


def table(rows: list[Figures]) -> str:
    lines = [f"{'page':48} {'lang':4} {'sent':>4} {'mean':>5} {'max':>4} {'kanji':>6} {'polite':>6} {'grade':>5}  limits"]
    for f in rows:
        japanese, latin = _script(f.lang) == "Jpan", _script(f.lang) == "Latn"
        kanji = f"{f.kanji_share:.0%}" if japanese else "-"
        polite = f"{f.polite_share:.0%}" if japanese else "-"
        grade = f"{f.grade:.1f}" if latin else "-"
        status = "; ".join(f.problems()) or "ok"
        lines.append(f"{f.path[-48:]:48} {f.lang:4} {len(f.sentences):>4} {f.mean:>5.1f} {f.max:>4} {kanji:>6} {polite:>6} {grade:>5}  {status}")
    return "\n".join(lines)
