"""The post package: one entry per platform with title, description, hashtags and files to upload.

The texts come from the channel's templates (:mod:`vidcoop.channel.publishing`) filled with the
episode's values. Two rules are checked before anything is written:

* every platform limit (:mod:`vidcoop.channel.platforms`): a broken one is a :class:`PolicyError`
  with rule ``post-limit`` naming the episode, the platform and the field;
* the partner rule covers texts too: a text that names a partner in a format without partner
  slots is a :class:`PolicyError` with rule ``partner-in-post-text``.

The job board's description names every partner whose jobs appear, in the order the video shows
them (the fair rotation of :mod:`vidcoop.jobboard.episode`), and lists every job as
``Nr. - title - partner`` with a pointer to the link page. With the channel's ``link_page_url``
every post names the page, in words true to the platform (the address and where its one
clickable link is: "Link in Bio", or the channel profile on YouTube Shorts, see
:meth:`vidcoop.channel.publishing.PublishSettings.link_text`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import datetime
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING, Any

from vidcoop.channel.names import find_partner
from vidcoop.channel.platforms import PLATFORMS, Platform
from vidcoop.channel.publishing import PostTemplate, PublishSettings, fill, spoken_seconds
from vidcoop.errors import PolicyError
from vidcoop.files import atomic_write_json, atomic_write_text
from vidcoop.jobboard.episode import board_part
from vidcoop.jobboard.reasons import row_reasons
from vidcoop.jobboard.week import parse_week
from vidcoop.shapes import DEFAULT_SHAPE

if TYPE_CHECKING:
    from vidcoop.channel.config import Channel
    from vidcoop.timeline.model import Episode

SCHEMA_VERSION = 1
DASH = "\u2013"  # the en dash of German typography
JOBS_LINK = "Alle Stellen mit Bewerbungslink"  # the job board's pointer to the link page
PAGE_LINK = "Alle Stellen"  # every other post's, with link_page_url set


@dataclass(frozen=True)
class PostFiles:
    """The files one post uploads; paths as written into the package (beside the video)."""

    video: Path
    cover: Path | None = None
    captions: Path | None = None
    renditions: tuple[tuple[str, Path], ...] = ()  # the other picture shapes' videos (4:5, 1:1, 16:9) made
    covers: tuple[tuple[str, Path], ...] = ()  # the other picture shapes' covers made

    def videos(self, shapes: tuple[str, ...]) -> dict[str, Path]:
        """The videos of ``shapes`` that were made, by shape (the 9:16 one is ``video``)."""
        made = {DEFAULT_SHAPE: self.video, **dict(self.renditions)}
        return {shape: made[shape] for shape in shapes if shape in made}

    def shown(self, shapes: tuple[str, ...]) -> tuple[Path, Path | None]:
        """A platform's video and its cover: its first shape that was made, with that shape's cover
        (9:16 when none was; the 9:16 cover when that shape's is missing)."""
        videos = self.videos(shapes)
        shape = next(iter(videos), DEFAULT_SHAPE)
        return videos.get(shape, self.video), dict(self.covers).get(shape, self.cover)


@dataclass(frozen=True)
class JobLine:
    """One job as the job board's description lists it."""

    number: int
    title: str
    partner: str


@dataclass(frozen=True)
class PlatformPost:
    """What to paste into one platform."""

    platform: str
    title: str | None
    description: str
    hashtags: tuple[str, ...]
    shapes: tuple[str, ...] = (DEFAULT_SHAPE,)  # the picture shapes posted there (channel's renditions:)

    @property
    def text(self) -> str:
        """The caption as pasted: description, a blank line, then the hashtags."""
        tags = " ".join(f"#{t}" for t in self.hashtags)
        return f"{self.description}\n\n{tags}" if tags else self.description


@dataclass(frozen=True)
class PostPackage:
    """Everything needed to publish one episode on every platform of its channel."""

    episode: str
    title: str
    format: str | None
    duration: Fraction
    files: PostFiles
    publish_at: datetime | None
    partners: tuple[str, ...] = ()
    jobs: tuple[JobLine, ...] = ()
    posts: tuple[PlatformPost, ...] = field(default=())
    #: Job rows the board does not show (invalid, expired), for the person who posts; never posted.
    left_out: tuple[dict[str, Any], ...] = ()

    def notes(self) -> list[str]:
        """What the person who posts must know (German): a video file bigger than a platform takes."""
        out = []
        for post in self.posts:
            platform = PLATFORMS[post.platform]
            if platform.file_max is None:
                continue
            for shape, path in self.files.videos(post.shapes).items():
                size = path.stat().st_size if path.is_file() else 0
                if size > platform.file_max:
                    out.append(f"{platform.title}: `{path.name}` ({shape}) hat {_mib(size)}, "
                               f"{platform.title} nimmt auf {platform.file_max_where} höchstens "
                               f"{_mib(platform.file_max)} "
                               "(andere Server haben eigene Grenzen: vorher prüfen)")
        return out

    def to_dict(self) -> dict[str, Any]:
        """The ``OUT.post.json`` content (``version: 1``); file names relative to the package's folder."""

        def name(p: Path | None) -> str | None:
            return p.name if p is not None else None

        return {
            "version": SCHEMA_VERSION,
            "episode": self.episode,
            "title": self.title,
            "format": self.format,
            "duration": round(float(self.duration), 3),
            "publish_at": self.publish_at.isoformat() if self.publish_at else None,
            "partners": list(self.partners),
            "jobs": [{"number": j.number, "title": j.title, "partner": j.partner} for j in self.jobs],
            "left_out": [dict(row) for row in self.left_out],
            "notes": self.notes(),
            "platforms": {
                p.platform: {
                    "title": p.title,
                    "description": p.description,
                    "hashtags": list(p.hashtags),
                    "text": p.text,
                    # the platform's own file: its first shape that was made (9:16 when none was), and its cover
                    "video": name(self.files.shown(p.shapes)[0]),
                    "videos": {shape: path.name for shape, path in self.files.videos(p.shapes).items()},
                    "cover": name(self.files.shown(p.shapes)[1]),
                    "captions": name(self.files.captions),
                    "publish_at": self.publish_at.isoformat() if self.publish_at else None,
                }
                for p in self.posts
            },
        }

    def markdown(self) -> str:
        """A readable ``OUT.post.md`` for the person who posts by hand."""
        when = self.publish_at.strftime("%d.%m.%Y %H:%M") if self.publish_at else "nicht geplant"
        lines = [f"# {_md(self.title)}", "", f"- Folge: `{self.episode}`", f"- Geplant: {when}",
                 f"- Video: `{self.files.video.name}` ({float(self.duration):.1f} s)"]
        if self.files.cover:
            lines.append(f"- Titelbild: `{self.files.cover.name}`")
        if self.files.captions:
            lines.append(f"- Untertitel-Datei: `{self.files.captions.name}`")
        for post in self.posts:
            videos = self.files.videos(post.shapes)
            if set(videos) - {DEFAULT_SHAPE}:
                shown = ", ".join(f"{shape}: `{path.name}`" for shape, path in videos.items())
                cover = self.files.shown(post.shapes)[1]
                titled = f", Titelbild `{cover.name}`" if cover is not None and cover != self.files.cover else ""
                lines.append(f"- Video für {PLATFORMS[post.platform].title}: {shown}{titled}")
        if self.partners:
            lines.append(f"- Partner (Reihenfolge im Video): {_md(', '.join(self.partners))}")
        notes = self.notes()
        if notes:
            lines += ["", "## Hinweise", "", *(f"- {note}" for note in notes)]
        if self.left_out:
            lines += ["", f"## Nicht gezeigte Stellen ({len(self.left_out)})", ""]
            status = {"expired": "abgelaufen", "invalid": "fehlerhaft"}
            lines += [f"- Zeile {row.get('row')} ({_md(str(row.get('partner') or '?'))}: "
                      f"{_md(str(row.get('title') or ''))}): {status.get(str(row.get('status')), row.get('status'))}"
                      f" {DASH} {_md(row_reasons(row, 'de'))}" for row in self.left_out]
        for post in self.posts:
            platform = PLATFORMS[post.platform]
            lines += ["", f"## {platform.title}", ""]
            if post.title is not None:
                lines += [f"**Titel:** {_md(post.title)}", ""]
            lines += ["```text", post.text.replace("```", "'''"), "```"]
        return "\n".join(lines) + "\n"


def _mib(size: int) -> str:
    return f"{size / 2**20:.0f} MiB"


def _md(text: str) -> str:
    """Markdown-escape user text for headings and list items (kept literal when shown)."""
    return re.sub(r"([\\`*_{}\[\]<>()#+!|])", r"\\\1", text)


def partners_in_order(episode: Episode, channel: Channel | None) -> tuple[str, ...]:
    """Partner display names in the order the video first shows each (bumpers and cards)."""
    seen: dict[str, None] = {}
    for seg in episode.segments:
        if seg.partner:
            seen.setdefault(seg.partner, None)
    names = []
    for pid in seen:
        partner = channel.partners.get(pid) if channel is not None else None
        names.append(partner.name if partner is not None else pid)
    return tuple(names)


def job_lines(episode: Episode, channel: Channel | None) -> tuple[JobLine, ...]:
    """The job board's jobs with their card numbers, in the video's order."""
    info = board_part(episode)
    if info is None:
        return ()
    out: list[JobLine] = []
    for card in info.cards:
        partner = channel.partners.get(card.job.partner) if channel is not None else None
        out.append(JobLine(card.number or len(out) + 1, card.job.title,
                           partner.name if partner is not None else card.job.partner))
    return tuple(out)


def template_values(episode: Episode, channel: Channel | None, *, duration: Fraction,
                    publish_at: datetime | None, partners: tuple[str, ...],
                    jobs: tuple[JobLine, ...]) -> dict[str, str]:
    """The values a post template may use (see :data:`vidcoop.channel.publishing.PLACEHOLDERS`)."""
    fmt = channel.formats.get(episode.format) if channel is not None and episode.format else None
    info = board_part(episode)
    week = ""
    if info is not None:
        week = parse_week(info.week).label_de
    elif publish_at is not None:
        week = parse_week(publish_at.date()).label_de
    return {
        "title": episode.title or (episode.name or ""),
        "channel": channel.name if channel is not None else "",
        "format": fmt.title if fmt is not None else (episode.format or ""),
        "week": week,
        "date": publish_at.strftime("%d.%m.%Y") if publish_at else "",
        "partners": ", ".join(partners),
        "jobs": "\n".join(f"Nr. {j.number} {DASH} {j.title} {DASH} {j.partner}" for j in jobs),
        "duration": str(spoken_seconds(float(duration))),
        "link": "",  # per platform (see _platform_post)
    }


def build_post(episode: Episode, channel: Channel | None, files: PostFiles, *, duration: Fraction,
               publish_at: datetime | None = None) -> PostPackage:
    """Fill the channel's templates for each of its platforms and check every rule.

    Raises:
        PolicyError: a platform limit is broken (rule ``post-limit``), or a text names a partner in a
            format without partner slots (rule ``partner-in-post-text``).
    """
    settings = channel.publish if channel is not None else PublishSettings()
    template = settings.template(episode.format)
    partners = partners_in_order(episode, channel)
    jobs = job_lines(episode, channel)
    values = template_values(episode, channel, duration=duration, publish_at=publish_at, partners=partners,
                             jobs=jobs)
    posts = tuple(replace(_platform_post(PLATFORMS[name], template, {**values, "link": settings.link_text(name)},
                                         partners, jobs, linked=settings.link_page_url is not None),
                          shapes=settings.shapes_for(name))
                  for name in settings.platforms)
    info = board_part(episode)
    package = PostPackage(
        episode=episode.name or "", title=values["title"], format=episode.format, duration=duration, files=files,
        publish_at=publish_at, partners=partners, jobs=jobs, posts=posts,
        left_out=info.left_out if info is not None else (),
    )
    check_post(package, episode, channel)
    return package


def _platform_post(platform: Platform, template: PostTemplate, values: dict[str, str],
                   partners: tuple[str, ...], jobs: tuple[JobLine, ...], *, linked: bool = False) -> PlatformPost:
    title = fill(template.text(platform.name, "title"), values).strip()
    description = fill(template.text(platform.name, "description"), values).strip()
    link = values["link"]
    if jobs:
        # The job board always lists every job and credits every partner, whatever the template says.
        if any(f"Nr. {j.number} {DASH} {j.title}" not in description for j in jobs):
            description = f"{description}\n\n{values['jobs']}".strip()
        if link not in description:
            description = f"{description}\n\n{JOBS_LINK}: {link}"
    elif linked and link not in description:  # every post names the link page, once it has an address
        description = f"{description}\n\n{PAGE_LINK}: {link}"
    if partners and any(p not in description for p in partners):
        description = f"{description}\n\nStellen von: {', '.join(partners)}"
    if platform.title_max is None:
        title_out: str | None = None
    else:
        title_out = title
    return PlatformPost(platform.name, title_out, description, template.hashtags)


def check_post(package: PostPackage, episode: Episode, channel: Channel | None) -> None:
    """Platform limits, and the partner rule for texts.

    Raises:
        PolicyError: naming the episode, the platform and the field.
    """
    name = package.episode or str(episode.manifest or "")
    fmt = channel.formats.get(episode.format) if channel is not None and episode.format else None
    for post in package.posts:
        platform = PLATFORMS[post.platform]
        where = f"{post.platform}"

        def fail(field_name: str, message: str, rule: str = "post-limit", where: str = where) -> PolicyError:
            return PolicyError(f"{where}.{field_name}: {message}", episode=name, format=episode.format, rule=rule,
                               path=channel.path if channel is not None else None,
                               field=f"posts.{episode.format or 'default'}.{field_name}")

        if platform.title_max is not None and post.title is not None and len(post.title) > platform.title_max:
            raise fail("title", f"{len(post.title)} characters, {platform.title} allows {platform.title_max}")
        size = len(post.text.encode("utf-8")) if platform.description_bytes else len(post.text)
        unit = "bytes" if platform.description_bytes else "characters"
        if size > platform.description_max:
            raise fail("description", f"{size} {unit} with hashtags, {platform.title} allows "
                                      f"{platform.description_max}")
        if platform.hashtags_max is not None and len(post.hashtags) > platform.hashtags_max:
            raise fail("hashtags", f"{len(post.hashtags)} hashtags, {platform.title} allows {platform.hashtags_max}")
        for shape in post.shapes:  # each shape posted there is its own kind of post (YouTube: 16:9 no Short)
            longest = platform.video_max_for(shape)
            if longest is not None and package.duration > longest:
                raise fail("video", f"{float(package.duration):.1f} s long, {platform.title} takes at most "
                                    f"{int(longest)} s of a {shape} video")
        if channel is not None and (fmt is None or not fmt.partner_slots):
            for field_name, text in (("title", post.title or ""), ("description", post.text)):
                named = _named_partner(text, channel)
                if named:
                    raise fail(field_name, f"names partner {named!r}, but format "
                                           f"{episode.format or '(none)'!r} has no partner slots",
                               rule="partner-in-post-text")


def _named_partner(text: str, channel: Channel) -> str | None:
    """The first partner the text names, by the one text rule of :mod:`vidcoop.channel.names`."""
    hit = find_partner(text, channel)
    return hit.name if hit is not None else None


def write_post(package: PostPackage, video: Path) -> tuple[Path, Path]:
    """Write ``OUT.post.json`` and ``OUT.post.md`` beside ``video``, atomically."""
    json_path = video.with_suffix(".post.json")
    md_path = video.with_suffix(".post.md")
    atomic_write_json(json_path, package.to_dict())
    atomic_write_text(md_path, package.markdown())
    return json_path, md_path
