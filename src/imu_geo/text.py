"""Safe text for Markdown: data is shown as the characters it holds, nothing more."""

from __future__ import annotations

import re

# Every ASCII punctuation character may be backslash-escaped in CommonMark; escaping
# them all means no link, image, emphasis, heading or HTML tag can come from data.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:&=\"'])")


def escape_markdown(text: object) -> str:
    """``text`` with Markdown and HTML syntax escaped, on one line."""
    flat = " ".join(str(text).split())
    return _MARKDOWN_SPECIAL.sub(r"\\\1", flat)
