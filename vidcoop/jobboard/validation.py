"""Turn loaded rows into jobs, with one report line per problem and no silent drops.

Decisions (documented for partners filling in the sheet):

* Required: title, partner, location, hours, apply, expires. ``start`` and
  ``description`` may be empty; ``start`` may say ``sofort``/``ab sofort`` or
  ``nach Vereinbarung``.
* Dates: ISO ``2026-12-01`` or German ``01.12.2026`` (``1.12.2026`` too).
* ``apply`` is a web address with ``http://`` or ``https://`` and a host name,
  an e-mail address (the QR code opens a new mail) or a phone number that
  ``phonenumbers`` (Google's libphonenumber data) knows as a valid number,
  German numbers without ``+49`` included; the QR code dials its ``+49...``
  form, so ``+49 (0) 561 / 12 34 56`` dials ``+49561123456``. A bare
  ``www.example.de`` is rejected rather than guessed, because the QR code
  must work.
* A job whose expiry date lies before the week's Monday is *expired*: listed,
  not shown.
* Title, description and every other card text are measured with the real
  card font in their box; a text that does not fit even at the template's
  minimum size makes the row invalid. Before that, a field longer than
  :data:`MAX_CHARS` (far beyond any real listing and beyond what a card
  shows) makes the row invalid without being measured at all.
* Text is kept exactly as written (``(m/w/d)``, ``Erzieher*in``, ``Pfleger:in``).
"""

from __future__ import annotations

import functools
import re
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit

import phonenumbers

from vidcoop.brand.check import missing_glyphs
from vidcoop.errors import shorten
from vidcoop.jobboard.board import BoardChannel, ChannelLike, board_channel
from vidcoop.jobboard.card import layout_card, plan_qr
from vidcoop.jobboard.model import FIELDS, REQUIRED, Contact, Job, JobRowIssue, ValidationReport
from vidcoop.jobboard.reader import JobTable, RawRow
from vidcoop.jobboard.reader import load as load_table
from vidcoop.jobboard.reasons import ReasonError
from vidcoop.jobboard.week import Week, parse_week

_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_GERMAN = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")
_EMAIL = re.compile(r"^[^@\s<>()]+@[^@\s<>()]+\.[A-Za-z]{2,}$")
_PHONE = re.compile(r"^\+?[\d\s/().-]*\d[\d\s/().-]*$")
#: Numbers without a country code are German ones (the channels' audience).
PHONE_REGION = "DE"
_PHONE_ERRORS = {
    phonenumbers.NumberParseException.INVALID_COUNTRY_CODE: "phone_country",
    phonenumbers.NumberParseException.TOO_SHORT_AFTER_IDD: "phone_short",
    phonenumbers.NumberParseException.TOO_SHORT_NSN: "phone_short",
    phonenumbers.NumberParseException.TOO_LONG: "phone_long",
}
_HOST = re.compile(r"^(localhost|[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}|\d{1,3}(\.\d{1,3}){3})$")
MIN_YEAR, MAX_YEAR = 2000, 2199
#: Most characters a field may have. A card shows a title of about 90 and a description of about 250
#: characters; these limits lie far beyond any real listing, so that a pasted page or a stray column is
#: refused at once, before any layout is measured (#31: a 10,000-character cell took minutes).
MAX_CHARS = {"title": 300, "partner": 100, "location": 200, "hours": 200, "start": 100, "description": 2000,
             "apply": 1000, "expires": 100}
START_WORDS = {"sofort": "ab sofort", "ab sofort": "ab sofort", "nach vereinbarung": "nach Vereinbarung"}


def parse_date(text: str) -> date:
    """``2026-12-01`` or ``01.12.2026``; ValueError otherwise (also for 31.11.)."""
    value = text.strip()
    m = _ISO.match(value)
    parts = (int(m[1]), int(m[2]), int(m[3])) if m else None
    if parts is None:
        g = _GERMAN.match(value)
        parts = (int(g[3]), int(g[2]), int(g[1])) if g else None
    if parts is None:
        raise ReasonError("date_format")
    if not MIN_YEAR <= parts[0] <= MAX_YEAR:
        raise ReasonError("date_year", low=str(MIN_YEAR), high=str(MAX_YEAR))
    try:
        return date(*parts)
    except ValueError:
        raise ReasonError("date_day") from None


