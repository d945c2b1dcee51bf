"""Job files in every encoding a spreadsheet saves, read strictly: never "KÃ¶chin" on a card (issue #31, 12)."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from vidcoop.errors import ManifestError
from vidcoop.jobboard import load, validate
from vidcoop.jobboard.board import BoardChannel
from vidcoop.jobboard.decode import decode_text

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
HEADER = "Titel;Partner;Ort;Arbeitszeit;Beginn;Beschreibung;Bewerbung;Gültig bis"
ROWS = [
    "Köchin (m/w/d);rot;Köln-Süd;Vollzeit;;Frühstück „für alle“ \u2013 5 €;https://rot.example.de/koechin;31.12.2026",
    "Erzieher*in;gruen;Kassel;Teilzeit;;;https://gruen.example.de;31.12.2026",
]


def _text(delimiter: str = ";", newline: str = "\n") -> str:
    return newline.join(line.replace(";", delimiter) for line in [HEADER, *ROWS]) + newline


def test_a_utf8_file_with_one_windows_1252_byte_is_refused_naming_the_line(tmp_path: Path) -> None:
    # Someone typed "Köln" into a UTF-8 file with an editor set to Windows-1252: one byte 0xF6.
    path = tmp_path / "jobs.csv"
    path.write_bytes(_text().encode("utf-8").replace(b"Kassel", "Köln".encode("cp1252")))
    with pytest.raises(ManifestError, match="mixed text encodings") as info:
        load(path)
    assert info.value.path == str(path) and info.value.field == "line 3"
    assert "0xF6" in info.value.message and "CSV UTF-8" in str(info.value)


def test_the_mixed_file_fails_the_check_with_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from vidcoop.cli.main import main

    path = tmp_path / "jobs.csv"
    path.write_bytes(_text().encode("utf-8").replace(b"Kassel", "Köln".encode("cp1252")))
    with pytest.raises(SystemExit) as info:
        main(["jobboard", str(path), "--channel", str(EXAMPLES / "channel" / "channel.yaml"), "--week", "2026-W48",
              "--check"])
    err = capsys.readouterr().err
    assert info.value.code not in (0, None)
    assert len(err.strip().splitlines()) == 1, err
    assert "mixed text encodings" in err and "[line 3]" in err and str(path) in err


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be", "utf-32-le"])
def test_excel_unicode_text_export_is_read(tmp_path: Path, board: BoardChannel, codec: str) -> None:
    # Excel's "Unicode-Text (*.txt)": UTF-16 little-endian with a BOM, tab-separated, CRLF.
    bom = {"utf-16-le": codecs.BOM_UTF16_LE, "utf-16-be": codecs.BOM_UTF16_BE, "utf-32-le": codecs.BOM_UTF32_LE}[codec]
    path = tmp_path / "jobs.txt"
    path.write_bytes(bom + _text("\t", "\r\n").encode(codec))
    table = load(path)
    assert (table.dialect, table.encoding) == ("csv-tab", codec)
    jobs = validate(table, board, "2026-W48").ok
    assert [j.title for j in jobs] == ["Köchin (m/w/d)", "Erzieher*in"]
    assert jobs[0].description == "Frühstück „für alle“ \u2013 5 €"


@pytest.mark.parametrize(("data", "encoding"), [
    (_text().encode("utf-8"), "utf-8"),
    (codecs.BOM_UTF8 + _text().encode("utf-8"), "utf-8"),
    (_text().encode("cp1252"), "cp1252"),  # older Excel's "CSV (Trennzeichen-getrennt)"
])
def test_consistent_files_are_read_exactly(data: bytes, encoding: str) -> None:
    text, used = decode_text(data)
    assert (text, used) == (_text(), encoding)


@pytest.mark.parametrize(("data", "words", "line"), [
    # A UTF-8 file with a BOM and a Windows-1252 byte on line 2.
    (codecs.BOM_UTF8 + b"Titel\nK\xf6chin\n", "not valid UTF-8", 2),
    # UTF-16 with a lone surrogate on line 3.
    (codecs.BOM_UTF16_LE + "a\nb\n".encode("utf-16-le") + b"\x00\xd8" + "c".encode("utf-16-le"), "not valid UTF-16", 3),
    # 0x81 has no character in Windows-1252 either.
    (b"Titel\nOrt\nK\x81ln\n", "neither UTF-8 nor Windows-1252", 3),
    # Binary data.
    (b"Titel\n\x01\x02\x03\xff\n", "not a text file", 2),
])
def test_what_no_encoding_explains_is_one_line_naming_the_line(data: bytes, words: str, line: int) -> None:
    with pytest.raises(ManifestError, match=words) as info:
        decode_text(data, Path("jobs.csv"))
    assert info.value.field == f"line {line}" and info.value.path == "jobs.csv"


@pytest.mark.parametrize("data", [
    "Titel;Ort\nKöchin;Köln\n".encode("utf-16-le"),  # no BOM: a guess could be either byte order
    b"PK\x03\x04\x14\x00\x06\x00" + bytes(range(256)),  # an .xlsx renamed to .csv
])
def test_utf16_without_a_bom_and_spreadsheets_are_refused(data: bytes) -> None:
    with pytest.raises(ManifestError, match="not a text file"):
        decode_text(data, Path("jobs.csv"))
