"""Messages printed to a terminal carry no control characters, whatever the user typed (issue #31, item 21)."""

from __future__ import annotations

import os
import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from vidcoop.errors import VidcoopError, printable

FUZZ = settings(max_examples=int(os.environ.get("VIDCOOP_FUZZ_EXAMPLES", "200")), database=None,
                derandomize=os.environ.get("CI", "").lower() == "true")
BIDI = {"\u061c", "\u200e", "\u200f", *map(chr, range(0x202A, 0x202F)), *map(chr, range(0x2066, 0x206A))}


def _safe(ch: str) -> bool:
    return ch == "\t" or (unicodedata.category(ch) not in ("Cc", "Zl", "Zp") and ch not in BIDI)


@FUZZ
@given(st.text())
def test_printable_leaves_no_control_character(text: str) -> None:
    shown = printable(text)
    assert all(_safe(ch) for ch in shown)
    assert all(_safe(ch) for ch in printable(str(VidcoopError(text, path=text, field=text, hint=text))))


@FUZZ
@given(st.text().filter(lambda t: all(_safe(ch) for ch in t)))
def test_printable_keeps_text_without_controls(text: str) -> None:
    assert printable(text) == text
