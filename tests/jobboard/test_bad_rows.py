"""Careless job lists: one line per problem, every row accounted for, text printed as typed (issue #9)."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from vidcoop.errors import ManifestError
from vidcoop.jobboard import load, validate
from vidcoop.jobboard.board import BoardChannel
from vidcoop.jobboard.reader import loads_csv
from vidcoop.jobboard.validation import parse_contact, parse_date

HEADER = "title;partner;location;hours;start;description;apply;expires"
GOOD = "Koch (m/w/d);rot;Köln;Vollzeit;;;https://rot.example.de;31.12.2026"
EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


@pytest.mark.parametrize("text", [";;;", '""', ";;;\n;;;\n", '"";""'])
def test_files_without_a_header_are_one_error(text: str) -> None:
    with pytest.raises(ManifestError, match="no header row") as info:
        loads_csv(text.encode(), Path("jobs.csv"))
    assert info.value.field == "header"


def test_an_oversized_cell_names_the_line() -> None:
    text = f"{HEADER}\n{GOOD}\nKoch;rot;Köln;Vollzeit;;{'x' * 200_000};https://rot.example.de;31.12.2026\n"
    with pytest.raises(ManifestError, match="longer than") as info:
        loads_csv(text.encode(), Path("jobs.csv"))
    assert info.value.field == "line 3"


def test_nul_is_stripped_from_job_text(board: BoardChannel) -> None:
    text = f"{HEADER}\nKo\x00ch (m/w/d);rot;Köln;Vollzeit;;;https://rot.example.de;31.12.2026\n"
    report = validate(loads_csv(text.encode()), board, "2026-W48")
    assert [j.title for j in report.ok] == ["Koch (m/w/d)"]


def test_duplicate_rows_are_flagged_with_the_first_row(board: BoardChannel) -> None:
    text = f"{HEADER}\n{GOOD}\n{GOOD.replace('Koch', 'koch ')}\n"
    report = validate(loads_csv(text.encode()), board, "2026-W48")
    assert [j.row for j in report.ok] == [2]
    assert [(i.row, i.field, i.message) for i in report.invalid] == [(3, "row", "the same job as row 2")]


@pytest.mark.parametrize(
    ("url", "words"),
    [
        ("https://user:secret@rot.example.de/jobs", "user name or password"),
        ("https://rot.example.de:99999/jobs", "invalid port"),
    ],
)
def test_apply_urls_with_credentials_or_bad_ports_are_refused(url: str, words: str) -> None:
    with pytest.raises(ValueError, match=words):
        parse_contact(url)
    assert parse_contact("https://rot.example.de:8443/jobs").kind == "url"


def test_dates_outside_sensible_years_are_refused() -> None:
    with pytest.raises(ValueError, match="year between"):
        parse_date("0001-01-01")
    with pytest.raises(ValueError, match="year between"):
        parse_date("01.01.9999")


def test_glyphs_the_card_font_lacks_are_reported_per_row(board: BoardChannel) -> None:
    text = f"{HEADER}\nKoch 🙂 (m/w/d);rot;Köln;Vollzeit;;;https://rot.example.de;31.12.2026\n"
    report = validate(loads_csv(text.encode()), board, "2026-W48")
    assert not report.ok
    assert [(i.row, i.field) for i in report.invalid] == [(2, "title")]
    assert "no glyph for 🙂" in report.invalid[0].message


def test_yaml_alias_bomb_in_a_job_list_is_refused(tmp_path: Path) -> None:
    bomb = "a: &a [x,x,x,x,x,x,x,x,x,x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 10)}]\n" for i in range(7)
    )
    path = tmp_path / "jobs.yaml"
    path.write_text(bomb, encoding="utf-8")
    with pytest.raises(ManifestError, match="aliases"):
        load(path)


def test_the_job_table_prints_user_text_literally(tmp_path: Path) -> None:
    from vidcoop.cli.main import cli

    jobs = tmp_path / "jobs.csv"
    jobs.write_text(
        f"{HEADER}\nErzieher [m/w/d] Kita [/] [link=https://evil.example]x[/link];caritas-musterstadt;Köln;"
        "Vollzeit;;;https://caritas.example.de;31.12.2026\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(
        cli,
        [
            "jobboard",
            str(jobs),
            "--channel",
            str(EXAMPLES / "channel" / "channel.yaml"),
            "--week",
            "2026-W48",
            "--check",
        ],
    )
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    flat = " ".join(result.output.split())
    assert "[m/w/d]" in flat and "[/]" in flat and "[link=https://evil.example]" in flat
