"""The week's publishing step: post packages beside each rendered video, the link page, ``week.ics``.

:func:`publish_week` runs at the end of ``vidcoop batch``, for every episode whose video exists
(rendered now or up to date from an earlier run), so the files always match the videos.
:func:`check_texts` runs before rendering, so a text that breaks a limit or names a partner in a
neutral format fails its episode before any long work.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING, Any

from vidcoop.batch.naming import cover_paths, output_path, rendition_paths
from vidcoop.channel.config import ChannelCache, load_channel
from vidcoop.errors import MediaError, VidcoopError
from vidcoop.jobboard.board import board_channel
from vidcoop.jobboard.cues import write_cues
from vidcoop.jobboard.episode import board_part
from vidcoop.jobboard.week import parse_week
from vidcoop.media.probing import probe
from vidcoop.publish.linkpage import numbered_jobs, write_link_page
from vidcoop.publish.plan import PlannedPost, WeekPlan, localise, make_plan, write_ics
from vidcoop.publish.post import PostFiles, build_post, write_post
from vidcoop.shapes import DEFAULT_SHAPE

if TYPE_CHECKING:
    from vidcoop.batch.manifest import EpisodeEntry, Week
    from vidcoop.channel.config import Channel
    from vidcoop.timeline.model import Episode

ICS_NAME = "week.ics"
LINK_PAGE_DIR = "jobs"

ChannelLoader = Callable[[Path], "Channel"]


@dataclass(frozen=True)
class Published:
    """What the publishing step wrote, and which episodes it failed."""

    plan: WeekPlan
    written: tuple[Path, ...] = ()
    errors: dict[str, VidcoopError] = field(default_factory=dict, hash=False, compare=False)
    skipped: dict[str, str] = field(default_factory=dict, hash=False, compare=False)


def _channel(episode: Episode, load: ChannelLoader | None) -> Channel | None:
    if episode.channel is None:
        return None
    return (load or load_channel)(Path(episode.channel))


def _once(load: ChannelLoader | None) -> ChannelLoader:
    """``load`` (the batch's own cache), or a cache that loads each channel file once for this call."""
    return load if load is not None else ChannelCache()


def check_texts(episode: Episode, channel: Channel | None, *, duration: Fraction = Fraction(0)) -> None:
    """The post texts' rules before rendering: limits on texts and the partner rule.

    Pass the planned ``duration`` (:func:`vidcoop.pipeline.planned_duration`): ``{duration}`` fills
    texts with it, and a platform's video limit is checked against it.

    Raises:
        PolicyError: as :func:`vidcoop.publish.post.check_post`.
    """
    build_post(episode, channel, PostFiles(Path(f"{episode.name or 'episode'}.mp4")), duration=duration)


def publish_time(entry: EpisodeEntry, episode: Episode, channel: Channel | None,
                 week_path: Path | None = None) -> datetime | None:
    """The entry's ``publish:`` time in the channel's zone; job-board part N goes out N-1 days later.

    Raises:
        ManifestError: the time does not exist there (the hour the clocks skip), naming the week
            file and ``<entry>.publish``; see :func:`vidcoop.publish.plan.localise`.
    """
    if entry.publish is None:
        return None
    part = 1
    info = board_part(episode)
    if info is not None:
        part = info.part
    zone = channel.publish.timezone if channel is not None else "Europe/Berlin"
    where = f"{entry.field}.publish"
    return localise(entry.publish + timedelta(days=part - 1), zone, path=week_path,
                    field=where if part == 1 else f"{where} (part {part}, {part - 1} day(s) later)")


def check_publish_time(week: Week, entry: EpisodeEntry, episode: Episode, load: ChannelLoader | None = None) -> None:
    """Refuse a ``publish:`` time that does not exist in the channel's zone, before anything renders.

    Raises:
        ManifestError: as :func:`publish_time`.
    """
    publish_time(entry, episode, _channel(episode, load), week.path)


def _profile(week: Week) -> str:
    return "final" if "final" in week.profiles else week.profiles[0]


def _video(week: Week, name: str) -> Path:
    return output_path(week, name, _profile(week))


def planned_posts(week: Week, items: list[tuple[EpisodeEntry, str, Episode]],
                  load: ChannelLoader | None = None) -> list[PlannedPost]:
    """The plan's posts for loaded episodes, with the files they will post."""
    posts = []
    for entry, name, episode in items:
        channel = _channel(episode, load)
        video = _video(week, name)
        files = (video, video.with_name(f"{name}.cover.jpg"), video.with_suffix(".srt"),
                 video.with_suffix(".post.md"))
        posts.append(PlannedPost(name, episode.title or name, episode.format,
                                 publish_time(entry, episode, channel, week.path), files, entry.field))
    return posts


def _plan_label(week: Week, posts: list[PlannedPost]) -> str:
    if week.jobboard is not None and week.jobboard.week:
        return week.jobboard.week
    times = sorted(p.at for p in posts if p.at is not None)
    if times:
        iso = times[0].isocalendar()
        return f"{iso[0]}-W{iso[1]:02d}"
    return week.name


def _first_channel(items: list[tuple[EpisodeEntry, str, Episode]], load: ChannelLoader | None) -> Channel | None:
    for _entry, _name, episode in items:
        channel = _channel(episode, load)
        if channel is not None:
            return channel
    return None


def week_plan(week: Week, items: list[tuple[EpisodeEntry, str, Episode]],
              load: ChannelLoader | None = None) -> WeekPlan:
    """The week's plan (days, cadence gaps) for loaded episodes; nothing is written."""
    load = _once(load)
    posts = planned_posts(week, items, load)
    return make_plan(_plan_label(week, posts), posts, _first_channel(items, load))


def publish_week(week: Week, items: list[tuple[EpisodeEntry, str, Episode]],
                 load: ChannelLoader | None = None) -> Published:
    """Write the post package of every episode whose video exists, the job link page and ``week.ics``.

    Args:
        week: The week manifest.
        items: ``(entry, output name, episode)`` of the episodes that loaded and passed their checks.
        load: Loads a channel by path (the batch passes its cached loader).

    Returns:
        The plan, the files written, per episode name the error that failed its package (a video
        longer than a platform takes; other episodes are unaffected), and the episodes whose
        output could not be read as a video (no package; the reason is kept for the report).
    """
    load = _once(load)
    written: list[Path] = []
    errors: dict[str, VidcoopError] = {}
    skipped: dict[str, str] = {}
    posts = planned_posts(week, items, load)
    for (entry, name, episode), post in zip(items, posts, strict=True):
        video = post.files[0]
        if not video.is_file():
            continue
        if entry.jobboard is not None:
            written.extend(_board_captions(episode, video))
        channel = _channel(episode, load)
        try:
            info = probe(video)
        except MediaError as exc:
            skipped[name] = str(exc)
            continue
        try:
            duration = Fraction(info.duration or 0).limit_denominator(1000)
            cover, captions = post.files[1], post.files[2]
            shapes = channel.publish.shapes if channel is not None else ()
            made = tuple((shape, path) for shape, path in rendition_paths(week, name, _profile(week), shapes)
                         if shape != DEFAULT_SHAPE and path.is_file())  # each platform's own picture shape
            covers = tuple((shape, path) for shape, path in cover_paths(week, name, shapes)
                           if shape != DEFAULT_SHAPE and path.is_file())
            files = PostFiles(video, cover if cover.is_file() else None, captions if captions.is_file() else None,
                              made, covers)
            package = build_post(episode, channel, files, duration=duration, publish_at=post.at)
            written.extend(write_post(package, video))
        except VidcoopError as exc:
            errors[name] = exc
    channel = _first_channel(items, load)
    plan = make_plan(_plan_label(week, posts), posts, channel)
    written.append(write_ics(plan, week.output / ICS_NAME, channel.name if channel is not None else ""))
    written.extend(_link_page(week, items))
    return Published(plan, tuple(written), errors, skipped)


def _board_captions(episode: Episode, video: Path) -> list[Path]:
    """A job-board part's SRT/VTT beside its video: the cards' text, cue for cue, as ``vidcoop jobboard`` writes.

    The cards already show the text in the picture (captions are not burned); the
    sidecars carry it to platforms that take caption files, and to screen readers.
    """
    info = board_part(episode)
    cues = list(info.cues) if info is not None else []
    return list(write_cues(cues, video)) if cues else []


def _link_page(week: Week, items: list[tuple[EpisodeEntry, str, Episode]]) -> list[Path]:
    if week.jobboard is None:
        return []

    board_episodes: list[Any] = [ep for entry, _n, ep in items if entry.jobboard is not None]
    if not board_episodes:
        return []
    spec = week.jobboard
    page, index = write_link_page(numbered_jobs(board_episodes), board_channel(spec.channel),
                                  parse_week(spec.week), week.output / LINK_PAGE_DIR)
    return [page, index]
