"""Safe text for Markdown: data is shown as the characters it holds, nothing more."""

from __future__ import annotations

import re
import unicodedata

# Every ASCII punctuation character may be backslash-escaped in CommonMark; escaping
# them all means no link, image, emphasis, heading or HTML tag can come from data.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:&=\"'])")


def escape_markdown(text: object) -> str:
    """``text`` with Markdown and HTML syntax escaped, on one line."""
    flat = " ".join(str(text).split())
    return _MARKDOWN_SPECIAL.sub(r"\\\1", flat)


# Translation tables for normalise_name: C-level work, a few microseconds a name.
_COMBINING = {code: None for code in range(0x30000) if unicodedata.combining(chr(code))}
_MARKS = str.maketrans(
    {**dict.fromkeys("’‘ʻʼ`´", "'"), **dict.fromkeys("-_‐‑‒–—", " ")}
)


def normalise_name(text: str) -> str:
    """A place name as a gazetteer compares it.

    Accents are dropped, case is folded, apostrophe-like marks become ``'``,
    hyphens, dashes and underscores become spaces and runs of space collapse, so
    that ``Mazār-e Sharīf``, ``mazar e sharif`` and ``MAZAR-E SHARIF`` agree.
    """
    text = str(text)
    if text.isascii():  # most names: no accents to drop, case folds as lower()
        return " ".join(text.lower().translate(_MARKS).split())
    decomposed = unicodedata.normalize("NFKD", text)
    bare = decomposed.translate(_COMBINING).casefold().translate(_MARKS)
    return " ".join(bare.split())
