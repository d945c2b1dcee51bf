"""A partner's card as the video will show it: the store's check (the job board's rules) and drawing, for one listing.

The form's fields carry the job list's German column names (``Titel``, ``Ort`` … as in
``examples/jobs.csv``); the partner column is always the partner of the session, whatever
the browser sends. Rows are read and checked by :mod:`vidcoop.jobboard` exactly as the
batch reads ``jobs.csv``, and drawn by :func:`vidcoop.jobboard.card.draw_card` with the
channel's kit and template.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from vidcoop.jobboard.board import BoardChannel
from vidcoop.jobboard.card import draw_card
from vidcoop.jobboard.reader import JobTable, RawRow
from vidcoop.jobboard.validation import validate
from vidcoop.partners.form import check_listing
from vidcoop.partners.model import HEADERS, ListingInvalid

FORM_FIELDS = tuple(h for f, h in HEADERS.items() if f != "partner")  # the partner is the session's
PREVIEW_SIZE = (540, 960)  # half the design frame: the page shows it at phone size


@dataclass(frozen=True)
class Preview:
    """A drawn card (``png``), or why it cannot be drawn (``problems``: header -> message)."""

    png: bytes | None
    problems: Mapping[str, str]


def listing_fields(partner_id: str, fields: Mapping[str, str]) -> dict[str, str]:
    """The form's fields for the store: only the known columns, text as typed, the session's partner."""
    out = {h: str(fields.get(h, "")) for h in FORM_FIELDS}
    out[HEADERS["partner"]] = partner_id
    return out


def preview(board: BoardChannel, partner_id: str, week: str, fields: Mapping[str, str], lang: str = "de", *,
            today: date) -> Preview:
    """Check one listing exactly as a save would (:func:`vidcoop.partners.form.check_listing`: the job
    board's rules, German messages), and draw its card (``Nr.`` is left empty: the number comes with the
    week's board)."""
    try:
        label, values = check_listing(board, partner_id, week, listing_fields(partner_id, fields),
                                      today=today)
    except ListingInvalid as exc:
        return Preview(None, exc.problems if lang == "de" or not exc.problems_en else exc.problems_en)
    report = validate(JobTable(None, (RawRow(2, {k: v.strip() for k, v in values.items()}),), "form"), board, label)
    job = report.ok[0]
    image = draw_card(job.fields(None), board.partners[partner_id], board).image
    from PIL import Image

    small = image.resize(PREVIEW_SIZE, Image.Resampling.LANCZOS)
    buffer = io.BytesIO()
    small.save(buffer, "PNG", compress_level=1)
    return Preview(buffer.getvalue(), {})
