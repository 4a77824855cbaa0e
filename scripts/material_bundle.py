"""A one-line fix to Material's JavaScript bundle in the built site.

Material fetches `sitemap.xml` below the href of every `<link rel=alternate>`
and rewrites clicks on matching links ("stay on page" language switching).
Our switcher is computed on the server and our hreflang links are absolute
page URLs, so that code would request `<page>/sitemap.xml` (404s, and a
request to the production origin from a local preview). We point its
selector at an attribute nothing carries, which switches the feature off.
Material 9.8 is in maintenance mode, so the pinned bundle will not move; if
it does, the build stops here rather than silently shipping the old code.
"""
from __future__ import annotations

from pathlib import Path

NEEDLE = 'M("link[rel=alternate]")'
REPLACEMENT = 'M("link[rel=alternate][data-md-stay-on-page]")'


class BundlePatchError(RuntimeError):
    pass


def disable_client_language_switch(site_dir: str | Path) -> Path:
    bundles = sorted(Path(site_dir, "assets", "javascripts").glob("bundle.*.min.js"))
    if len(bundles) != 1:
        raise BundlePatchError(f"expected one Material bundle in {site_dir}/assets/javascripts, found {len(bundles)}")
    bundle = bundles[0]
    text = bundle.read_text(encoding="utf-8")
    if text.count(NEEDLE) != 1:
        raise BundlePatchError(
            f"{bundle.name}: Material's language-switch code has changed (found {text.count(NEEDLE)} matches). "
            "Review scripts/material_bundle.py against the new Material release."
        )
    bundle.write_text(text.replace(NEEDLE, REPLACEMENT), encoding="utf-8")
    # The source map describes the unpatched file; drop the link to it.
    bundle_map = bundle.with_name(bundle.name + ".map")
    if bundle_map.exists():
        bundle_map.unlink()
    text = bundle.read_text(encoding="utf-8")
    bundle.write_text(text.replace(f"//# sourceMappingURL={bundle_map.name}", ""), encoding="utf-8")
    return bundle
