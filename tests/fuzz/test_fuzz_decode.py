"""Hypothesis fuzzing of the job-file decoder and the CSV loader on random bytes and Unicode (issue #31, 12).

The only outcomes allowed are the exact text or one ``ManifestError``: never another exception, and never
different text (mojibake) for input that is valid UTF-8 or UTF-16/32 with a BOM. Bounded and derandomised
on CI like ``test_fuzz_inputs.py`` (``VIDCOOP_FUZZ_EXAMPLES`` raises the count for a long local hunt).
"""

from __future__ import annotations

import codecs
import csv
import io
import os
from datetime import timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from vidcoop.errors import ManifestError
from vidcoop.jobboard.decode import decode_text
from vidcoop.jobboard.model import FIELDS
from vidcoop.jobboard.reader import loads_csv

FUZZ = settings(
    max_examples=int(os.environ.get("VIDCOOP_FUZZ_EXAMPLES", "60")),
    deadline=timedelta(seconds=5),
    database=None,  # nothing written into the repository
    derandomize=os.environ.get("CI", "").lower() == "true",
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

# German text with the characters that go wrong in practice, plus anything else Unicode has.
GERMAN = "äöüÄÖÜß€„“”\u201a\u2018\u2019\u2013—…·éèçñ"  # with low, left and right single quotes, en dash
texts = st.one_of(
    st.text(max_size=300),
    st.text(alphabet=st.sampled_from(list(GERMAN + "abcKöln ;,\t\n\r\"'")), max_size=300),
)
BOMS = {"utf-8": codecs.BOM_UTF8, "utf-16-le": codecs.BOM_UTF16_LE, "utf-16-be": codecs.BOM_UTF16_BE,
        "utf-32-le": codecs.BOM_UTF32_LE, "utf-32-be": codecs.BOM_UTF32_BE}


def _nul_heavy(data: bytes) -> bool:
    """What the decoder takes for UTF-16 without a BOM: more than one byte in ten is NUL."""
    return len(data) >= 4 and data.count(0) * 10 > len(data)


@FUZZ
@given(data=st.binary(max_size=600))
def test_random_bytes_give_text_or_one_manifest_error(data: bytes) -> None:
    try:
        text, encoding = decode_text(data)
    except ManifestError as exc:
        assert exc.field is not None and exc.field.startswith("line ")
        return
    assert encoding in ("utf-8", "cp1252", *BOMS)
    if encoding == "utf-8" and not data.startswith(codecs.BOM_UTF8):
        assert text == data.decode("utf-8")


@FUZZ
@given(text=texts, bom=st.booleans())
def test_valid_utf8_is_read_exactly(text: str, bom: bool) -> None:
    data = (codecs.BOM_UTF8 if bom else b"") + text.encode("utf-8")
    try:
        decoded, encoding = decode_text(data)
    except ManifestError:
        assert _nul_heavy(data), "valid UTF-8 refused"
        return
    assert encoding == "utf-8"
    assert decoded == (text if bom or not text.startswith("\ufeff") else text[1:])


@FUZZ
@given(text=texts, codec=st.sampled_from(sorted(BOMS)))
def test_text_with_a_bom_is_read_exactly_in_every_encoding(text: str, codec: str) -> None:
    assert decode_text(BOMS[codec] + text.encode(codec)) == (text, codec)


@FUZZ
@given(text=st.text(alphabet=st.sampled_from(list(GERMAN + "abcKöln ;\n")), min_size=1, max_size=300))
def test_windows_1252_is_read_exactly_or_refused_never_guessed_per_part(text: str) -> None:
    data = text.encode("cp1252")
    try:
        decoded, encoding = decode_text(data)
    except ManifestError as exc:
        assert "mixed text encodings" in exc.message  # bytes that happen to form UTF-8 characters too
        return
    if encoding == "utf-8":  # every non-ASCII byte happened to form a UTF-8 character
        assert decoded == data.decode("utf-8")
    else:
        assert (decoded, encoding) == (text, "cp1252")


cells = st.text(alphabet=st.characters(blacklist_characters="\x00", blacklist_categories=["Cs"]), max_size=40)


@FUZZ
@given(
    body=st.lists(st.lists(cells, min_size=len(FIELDS), max_size=len(FIELDS)), min_size=1, max_size=5),
    delimiter=st.sampled_from([";", ",", "\t"]),
    codec=st.sampled_from(["utf-8", "utf-8-sig", "utf-16"]),  # utf-16 writes a BOM, as Excel does
)
def test_csv_cells_reach_the_rows_exactly(body: list[list[str]], delimiter: str, codec: str) -> None:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter)
    writer.writerow(FIELDS)
    writer.writerows(body)
    data = out.getvalue().encode(codec)
    try:
        table = loads_csv(data)
    except ManifestError as exc:  # only a cell too long for the csv module may stop it; none here is
        raise AssertionError(f"refused: {exc}") from None
    written = [row for row in body if any(cell.strip() for cell in row)]
    assert [[raw.values[f] for f in FIELDS] for raw in table.rows] == [[c.strip() for c in row] for row in written]
