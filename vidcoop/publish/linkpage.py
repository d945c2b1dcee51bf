"""The job link page: one static "Link in Bio" page listing the week's jobs, plus an archive.

Viewers watch the job board on the phone that would have to scan its QR codes, and a TikTok
description has no clickable links. So ``vidcoop jobboard`` (and the week's batch) also writes
``jobs/index.html`` for the current week and ``jobs/<week>.html`` for the archive: every valid,
unexpired job with its number as shown on the card ("Nr. 3"), title, partner and logo, place,
hours, start, expiry and a real apply link.

The page is self-contained: no JavaScript, nothing loaded from outside; the kit's font and the
logos are copied into ``jobs/assets/`` beside it. All job text is HTML-escaped (Jinja2 autoescape)
and links are only ``https:``/``http:``, ``mailto:`` or ``tel:`` as job validation allows.
"""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from vidcoop.files import atomic_path, atomic_write_text, file_sha256
from vidcoop.jobboard.episode import board_part
from vidcoop.timeline.model import Episode

if TYPE_CHECKING:
    from vidcoop.jobboard.board import BoardChannel
    from vidcoop.jobboard.model import Job
    from vidcoop.jobboard.week import Week

INDEX = "index.html"
ASSETS = "assets"
_ARCHIVE = re.compile(r"^(\d{4})-W(\d{2})\.html$")
_SAFE_SCHEMES = ("https://", "http://", "mailto:", "tel:")


@dataclass(frozen=True)
class PageColors:
    """The page's colours, from the brand kit; pairs are checked for WCAG AA contrast in the tests."""

    page: str
    card: str
    text: str
    accent: str
    button_text: str


def page_colors(board: BoardChannel) -> PageColors:
    """The kit's colours when the board has a channel, else the job-card template's."""
    if board.channel is not None:
        c = board.channel.kit().colors
        return PageColors(page=c.background[:7], card=c.primary[:7], text=c.text[:7], accent=c.accent[:7],
                          button_text=c.background[:7])
    t = board.template
    return PageColors(page=t.background, card=t.background, text="#ffffff", accent=t.accent,
                      button_text=t.background)


def _copy_asset(src: Path, assets: Path) -> str:
    """Copy ``src`` into ``assets`` under a content-hashed name; return its page-relative URL."""
    name = f"{src.stem[:40]}-{file_sha256(src)[:12]}{src.suffix.lower()}"
    target = assets / name
    if not target.is_file():
        assets.mkdir(parents=True, exist_ok=True)
        with atomic_path(target) as tmp:
            shutil.copyfile(src, tmp)
    return f"{ASSETS}/{name}"


def _href(job: Job) -> str:
    target = job.apply.target
    if not target.lower().startswith(_SAFE_SCHEMES):  # validation allows nothing else; never trust it here
        raise ValueError(f"row {job.row}: apply link {target!r} is not http(s), mailto or tel")
    return target


def archive_weeks(folder: Path) -> list[tuple[str, str]]:
    """``(file name, "KW 47/2026")`` of the archived weeks in ``folder``, newest first."""
    out = []
    for p in folder.glob("*-W*.html"):
        m = _ARCHIVE.match(p.name)
        if m:
            out.append((p.name, f"KW {int(m.group(2))}/{m.group(1)}"))
    return sorted(out, reverse=True)


def render_page(jobs: list[tuple[int, Job]], board: BoardChannel, week: Week, folder: Path) -> str:
    """The page's HTML for ``jobs`` (``(number, job)`` in board order); copies font and logos into ``folder``."""
    from jinja2 import Environment, PackageLoader, select_autoescape

    assets = folder / ASSETS
    fonts = {role: _copy_asset(path, assets) for role, path in sorted(board.fonts.items()) if path.is_file()}
    items: list[dict[str, Any]] = []
    for number, job in sorted(jobs, key=lambda nj: nj[0]):
        partner = board.partners.get(job.partner)
        logo = partner.logo if partner is not None else None
        items.append({
            "number": number, "title": job.title,
            "partner": partner.name if partner is not None else job.partner,
            "logo": _copy_asset(logo, assets) if logo is not None and logo.is_file() else None,
            "location": job.location, "hours": job.hours, "start": job.start_text,
            "description": job.description, "href": _href(job), "apply_text": job.apply.display,
            "apply_kind": job.apply.kind, "expires": f"{job.expires:%d.%m.%Y}",
        })
    channel_name = board.channel.name if board.channel is not None else "Stellenbörse"
    channel_logo = None
    if board.channel is not None:
        kit_logo = board.channel.kit().logo.file
        channel_logo = _copy_asset(kit_logo, assets) if kit_logo.is_file() else None
    env = Environment(loader=PackageLoader("vidcoop.publish", "templates"), autoescape=select_autoescape(["html"]),
                      trim_blocks=True, lstrip_blocks=True)
    archive = [(name, label) for name, label in archive_weeks(folder) if name != f"{week.label}.html"]
    return env.get_template("jobs.html").render(
        jobs=items, week_label=week.label_de, date_range=week.date_range_de(),
        channel=channel_name, channel_logo=channel_logo, colors=page_colors(board), fonts=fonts,
        archive=archive,
    )


def link_page_files(folder: Path, week: Week) -> tuple[Path, Path]:
    """Where :func:`write_link_page` writes: (the week's archive page, the index page)."""
    return folder / f"{week.label}.html", folder / INDEX


def write_link_page(jobs: list[tuple[int, Job]], board: BoardChannel, week: Week, folder: Path) -> tuple[Path, Path]:
    """Write ``folder/<week>.html`` and ``folder/index.html`` (the current week), atomically.

    Returns:
        (the week's archive page, the index page).
    """
    folder.mkdir(parents=True, exist_ok=True)
    week_page, index = link_page_files(folder, week)
    html = render_page(jobs, board, week, folder)
    atomic_write_text(week_page, html)
    newest = archive_weeks(folder)[0][0]
    if newest == week_page.name:
        atomic_write_text(index, html)
    return week_page, index


def numbered_jobs(episodes: list[Episode]) -> list[tuple[int, Job]]:
    """``(number, job)`` for every card of the job-board episodes, as the cards show them."""
    out: list[tuple[int, Job]] = []
    for ep in episodes:
        info = board_part(ep)
        for card in info.cards if info is not None else ():
            out.append((card.number or len(out) + 1, card.job))
    return out
