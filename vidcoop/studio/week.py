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
from vidcoop.batch.naming import output_path, rendition_paths
from vidcoop.batch.report import PREVIEW
from vidcoop.batch.state import BatchState
from vidcoop.channel.config import ChannelCache
from vidcoop.engine.profiles import Profile, get_profile
from vidcoop.errors import VidcoopError, first_line
from vidcoop.files import cache_dir
from vidcoop.pipeline import planned_duration
from vidcoop.review import FileHasher, content_key, input_dirs, required_approvals
from vidcoop.review import book as rv
from vidcoop.review.keys import rendition_key
from vidcoop.shapes import DEFAULT_SHAPE, get_shape
from vidcoop.timeline.model import Episode, episode_shapes

EPISODE, JOBBOARD = "episode", "jobboard"
# A picture shape's preview or final video: made from the episode as it is now, made from other content, none.
CURRENT, STALE, MISSING = "current", "stale", "missing"
FILE_STATES = (CURRENT, STALE, MISSING)
DEFAULT_TIMEZONE = "Europe/Berlin"  # review times without a channel (the channel schema's default too)


def preview_profile() -> Profile:
    """The review's preview, the batch's ``preview`` profile: 540x960, the captions burned in as the kit styles
    them, as viewers will see them."""
    return get_profile(PREVIEW)


@dataclass(frozen=True)
class ShapeFiles:
    """One picture shape an episode is posted in: its preview and its final video, each with its state
    (:data:`CURRENT`, :data:`STALE`: a file made from other content, :data:`MISSING`).

    Attributes:
        shape: The shape's name (``4:5``).
        preview: Where its preview is (or will be): the batch's when it is current, else the studio's.
        preview_state: The preview's state; stale when only an older preview of the episode is there.
        final: Where the batch puts its final video (``OUT/<name>.4x5.mp4``).
        final_state: The final video's state, by the batch's own record of the key it was made under.
    """

    shape: str
    preview: Path
    preview_state: str
    final: Path
    final_state: str


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
        renditions: Each picture shape the episode is posted in (9:16 first, then what its channel's
            platforms and its own ``renditions:`` ask for), with its preview and final video and their states.
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
    renditions: tuple[ShapeFiles, ...] = ()

    @property
    def shapes(self) -> tuple[str, ...]:
        """The picture shapes the studio previews (9:16 alone when none is known)."""
        return tuple(r.shape for r in self.renditions) or (DEFAULT_SHAPE,)

    def preview_of(self, shape: str) -> Path | None:
        """Where ``shape``'s preview is (9:16: :attr:`preview`); None for a shape the episode is not posted in."""
        if shape == DEFAULT_SHAPE:
            return self.preview
        return next((r.preview for r in self.renditions if r.shape == shape), None)

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
            renditions = shape_files(wk, name, episode, hasher, policy, state)
            preview = renditions[0].preview
            required = required_approvals(episode, policy)
        except VidcoopError as exc:
            items.append(EpisodeInfo(name, entry.field, kind, episode, error=_line(exc)))
            continue
        final = output_path(wk, name, "final")
        reviews = book.of(name)
        status = review_status_or_render(reviews, key, required, preview, final)
        inline = entry.path is None and entry.jobboard is None
        items.append(EpisodeInfo(name, entry.field, kind, episode, None, key, preview, status, required, reviews,
                                 final, inline, renditions))
    return items


def review_status_or_render(reviews: tuple[rv.Review, ...], key: str, required: int, preview: Path, final: Path) -> str:
    """The review status; before any review, whether a preview (or final render) exists."""
    status = rv.review_status(reviews, key, required)
    if status is not None:
        return status
    return rv.PREVIEW_READY if preview.is_file() or final.is_file() else rv.NOT_RENDERED


def posted_shapes(episode: Episode, policy: ChannelCache) -> tuple[str, ...]:
    """9:16, then each shape the episode's channel platforms (``renditions:`` in channel.yaml) or the episode
    itself (``renditions:`` in its manifest) ask for: the shapes the batch renders finals in."""
    wanted = policy.channel(Path(episode.channel)).publish.shapes if episode.channel is not None else ()
    return tuple(dict.fromkeys((DEFAULT_SHAPE, *wanted, *episode_shapes(episode))))


def shape_files(wk: Week, name: str, episode: Episode, hasher: FileHasher, policy: ChannelCache,
                state: BatchState) -> tuple[ShapeFiles, ...]:
    """Each shape of :func:`posted_shapes` with its preview and final video and their states.

    A final is current when the batch recorded it under the key it would render that shape with now
    (:func:`vidcoop.review.keys.rendition_key`, as ``vidcoop batch`` skips it), stale when the file is there
    under another key. A preview is current when the file for the episode's present content is there (the
    batch's or the studio's), stale when only the batch's older preview of that shape is.
    """
    shapes = posted_shapes(episode, policy)
    dirs = input_dirs(episode, policy, wk.brand_kit)
    finals = dict(rendition_paths(wk, name, "final", shapes))
    batch_previews = dict(rendition_paths(wk, name, PREVIEW, shapes))
    found: list[ShapeFiles] = []
    for shape in shapes:
        preview = preview_path(wk, episode, hasher, policy, name=name, state=state, shape=shape)
        final = finals[shape]
        key = rendition_key(episode, "final", shape, hasher=hasher, kit_dirs=dirs)
        found.append(ShapeFiles(shape, preview, _file_state(preview.is_file(), batch_previews[shape].is_file()),
                                final, _file_state(state.is_done(final, key), final.is_file())))
    return tuple(found)


def _file_state(current: bool, there: bool) -> str:
    return CURRENT if current else STALE if there else MISSING


def preview_path(wk: Week, episode: Episode, hasher: FileHasher, policy: ChannelCache | None = None, *,
                 name: str | None = None, state: BatchState | None = None, shape: str = DEFAULT_SHAPE) -> Path:
    """The preview of ``episode``, keyed by its content (the caption file included, so a saved fix makes a new one).

    The batch's own ``OUT/<name>.preview.mp4`` when ``vidcoop batch`` rendered it for exactly this content
    (the same profile, captions burned in), else a file in the studio's cache that the studio renders.
    The studio's file is keyed by the content ``shape`` shows (:func:`vidcoop.review.keys.rendition_key`): a
    change to one shape's settings re-renders only that shape's preview. Another shape's preview is always the
    studio's (the batch previews 9:16 only).
    """
    prof = preview_profile()
    dirs = input_dirs(episode, policy or ChannelCache(), wk.brand_kit)
    key = rendition_key(episode, prof.name, shape, hasher=hasher, kit_dirs=dirs)  # the batch's key, too
    if shape == DEFAULT_SHAPE and name is not None:
        batch_preview = output_path(wk, name, PREVIEW)
        if (state or BatchState.load(wk.output)).is_done(batch_preview, key):
            return batch_preview
    suffix = "" if shape == DEFAULT_SHAPE else f".{get_shape(shape).slug}"
    return cache_dir("studio", "previews") / f"{key[:32]}{suffix}.mp4"


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
        "renditions": [{"shape": r.shape, "preview": r.preview_state, "final": r.final_state,
                        "final_file": r.final.name} for r in info.renditions],
    }


def _line(exc: BaseException) -> str:
    """The first line of an error, whole (a row names the file, however long its path)."""
    return first_line(exc)
