"""Rules whose checks live in the module that owns the data: the rest of the one
registry (scripts/lint/__init__.py, RULES). Page and site rules are registered
next to their checks in scripts/lint/rules.py.

Each line: id, severity, what it checks in Japanese and English, the module
that raises it. A module that raises a new rule id adds it here;
tests/test_lint.py fails on an emitted id that is missing.
"""
from __future__ import annotations

from scripts.lint import owned

# --------------------------------------------------------------------------- source files (scripts/sources.py)
SOURCES = "scripts/sources.py"
owned("file-name", "error", "ファイル名やフォルダー名に空白・日本語・大文字がある（アドレスに使えない）",
      "a file or folder name is not plain lowercase ASCII (it becomes part of a web address)", SOURCES)
owned("not-utf8", "error", "ファイルが UTF-8 で保存されていない", "a file is not saved as UTF-8", SOURCES)
owned("front-matter", "error", "front matter（--- で囲んだ設定）が YAML として読めない",
      "the front matter is not valid YAML or not closed", SOURCES)
owned("front-matter-type", "error", "title や description が文字列でない", "title or description is not plain text",
      SOURCES)
owned("duplicate-url", "error", "二つのページが同じアドレスで公開される", "two pages would be published at the same address",
      SOURCES)
owned("symlink-outside", "error", "docs/ か data/ のシンボリックリンクがリポジトリの外を指している",
      "a symbolic link under docs/ or data/ points outside the repository", SOURCES)
owned("control-character", "error", "ページに NUL などの制御文字がある（見えない文字）",
      "a page contains NUL or another control character", SOURCES)

# --------------------------------------------------------------------------- settings and UI strings
owned("config", "error", "mkdocs.yml などの設定ファイルが読めない、または知らない設定名がある",
      "a settings file (mkdocs.yml) cannot be read or has an unknown setting", "scripts/build.py")
owned("nav-missing-page", "error", "mkdocs.yml の nav: にあるページがない", "a nav: entry names a page that does not exist",
      "scripts/lint/rules.py")
CATALOGS = "scripts/catalogs.py"
owned("missing-catalog", "error", "画面の文言の翻訳ファイル（.po）がない", "a UI string catalog (.po) is missing", CATALOGS)
owned("broken-catalog", "error", "翻訳ファイル（.po）が読めない", "a UI string catalog (.po) cannot be read", CATALOGS)
owned("untranslated-ui-string", "error", "画面の文言に翻訳がない", "a UI string has no translation", CATALOGS)
owned("fuzzy-ui-string", "error", "画面の文言の翻訳が fuzzy（古いかもしれない）のまま",
      "a UI string translation is marked fuzzy", CATALOGS)

# --------------------------------------------------------------------------- translations (scripts/translations.py)
# The default severity; data/translation-policy.yml may make a rule fail (error) or warn.
TRANSLATIONS = "scripts/translations.py"
owned("missing-translation", "error", "ページがもう一方の言語にない", "a page has no version in another language",
      TRANSLATIONS)
owned("orphaned-translation", "error", "翻訳のもとになるページがない", "a translated page has no original", TRANSLATIONS)
owned("stale-translation", "warning", "もとのページが変わったあと、翻訳が見直されていない",
      "the original changed after the translation was last reviewed", TRANSLATIONS)
owned("terminology", "warning", "用語集の訳語が翻訳で使われていない",
      "a translation does not use the glossary's term", TRANSLATIONS)
owned("translation-policy", "error", "data/translation-policy.yml が読めない",
      "data/translation-policy.yml is missing or invalid", TRANSLATIONS)
owned("mark-reviewed", "error", "make reviewed の対象のファイルが正しくない",
      "the file given to make reviewed cannot be marked", TRANSLATIONS)

# --------------------------------------------------------------------------- data files
owned("bad-fact", "error", "data/facts.yml の数字の書き方がちがう", "an entry of data/facts.yml is invalid",
      "scripts/facts.py")
owned("unknown-chart", "error", "[[chart:ID]] の ID が data/charts.yml にない",
      "[[chart:ID]] names no chart in data/charts.yml", "scripts/facts.py")
owned("chart-not-alone", "error", "[[chart:ID]] が行の途中にある", "[[chart:ID]] is not on a line of its own",
      "scripts/facts.py")
owned("bad-chart", "error", "data/charts.yml のグラフの書き方がちがう", "an entry of data/charts.yml is invalid",
      "scripts/charts.py")
owned("bad-glossary", "error", "data/glossary.yml の用語の書き方がちがう", "an entry of data/glossary.yml is invalid",
      "scripts/glossary.py")
owned("bad-accessibility-results", "error", "data/accessibility-results.yml が読めない",
      "data/accessibility-results.yml is invalid", "scripts/accessibility.py")
FURIGANA = "scripts/furigana.py"
owned("furigana-grade", "error", "ふりがなの学年の設定がちがう", "the furigana grade setting is invalid", FURIGANA)
owned("furigana-reading", "error", "{漢字|かんじ} のふりがなの書き方がちがう", "a {kanji|reading} furigana is malformed",
      FURIGANA)

# --------------------------------------------------------------------------- images (scripts/images.py)
IMAGES = "scripts/images.py"
owned("bad-image", "error", "画像が読めない、または公開できない形式（GIF、壊れたファイル、画像でないもの）",
      "an image cannot be read or is of a type that is not published", IMAGES)
