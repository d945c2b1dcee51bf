"""The week as the review sees it: each episode with its content key, preview and status.

Used by the studio's pages, by ``vidcoop status`` and by ``vidcoop batch
--approved-only``, so all three agree on what "approved" means.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Any

from vidcoop.batch.manifest import Week, load_week, week_episodes
from vidcoop.batch.naming import output_path
from vidcoop.batch.report import PREVIEW
from vidcoop.batch.state import BatchState
from vidcoop.channel.config import ChannelCache
from vidcoop.engine.profiles import Profile, get_profile
from vidcoop.errors import VidcoopError, first_line
from vidcoop.files import cache_dir
from vidcoop.pipeline import planned_duration
from vidcoop.review import FileHasher, content_key, input_dirs, output_key, required_approvals
from vidcoop.review import book as rv
from vidcoop.timeline.model import Episode

EPISODE, JOBBOARD = "episode", "jobboard"
DEFAULT_TIMEZONE = "Europe/Berlin"  # review times without a channel (the channel schema's default too)


def preview_profile() -> Profile:
    """The review's preview, the batch's ``preview`` profile: 540x960, the captions burned in as the kit styles
    them, as viewers will see them."""
    return get_profile(PREVIEW)


@dataclass(frozen=True)
class EpisodeInfo:
    """One row of the week page.

    Attributes:
        name: The episode's name in the week (job board parts have their own).
        field: Where it sits in the week manifest (``episodes.0``, ``jobboard``).
        kind: ``episode`` or ``jobboard``.
        episode: The loaded episode, or None when it failed to load (see ``error``).
        error: One line saying why it failed to load.
        key: The content key an approval records.
        preview: Where its cached preview render is (or will be).
        status: One of :data:`vidcoop.review.STATUSES`.
        approvals: Approvals the channel requires.
        reviews: Its reviews, oldest first.
        final: Where the batch puts its final render.
        inline: Written inside the week manifest (no manifest of its own to edit).
    """

    name: str
    field: str
    kind: str
    episode: Episode | None = None
    error: str | None = None
    key: str = ""
    preview: Path | None = None
    status: str = rv.NOT_RENDERED
    approvals: int = 1
    reviews: tuple[rv.Review, ...] = ()
    final: Path | None = None
    inline: bool = False

    @property
    def format(self) -> str:
        return (self.episode.format or "") if self.episode is not None else ""

    @property
    def title(self) -> str:
        """What people call the episode: the manifest's ``title``, else its name."""
        return (self.episode.title if self.episode is not None else "") or self.name

    @property
    def manifest(self) -> Path | None:
        """The episode's own manifest file (None when it is written inside the week manifest)."""
        return self.episode.manifest if self.episode is not None and not self.inline else None

    @property
    def caption_source(self) -> str:
        """``auto``, ``off``, ``cards`` (the job board's text) or the caption file's name."""
        if self.episode is None:
            return ""
        if self.kind == JOBBOARD:
            return "cards"
        spec = self.episode.captions
        if spec.mode == "file" and spec.path is not None:
            return spec.path.name
        return spec.mode


@dataclass
class WeekView:
    """A loaded week with its reviews; ``refresh()`` re-reads everything from disk."""

    path: Path
    week: Week | None = None
    items: list[EpisodeInfo] = field(default_factory=list)
    hasher: FileHasher | None = None

    @classmethod
    def open(cls, path: str | Path) -> WeekView:
        view = cls(Path(path))
        view.refresh()
        return view

    @property
    def reviews_file(self) -> Path:
        return rv.reviews_path(self.path)

    def refresh(self) -> WeekView:
        """Reload the week, its episodes and the reviews; hashes are reused while files are unchanged."""
        self.week = load_week(self.path)
        self.hasher = FileHasher(self.hasher.cache if self.hasher else None, exclude=[self.week.output])
        book = rv.ReviewBook.load(self.reviews_file)
        self.items = describe_week(self.week, book, self.hasher)
        return self

    def get(self, name: str) -> EpisodeInfo | None:
        return next((i for i in self.items if i.name == name), None)


