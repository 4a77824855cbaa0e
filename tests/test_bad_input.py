"""A good build writes both languages. Broken inputs live in the corpus
(tests/bad_inputs/, run by tests/test_bad_inputs.py) so no case is built twice:
config typos, a missing catalog, untranslated UI strings, broken links, missing
or orphaned pages and a failed build keeping the previous site are cases there."""
from __future__ import annotations



def test_good_build_succeeds_and_writes_both_languages(built_site):
    # built_site (tests/conftest.py) is `python -m scripts build` of the project as it is, run once
    # for every test that reads the site: it fails with the build's output unless the command exits 0.
    # (A copy of the project building is shown by the corpus's passing cases.)
    assert (built_site / "index.html").is_file() and (built_site / "en/index.html").is_file()
