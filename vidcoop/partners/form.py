"""A partner's listing form checked by the job board's own rules, with German messages at each column."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from vidcoop.errors import ManifestError
from vidcoop.jobboard.board import BoardChannel
from vidcoop.jobboard.reader import ALIASES, JobTable, RawRow, column_key
from vidcoop.jobboard.validation import validate
from vidcoop.jobboard.week import parse_week
from vidcoop.partners.messages import expired_message, german, past_week_message
from vidcoop.partners.model import HEADERS, WEEK_FIELD, ListingInvalid


def check_listing(board: BoardChannel, partner_id: str, week: str, fields: Mapping[str, str], *,
                  today: date) -> tuple[str, dict[str, str]]:
    """The week's label and the canonical values (the ``Partner`` column forced to ``partner_id``).

    The job board's own validation (:func:`vidcoop.jobboard.validate`) judges the row, against the week:
    what it refuses in a jobs file is refused here, with its message in German at the column.

    Raises:
        ListingInvalid: every problem at its column (German header name, or ``Woche``).
    """
    problems: dict[str, str] = {}
    english: dict[str, str] = {}

    def problem(column: str, de: str, en: str) -> None:
        problems[column] = f"{problems[column]}; {de}" if column in problems else de
        english[column] = f"{english[column]}; {en}" if column in english else en

    label = ""
    try:
        parsed = parse_week(week)
        label = parsed.label
        if parsed.sunday < today:
            problem(WEEK_FIELD, past_week_message(label), f"week {label} is over")
    except ManifestError as exc:
        problem(WEEK_FIELD, f"keine Kalenderwoche: {week!r} (z. B. 2026-W49)", exc.message)
    values: dict[str, str] = {}
    if not isinstance(fields, Mapping):
        raise ListingInvalid("the listing's fields must be a mapping of column to text")
    for key, value in fields.items():
        name = ALIASES.get(column_key(key)) if isinstance(key, str) else None
        column = HEADERS.get(name or "", str(key))
        if name is None:
            problem(column, "unbekanntes Feld", "unknown field")
        elif name in values:
            problem(column, "doppelt angegeben", "given twice")
        elif not isinstance(value, str):
            problem(column, "bitte Text eingeben", "not text")
        elif "\x00" in value:
            problem(column, "enthält ein unzulässiges Zeichen (NUL)", "contains a NUL character")
        else:
            values[name] = value
    values["partner"] = partner_id
    if label:
        table = JobTable(None, (RawRow(2, {k: v.strip() for k, v in values.items()}),), "form")
        report = validate(table, board, label)
        for issue in report.invalid:
            column = HEADERS.get(issue.field, issue.field)
            problem(column, german(issue.message), issue.message)
        if report.expired:
            problem(HEADERS["expires"], expired_message(f"{parsed.monday:%d.%m.%Y}"),
                    f"ends before the week starts ({parsed.monday:%d.%m.%Y})")
    if problems:
        first = next(iter(english))
        raise ListingInvalid(f"the listing is not valid: {first}: {english[first]}", problems=problems,
                             problems_en=english)
    return label, values