def describe_week(wk: Week, book: rv.ReviewBook, hasher: FileHasher) -> list[EpisodeInfo]:
    """Every episode of the week with key, preview path and status (a broken one, or a twin, keeps its row)."""
    policy = ChannelCache()
    state = BatchState.load(wk.output)  # a preview the batch made is the studio's, while it is up to date
    items: list[EpisodeInfo] = []
    for found in week_episodes(wk):
        entry, name, episode = found.entry, found.name, found.episode
        kind = JOBBOARD if entry.jobboard is not None else EPISODE
        if found.error is not None or episode is None:
            items.append(EpisodeInfo(name, entry.field, kind, episode, error=_line(found.error or Exception())))
            continue
        try:
            key = content_key(episode, hasher, policy, wk.brand_kit)
            preview = preview_path(wk, episode, hasher, policy, name=name, state=state)
            required = required_approvals(episode, policy)
        except VidcoopError as exc:
            items.append(EpisodeInfo(name, entry.field, kind, episode, error=_line(exc)))
            continue
        final = output_path(wk, name, "final")
        reviews = book.of(name)
        status = review_status_or_render(reviews, key, required, preview, final)
        inline = entry.path is None and entry.jobboard is None
        items.append(EpisodeInfo(name, entry.field, kind, episode, None, key, preview, status, required, reviews,
                                 final, inline))
    return items


def review_status_or_render(reviews: tuple[rv.Review, ...], key: str, required: int, preview: Path, final: Path) -> str:
    """The review status; before any review, whether a preview (or final render) exists."""
    status = rv.review_status(reviews, key, required)
    if status is not None:
        return status
    return rv.PREVIEW_READY if preview.is_file() or final.is_file() else rv.NOT_RENDERED


def preview_path(wk: Week, episode: Episode, hasher: FileHasher, policy: ChannelCache | None = None, *,
                 name: str | None = None, state: BatchState | None = None) -> Path:
    """The preview of ``episode``, keyed by its content (the caption file included, so a saved fix makes a new one).

    The batch's own ``OUT/<name>.preview.mp4`` when ``vidcoop batch`` rendered it for exactly this content
    (the same profile, captions burned in), else a file in the studio's cache that the studio renders.
    """
    prof = preview_profile()
    dirs = input_dirs(episode, policy or ChannelCache(), wk.brand_kit)
    key = output_key(episode, prof.name, hasher=hasher, kit_dirs=dirs)  # the batch's key for its preview
    if name is not None:
        batch_preview = output_path(wk, name, PREVIEW)
        if (state or BatchState.load(wk.output)).is_done(batch_preview, key):
            return batch_preview
    return cache_dir("studio", "previews") / f"{key[:32]}.mp4"


def duration_of(info: EpisodeInfo) -> Fraction | None:
    """The rendered length (format parts included), or None when it cannot be planned."""
    if info.episode is None:
        return None
    try:
        return planned_duration(info.episode, profile=preview_profile())
    except VidcoopError:
        return None


def channel_words(info: EpisodeInfo, channels: ChannelCache) -> tuple[str, str]:
    """The episode's format as its channel names it (``title:``, "Erklärvideo") and the channel's time zone.

    Without a channel (or with one that does not load: its row already says why) the format's id
    and Europe/Berlin.
    """
    episode = info.episode
    fallback = (info.format, DEFAULT_TIMEZONE)
    if episode is None or episode.channel is None:
        return fallback
    try:
        channel = channels.channel(Path(episode.channel))
    except VidcoopError:
        return fallback
    fmt = channel.formats.get(info.format) if info.format else None
    return (fmt.title if fmt is not None else info.format), channel.publish.timezone


def status_row(info: EpisodeInfo, duration: Fraction | None) -> dict[str, Any]:
    """One row of the week's status (the week page, its JSON twin and ``vidcoop status`` share it)."""
    return {
        "name": info.name,
        "field": info.field,
        "kind": info.kind,
        "format": info.format,
        "captions": info.caption_source,
        "status": info.status,
        "error": info.error,
        "duration": None if duration is None else round(float(duration), 1),
        "approvals": len(rv.current_approvers(info.reviews, info.key)),
        "required": info.approvals,
    }


def _line(exc: BaseException) -> str:
    """The first line of an error, whole (a row names the file, however long its path)."""
    return first_line(exc)
