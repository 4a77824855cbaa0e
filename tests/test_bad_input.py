"""A good build writes both languages. Broken inputs live in the corpus
(tests/bad_inputs/, run by tests/test_bad_inputs.py) so no case is built twice:
config typos, a missing catalog, untranslated UI strings, broken links, missing
or orphaned pages and a failed build keeping the previous site are cases there."""
from __future__ import annotations

from tests.conftest import run_build


def test_good_build_succeeds_and_writes_both_languages(project):
    result = run_build(project)
    assert result.returncode == 0, result.stderr
    assert (project / "site/index.html").is_file() and (project / "site/en/index.html").is_file()
