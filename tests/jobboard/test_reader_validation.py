"""Loading (CSV dialects, YAML, JSON) and row-by-row validation."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from vidcoop.errors import ManifestError
from vidcoop.jobboard import load, validate
from vidcoop.jobboard.board import BoardChannel
from vidcoop.jobboard.reader import loads_csv
from vidcoop.jobboard.validation import parse_contact, parse_date

GOOD = "Heilerziehungspflegerin (m/w/d);rot;Köln;Vollzeit;01.12.2026;Kurz.;https://rot.example.de/jobs/1;2026-12-31"
EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def test_excel_semicolon_csv_with_bom_and_german_headers(tmp_path: Path, board: BoardChannel) -> None:
    text = "\ufeffTitel;Partner;Ort;Arbeitszeit;Beginn;Beschreibung;Bewerbung;Gültig bis\r\n" + GOOD + "\r\n"
    path = tmp_path / "jobs.csv"
    path.write_bytes(text.encode("utf-8"))
    table = load(path)
    assert table.dialect == "csv-semicolon"
    assert table.rows[0].row == 2
    assert table.rows[0].values["title"] == "Heilerziehungspflegerin (m/w/d)"
    report = validate(table, board, "2026-W48")
    assert [j.title for j in report.ok] == ["Heilerziehungspflegerin (m/w/d)"]


def test_comma_csv_utf8_gives_the_same_jobs(tmp_path: Path, board: BoardChannel) -> None:
    semi = loads_csv(("title;partner;location;hours;start;description;apply;expires\n" + GOOD).encode())
    comma_row = '"Heilerziehungspflegerin (m/w/d)",rot,Köln,Vollzeit,01.12.2026,Kurz.,https://rot.example.de/jobs/1,2026-12-31'
    comma = loads_csv(("title,partner,location,hours,start,description,apply,expires\n" + comma_row).encode())
    assert comma.dialect == "csv-comma"
    a = validate(semi, board, "2026-W48").ok[0]
    b = validate(comma, board, "2026-W48").ok[0]
    assert a == b


def test_cp1252_excel_export_is_read(board: BoardChannel) -> None:
    data = ("title;partner;location;hours;start;description;apply;expires\n" + GOOD).encode("cp1252")
    assert validate(loads_csv(data), board, "2026-W48").ok[0].location == "Köln"


def test_yaml_and_json(tmp_path: Path, board: BoardChannel) -> None:
    job = {"title": "Pfleger:in", "partner": "gruen", "location": "Kassel", "hours": "Teilzeit",
           "apply": "bewerbung@gruen.example.de", "expires": "31.12.2026"}
    (tmp_path / "jobs.json").write_text(json.dumps({"version": 1, "jobs": [job]}), encoding="utf-8")
    (tmp_path / "jobs.yaml").write_text(
        "jobs:\n  - title: Erzieher*in\n    partner: rot\n    ort: Köln\n    hours: Vollzeit\n"
        "    apply: https://rot.example.de\n    expires: 2026-12-31\n", encoding="utf-8")
    j = validate(load(tmp_path / "jobs.json"), board, "2026-W48").ok[0]
    assert (j.title, j.apply.target, j.row) == ("Pfleger:in", "mailto:bewerbung@gruen.example.de", 1)
    y = validate(load(tmp_path / "jobs.yaml"), board, "2026-W48").ok[0]
    assert (y.title, y.expires) == ("Erzieher*in", date(2026, 12, 31))


def test_every_row_is_accounted_for(board: BoardChannel) -> None:
    rows = [
        GOOD,                                                                          # 2 ok
        ";rot;Köln;Vollzeit;;;https://rot.example.de;31.12.2026",                      # 3 title missing
        "Koch (m/w/d);lila;Köln;Vollzeit;;;https://x.example.de;31.12.2026",           # 4 unknown partner
        "Koch (m/w/d);rot;Köln;Vollzeit;;;www.rot.example.de;31.12.2026",             # 5 no scheme
        "Koch (m/w/d);rot;Köln;Vollzeit;31.11.2026;;https://rot.example.de;12/31/2026",  # 6 two bad dates
        "Koch (m/w/d);rot;Köln;Vollzeit;;;https://rot.example.de;20.11.2026",          # 7 expired
        "",                                                                            # 8 blank
        "Koch (m/w/d);rot;Köln;Vollzeit;;;https://rot.example.de;31.12.2026;oops",     # 9 stray cell
    ]
    text = "title;partner;location;hours;start;description;apply;expires\n" + "\n".join(rows) + "\n"
    report = validate(loads_csv(text.encode()), board, "2026-W48")
    got = {(i.row, i.field) for i in report.invalid}
    assert got == {(3, "title"), (4, "partner"), (5, "apply"), (6, "start"), (6, "expires"), (9, "row")}
    assert [j.row for j in report.ok] == [2]
    assert [j.row for j in report.expired] == [7]
    assert report.blank_rows == (8,)
    assert report.total_rows == 7  # non-blank rows; the blank one is listed separately
    text_table = report.text()
    for row in ("3", "4", "5", "6", "7", "9"):
        assert f"\n{row} " in text_table
    assert "expired" in text_table and "blank rows skipped: 8" in text_table


def test_title_too_long_for_the_card_even_after_shrinking(board: BoardChannel) -> None:
    long_title = " ".join(["Heilerziehungspflegefachkraft"] * 8)
    row = f"{long_title};rot;Köln;Vollzeit;;;https://rot.example.de;31.12.2026"
    report = validate(loads_csv(("title;partner;location;hours;start;description;apply;expires\n" + row).encode()),
                      board, "2026-W48")
    assert [(i.row, i.field) for i in report.invalid] == [(2, "title")]
    assert "even at 52px" in report.invalid[0].message


def test_inclusive_forms_are_kept_exactly(board: BoardChannel) -> None:
    titles = ["Erzieher*in", "Pfleger:in", "Sozialarbeiter/in (m/w/d)", "Heilerziehungspfleger_in"]
    rows = [f"{t};rot;Köln;Vollzeit;;;https://rot.example.de;31.12.2026" for t in titles]
    report = validate(loads_csv(("title;partner;location;hours;start;description;apply;expires\n"
                                 + "\n".join(rows)).encode()), board, "2026-W48")
    assert [j.title for j in report.ok] == titles


@pytest.mark.parametrize("text", ["2026-12-01", "01.12.2026", "1.12.2026"])
def test_dates(text: str) -> None:
    assert parse_date(text) == date(2026, 12, 1)


@pytest.mark.parametrize("text", ["2026-13-01", "31.02.2026", "12/01/2026", "Dezember"])
def test_bad_dates(text: str) -> None:
    with pytest.raises(ValueError):
        parse_date(text)


@pytest.mark.parametrize(("text", "kind", "target"), [
    ("https://www.caritas.de/jobs?id=3", "url", "https://www.caritas.de/jobs?id=3"),
    ("bewerbung@diakonie.de", "email", "mailto:bewerbung@diakonie.de"),
    ("+49 561 123456-0", "phone", "tel:+495611234560"),
])
def test_contacts(text: str, kind: str, target: str) -> None:
    c = parse_contact(text)
    assert (c.kind, c.target) == (kind, target)


@pytest.mark.parametrize("text", ["www.caritas.de", "ftp://caritas.de", "https://", "https://exa mple.de",
                                  "bewerbung@", "anrufen"])
def test_bad_contacts(text: str) -> None:
    with pytest.raises(ValueError):
        parse_contact(text)


def test_broken_files_raise_manifest_error(tmp_path: Path) -> None:
    empty = tmp_path / "empty.csv"
    empty.write_text("", encoding="utf-8")
    with pytest.raises(ManifestError) as exc:
        load(empty)
    assert exc.value.path == str(empty) and exc.value.field == "header"

    unknown = tmp_path / "unknown.csv"
    unknown.write_text("title;partner;gehalt\nA;rot;viel\n", encoding="utf-8")
    with pytest.raises(ManifestError) as exc:
        load(unknown)
    assert exc.value.field == "columns.gehalt"

    headerless = tmp_path / "headerless.csv"
    headerless.write_text("Koch;rot;Köln\n", encoding="utf-8")
    with pytest.raises(ManifestError) as exc:
        load(headerless)
    assert exc.value.field == "header"

    with pytest.raises(ManifestError) as exc:
        load(tmp_path / "missing.csv")
    assert exc.value.path == str(tmp_path / "missing.csv")


def test_example_file_against_example_channel() -> None:
    report = validate(load(EXAMPLES / "jobs.csv"), EXAMPLES / "channel" / "channel.yaml", "2026-W48")
    assert len(report.ok) == 5 and len(report.expired) == 1
    assert report.invalid_rows == (8, 9)
    assert any("Erzieher*in" in j.title for j in report.ok)