def parse_contact(text: str) -> Contact:
    """A URL, e-mail address or phone number; ValueError with the reason otherwise."""
    value = text.strip()
    if "://" in value or value.lower().startswith(("http:", "https:")):
        parts = urlsplit(value)
        if parts.scheme.lower() not in ("http", "https"):
            raise ReasonError("url_scheme")
        host = parts.hostname or ""
        if not _HOST.match(host) or any(c.isspace() for c in value):
            raise ReasonError("url_host")
        if parts.username is not None or parts.password is not None:
            raise ReasonError("url_userinfo")
        try:
            parts.port  # noqa: B018 - urlsplit checks the port range only when asked
        except ValueError:
            raise ReasonError("url_port") from None
        return Contact("url", value, value)
    if value.lower().startswith("mailto:"):
        value = value[7:]
    if "@" in value:
        if not _EMAIL.match(value):
            raise ReasonError("email")
        return Contact("email", value, f"mailto:{value}")
    if value.lower().startswith("tel:"):
        value = value[4:].strip()
    if _PHONE.match(value):
        return Contact("phone", value, "tel:" + _dialable(value))
    if value.lower().startswith("www.") or "." in value:
        raise ReasonError("url_www")
    raise ReasonError("contact")


def _dialable(number: str) -> str:
    """``number`` in E.164 (``+49561123456``); ValueError unless libphonenumber knows it as a valid number."""
    try:
        parsed = phonenumbers.parse(number, PHONE_REGION)
    except phonenumbers.NumberParseException as exc:
        raise ReasonError(_PHONE_ERRORS.get(exc.error_type, "phone_not")) from None
    if not phonenumbers.is_valid_number(parsed):
        raise ReasonError("phone_invalid")
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def _parse_row(raw: RawRow, channel: BoardChannel, source: Path | None) -> tuple[Job | None, list[JobRowIssue]]:
    issues: list[JobRowIssue] = []

    def issue(field: str, key: str, value: str = "", **params: str) -> None:
        issues.append(JobRowIssue.of(raw.row, field, key, shorten(value), **params))

    if raw.extra_cells:
        issue("row", "extra_cells", raw.extra_cells[0])
    too_long = [name for name, limit in MAX_CHARS.items() if len(raw.values.get(name, "").strip()) > limit]
    for name in too_long:
        text = raw.values[name].strip()
        issue(name, "too_long", text, length=str(len(text)), limit=str(MAX_CHARS[name]))
    # Too-long fields are not parsed: their problem is named, and nothing slow ever sees them.
    values = {k: v for k, v in raw.values.items() if k not in too_long}
    for name in REQUIRED:
        if name not in too_long and not values.get(name, "").strip():
            issue(name, "required")
    partner = values.get("partner", "").strip()
    if partner and partner not in channel.partners:
        issue("partner", "unknown_partner", partner, known=", ".join(sorted(channel.partners)))

    contact: Contact | None = None
    if values.get("apply", "").strip():
        try:
            contact = parse_contact(values["apply"])
        except ReasonError as exc:
            issue("apply", exc.key, values["apply"], **exc.params)

    expires: date | None = None
    if values.get("expires", "").strip():
        try:
            expires = parse_date(values["expires"])
        except ReasonError as exc:
            issue("expires", exc.key, values["expires"], **exc.params)

    start: date | None = None
    start_text = ""
    raw_start = values.get("start", "").strip()
    if raw_start:
        word = START_WORDS.get(raw_start.lower())
        if word:
            start_text = word
        else:
            try:
                start = parse_date(raw_start)
                start_text = f"ab {start:%d.%m.%Y}"
            except ReasonError as exc:
                issue("start", "start", raw_start, inner=exc.key, **exc.params)

    if issues and (too_long or any(i.field in ("title", "apply") for i in issues)):
        return None, issues
    job_values = {k: values.get(k, "").strip() for k in ("title", "partner", "location", "hours", "description")}
    job = Job(
        row=raw.row, title=job_values["title"], partner=partner, location=job_values["location"],
        hours=job_values["hours"], start=start, start_text=start_text, description=job_values["description"],
        apply=contact or Contact("url", "https://invalid.example", "https://invalid.example"),
        expires=expires or date.max, source=source,
    )
    issues.extend(_fit_issues(job, channel, skip_apply=contact is None))
    return (None, issues) if issues else (job, issues)


