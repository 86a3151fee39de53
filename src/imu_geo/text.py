"""Safe text: data and links are shown as the characters they hold, nothing more.

Three ways text from a file, a data folder or a link reaches the page, each with
one function here:

- :func:`escape_markdown` for Markdown (captions, warnings, the detail panel):
  no link, image, HTML, emphasis, icon, colour, emoji or formula can come from the
  text, and bare addresses (``https://…``, ``www.…``, e-mails) do not become links;
- :func:`plain` for text drawn as text (tooltips, table cells, widget options);
- :func:`deck_text` for strings inside a map's deck, which deck.gl's JSON
  converter would otherwise read as code.

All three show bidirectional control characters visibly (see
:func:`show_controls`): ``abc\\u202egnp.exe`` is shown as ``abc⟨U+202E⟩gnp.exe``,
never reversed into ``abcexe.png``. Downloads keep the data as it is.
"""

from __future__ import annotations

import re
import unicodedata

import pandas as pd

# Characters that reorder the text around them (the Unicode bidirectional
# embeddings, overrides, isolates and marks). Shown as ⟨U+XXXX⟩, never obeyed.
BIDI_CONTROLS = frozenset(
    "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"
)
_BIDI = re.compile("[" + "".join(sorted(BIDI_CONTROLS)) + "]")

# The word joiner: invisible, not a space, and not a letter, digit or
# punctuation. Placed where a renderer looks for a pattern, it breaks the
# pattern and changes nothing a reader sees.
MARK = "\u2060"

# Every ASCII punctuation character may be backslash-escaped in CommonMark; escaping
# them all means no link, image, emphasis, heading, HTML tag or formula can come
# from data.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:&=\"'])")
# Streamlit's Markdown turns patterns found in the text itself (after escapes are
# undone) into elements: ``:material/x:`` icons, ``:smile:`` emoji, ``:red[…]``
# colours, and GitHub's autolinks for ``http(s)://…``, ``www.…`` and
# ``name@host.tld``. A mark after ``:`` or ``@`` (when something follows) and
# between ``www`` and its dot breaks each of them.
_PATTERN_STARTS = re.compile(r"(?<=[:@])(?=\S)|(?i:(?<=www)(?=\.))")

# How much of a value is quoted in a sentence (a warning, a caption).
QUOTE_CHARS = 80
ELLIPSIS = "…"


def show_controls(text: str) -> str:
    """``text`` with each bidirectional control replaced by ``⟨U+XXXX⟩``."""
    return _BIDI.sub(lambda m: f"⟨U+{ord(m.group()):04X}⟩", text)


def cut(text: str, limit: int) -> str:
    """``text`` cut to at most ``limit`` characters, ending in … when cut."""
    if limit < 1:
        raise ValueError("limit must be at least 1")
    return text if len(text) <= limit else text[: limit - 1] + ELLIPSIS


def plain(value: object, limit: int | None = None) -> str:
    """``value`` as one line of plain text: runs of whitespace (line breaks too)
    become one space, bidirectional controls are shown, and the result is cut to
    ``limit`` characters when one is given."""
    text = show_controls(" ".join(str(value).split()))
    return text if limit is None else cut(text, limit)


def escape_markdown(value: object, limit: int | None = None) -> str:
    """``value`` as Markdown that shows exactly :func:`plain` ``(value, limit)``.

    Every ASCII punctuation character but ``@ , ; ? / % ^`` (none of which starts
    markup without one of the others) is backslash-escaped, and an invisible word
    joiner breaks what Streamlit or GitHub Markdown would read from the bare text:
    addresses, e-mails, ``:…:`` icons, emoji and colour directives.
    """
    text = _PATTERN_STARTS.sub(MARK, plain(value, limit))
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)


def deck_text(value: object) -> str:
    """``value`` for a string inside a map's deck (layer data, tooltips).

    deck.gl's JSON converter reads a string that starts with ``@@`` as code
    (``@@=`` an expression, ``@@#`` a constant), in layer data too. Such a string
    gets a word joiner in front, which a reader does not see; so does a string
    that already starts with one, so that :func:`from_deck_text` can always undo
    it. Bidirectional controls are shown as in :func:`plain`; line breaks stay.
    """
    text = show_controls(str(value))
    return MARK + text if text.startswith(("@@", MARK)) else text


def from_deck_text(text: str) -> str:
    """Undo :func:`deck_text`'s mark (e.g. for an id picked on the map)."""
    return text[len(MARK) :] if text.startswith(MARK) else text


def show_controls_in(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with bidirectional controls shown in every text cell, for a
    table on the page; the frame itself when there is none (no copy).

    Each text cell is searched by Python's ``re``: a table on the page is a
    page of rows, and compiling the search anew for every column (as a
    vectorised ``str.contains`` does) cost more than searching its cells.
    """
    shown = frame
    for number in range(frame.shape[1]):
        values = frame.iloc[:, number]
        if isinstance(values.dtype, pd.CategoricalDtype):
            # Searched in its few categories; shown as plain text where found.
            if not any(
                isinstance(c, str) and _BIDI.search(c) for c in values.cat.categories
            ):
                continue
            values = values.astype(object)
        # Object columns, and text of any kind (Python's, Arrow's).
        elif not pd.api.types.is_string_dtype(values.dtype):
            continue
        found = [
            isinstance(value, str) and _BIDI.search(value) is not None
            for value in values.to_numpy(dtype=object)
        ]
        if any(found):
            if shown is frame:
                shown = frame.copy()
            mask = pd.Series(found, index=values.index)
            shown.isetitem(number, values.where(~mask, values[mask].map(show_controls)))
    return shown


def markdown_table(frame: pd.DataFrame, headers: dict[str, str]) -> pd.DataFrame:
    """``frame``'s columns named in ``headers``, renamed to them, for a static
    table whose cells are Markdown (``st.table``): each text cell shows exactly
    its text (:func:`escape_markdown`), a missing one nothing; numbers stay
    numbers."""
    shown = frame[list(headers)].rename(columns=headers)
    for number in range(shown.shape[1]):
        values = shown.iloc[:, number]
        if pd.api.types.is_numeric_dtype(values.dtype):
            continue
        cells = [
            "" if pd.isna(value) else escape_markdown(value)
            for value in values.to_numpy(dtype=object)
        ]
        shown.isetitem(number, pd.Series(cells, index=values.index, dtype=object))
    return shown


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
    # Marks first: NFKD would split ``´`` into a space and a combining accent.
    decomposed = unicodedata.normalize("NFKD", text.translate(_MARKS))
    bare = decomposed.translate(_COMBINING).casefold()
    return " ".join(bare.split())


def plural(count: int, one: str, many: str | None = None) -> str:
    """The word for ``count`` things: ``one`` for exactly one, else ``many``
    (``one`` with an ``s`` when not given)."""
    return one if count == 1 else (many if many is not None else one + "s")


def counted(count: int, one: str, many: str | None = None) -> str:
    """A count and its words, the count with thousands separators: ``1 row``,
    ``1,000 rows``, ``2 events pass`` (:func:`plural`)."""
    return f"{count:,} {plural(count, one, many)}"