# The build is strict: an oversized photo stops it (scripts/images.py explains why).
owned("large-image", "error", "画像が大きすぎる（ファイルの大きさか画素数）",
      "an image is too large (file size or pixels): resize it", IMAGES)
owned("missing-alt", "error", "公開するページの画像に alt がない", "an image in the rendered page has no alt text", IMAGES)
owned("no-japanese-font", "error", "SNS 用の画像に使う日本語のフォントがない",
      "the Japanese font for social cards is not installed", "scripts/cards.py")

# --------------------------------------------------------------------------- lessons (scripts/lessons/)
MODEL = "scripts/lessons/model.py"
owned("bad-lesson", "error", "data/lessons/ の授業のデータの書き方がちがう", "a lesson file in data/lessons/ is invalid",
      MODEL)
owned("lesson-grade", "error", "授業の学年がない、または範囲外", "a lesson's grade band is missing or out of range", MODEL)
owned("lesson-subject", "error", "授業の教科が決められた名前ではない", "a lesson's subject is not a known subject", MODEL)
owned("lesson-time", "error", "授業の時間や時限の数が合わない", "a lesson's minutes or periods do not add up", MODEL)
owned("lesson-course-of-study", "error", "学習指導要領のコードがない、またはまちがっている",
      "a lesson's Course of Study code is missing or wrong", MODEL)
owned("lesson-link", "error", "授業からのリンク先のページがない", "a lesson links to a page that does not exist", MODEL)
SITE = "scripts/lessons/site.py"
owned("lesson-page", "error", "授業のページと授業のデータが合わない", "a lesson page does not match its lesson data", SITE)
owned("lesson-title", "error", "授業のページの題名がデータとちがう", "a lesson page's title differs from its data", SITE)
DOWNLOADS = "scripts/lessons/downloads.py"
owned("lesson-render", "error", "授業の PDF が作れない", "a lesson PDF cannot be rendered", DOWNLOADS)
owned("lesson-overflow", "error", "授業の PDF で文章がページからはみ出す（ポスターでは文章が重なる）",
      "text overflows a page of a lesson PDF (on a poster: blocks overlap)", DOWNLOADS)
owned("lesson-font", "error", "授業の PDF に使う日本語のフォントがない",
      "the Japanese font for lesson PDFs is not installed", DOWNLOADS)

# --------------------------------------------------------------------------- sanitizer (scripts/sanitize.py)
# unsafe-element is the page rule in scripts/lint/rules.py that runs the sanitizer; it emits these too.
SANITIZE = "scripts/sanitize.py"
owned("unsafe-attribute", "error", "取り除かれる属性（onerror= などのイベント、style= など）",
      "an attribute the sanitizer removes (on*= event handlers, style= …)", SANITIZE)
owned("unsafe-url", "error", "使えないアドレス（javascript: data: vbscript: など）のリンクや画像",
      "a link or image address with a scheme other than https, http, mailto, tel (javascript:, data: …)", SANITIZE)
owned("http-link", "warning", "http:// のリンク（暗号化されない）", "an http:// link (not encrypted)", SANITIZE)

# --------------------------------------------------------------------------- word list (scripts/wording.py)
owned("wording-list", "error", "用字用語の一覧（data/wording.yml）の項目が正しくない",
      "an entry in data/wording.yml is malformed", "scripts/wording.py")

# --------------------------------------------------------------------------- Course of Study codes (scripts/lessons/model.py)
CODES = "scripts/lessons/model.py"
owned("curriculum-table", "error", "学習指導要領コードの表（data/curriculum-codes.yml）がない・書き方がちがう",
      "the Course of Study code table (data/curriculum-codes.yml) is missing or malformed", CODES)
owned("lesson-code-format", "error", "学習指導要領コードが16文字（数字と英大文字）でない",
      "a Course of Study code is not 16 characters (digits and capital letters)", CODES)
owned("lesson-code-unknown", "error", "学習指導要領コードが表（data/curriculum-codes.yml）にない",
      "a Course of Study code is not in the code table", CODES)
owned("lesson-code-mismatch", "error", "学習指導要領コードの学年・教科が授業と合わない",
      "a Course of Study code is for another grade or subject than the lesson", CODES)

# --------------------------------------------------------------------------- publisher (scripts/publisher.py)
PUBLISHER = "scripts/publisher.py"
owned("publisher-setting", "error", "発行者の設定（extra.publisher）がない・形がちがう、またはページの [[publisher:…]] が不明",
      "the publisher settings are missing or malformed, or a page names an unknown [[publisher:…]]", PUBLISHER)
owned("publisher-placeholder", "error", "発行者の設定が仮の値（example.*・localhost・空の連絡先・仮の名前）：本番ビルドで止まる",
      "a publisher setting is still a placeholder (stops a production build; a local build is a preview)", PUBLISHER)
owned("publisher-misleading-name", "error", "国土交通省の公式サイトでないのに、サイト名・発行者名が国土交通省で始まる",
      "the site or publisher name begins with the Ministry's name on an unofficial site", PUBLISHER)

# --------------------------------------------------------------------------- accessibility statement (scripts/accessibility.py)
A11Y = "scripts/accessibility.py"
owned("bad-wcag-criteria", "error", "data/wcag-criteria.yml（達成基準の一覧）の形式が正しくない",
      "data/wcag-criteria.yml (the success criteria) is malformed", A11Y)
owned("bad-accessibility-known-issues", "error", "data/accessibility-known-issues.yml（既知の問題）の形式が正しくない",
      "data/accessibility-known-issues.yml (known issues) is malformed", A11Y)