@functools.lru_cache(maxsize=4096)
def _has_glyph(font_file: str, ch: str) -> bool:
    return not missing_glyphs(Path(font_file), ch)


def _fit_issues(job: Job, channel: BoardChannel, *, skip_apply: bool) -> list[JobRowIssue]:
    """Measure every card text with the real font; report those that do not fit."""
    values = job.fields(number=999)  # the widest number a week's board shows
    out: list[JobRowIssue] = []
    layouts, problems = layout_card(values, channel)
    for layout in layouts.values():
        missing = sorted({ch for ch in layout.text if not ch.isspace() and not _has_glyph(str(layout.font_file), ch)})
        if missing:
            out.append(JobRowIssue.of(job.row, layout.box.blame, "no_glyph", shorten(layout.text.replace("\n", " ")),
                                      chars=" ".join(missing[:5])))
    for p in problems:
        if skip_apply and p.box.blame == "apply":
            continue
        out.append(JobRowIssue.of(job.row, p.box.blame, "box_overflow", shorten(p.text.replace("\n", " ")),
                                  box=p.box.name, size=str(p.box.min_size)))
    if not skip_apply and plan_qr(job.apply.target, channel.template) is None:
        out.append(JobRowIssue.of(job.row, "apply", "qr_too_long", shorten(job.apply.text)))
    # The card is laid out again for every other picture shape the channel posts: the text must fit there too.
    for shape in channel.shapes:
        shaped = channel.for_shape(shape)
        for p in layout_card(values, shaped)[1]:
            if (skip_apply and p.box.blame == "apply") or any(i.field == p.box.blame for i in out):
                continue
            out.append(JobRowIssue.of(job.row, p.box.blame, "box_overflow", shorten(p.text.replace("\n", " ")),
                                      box=f"{p.box.name} ({shape})", size=str(p.box.min_size)))
        if not skip_apply and not any(i.field == "apply" for i in out) and plan_qr(job.apply.target,
                                                                                     shaped.template) is None:
            out.append(JobRowIssue.of(job.row, "apply", "qr_too_long", shorten(job.apply.text)))
    return out


def _identity(raw: RawRow) -> tuple[str, ...]:
    """A row's content, case and spacing aside: two rows alike would show the same card twice."""
    return tuple(" ".join(raw.values.get(k, "").split()).casefold() for k in FIELDS)


def validate(
    jobs: JobTable | str | Path,
    channel: ChannelLike,
    week: str | date | Week | None = None,
) -> ValidationReport:
    """Check every row against the channel's partners, the card template and the week.

    Args:
        jobs: A loaded :class:`JobTable` or a path to load.
        channel: A :class:`BoardChannel`, a channel object or a ``channel.yaml`` path.
        week: ISO week (``2026-W48``), a date inside it, or None for this week;
            jobs expiring before its Monday are expired.
    """
    table = jobs if isinstance(jobs, JobTable) else load_table(jobs)
    board = board_channel(channel)
    reference = parse_week(week).monday
    ok: list[Job] = []
    expired: list[Job] = []
    invalid: list[JobRowIssue] = []
    labels: dict[int, tuple[str, str]] = {}
    first_row: dict[tuple[str, ...], int] = {}
    for raw in table.rows:
        job, issues = _parse_row(raw, board, table.source)
        same = _identity(raw)
        if any(same) and same in first_row:
            issues = [*issues, JobRowIssue.of(raw.row, "row", "duplicate", shorten(raw.values.get("title", "").strip()),
                                              first=str(first_row[same]))]
            job = None
        else:
            first_row[same] = raw.row
        if job is None:
            invalid.extend(issues)
            labels[raw.row] = (raw.values.get("partner", "").strip(), shorten(raw.values.get("title", "").strip(), 50))
        elif job.expires < reference:
            expired.append(job)
        else:
            ok.append(job)
    return ValidationReport(tuple(ok), tuple(invalid), tuple(expired), reference, table.source,
                            total_rows=len(table.rows), blank_rows=table.blank_rows, labels=labels)
