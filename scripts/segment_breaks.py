"""Line breaks inside Japanese paragraphs.

Writers often put one sentence per line. Markdown turns those newlines into
spaces, and browsers show a stray space between Japanese sentences (the CSS
rule that would drop it is not implemented everywhere). So a newline between
two CJK characters inside a paragraph is removed, as CSS Text 3 intends.
Code blocks are left alone.
"""
from __future__ import annotations

import re

CJK = r"\u3000-\u303f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef"
BREAK = re.compile(rf"(?<=[{CJK}])[ \t]*\n(?=[{CJK}])")
FENCE = re.compile(r"^(```|~~~).*?^\1[ \t]*$", re.S | re.M)


def join_cjk_lines(markdown: str) -> str:
    out, pos = [], 0
    for fence in FENCE.finditer(markdown):
        out.append(BREAK.sub("", markdown[pos:fence.start()]))
        out.append(fence.group(0))
        pos = fence.end()
    out.append(BREAK.sub("", markdown[pos:]))
    return "".join(out)
