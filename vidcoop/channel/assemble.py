"""The episode as rendered: the one way from a manifest episode plus its channel to what is encoded.

:func:`as_rendered` is the only place that assembles it, and ``render()``,
:func:`check_render` (``vidcoop check``, ``batch --check``) and the job board
all go through it, so what is checked is exactly what is encoded:

1. the format's structure from the brand kit (:func:`assemble`): parts the
   episode does not bring itself (intro, end card, outro) are the kit's bumper
   video, or a title card generated with Pillow and shown as a slowly zooming still;
2. lower thirds drawn in the kit's style (:func:`with_lower_thirds`);
3. planned (every source probed and validated), pauses tightened (overlays
   follow the cuts) and bumper/card levels matched to the body;
4. ``logo: true`` lays the kit's logo over the body (never over intro or
   cards), at the kit's position inside the safe zone (:func:`with_logo`).

The render engine (:mod:`vidcoop.engine`) then encodes the plan it is given
and knows nothing of channels or partners.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from fractions import Fraction
from pathlib import Path

from vidcoop.brand.cards import render_end_card, render_lower_third, render_title_card
from vidcoop.brand.kit import BrandKit, Bumper, load_kit
from vidcoop.brand.safezone import SafeZone
from vidcoop.channel.audio import level_match_episode, tighten_episode
from vidcoop.channel.bumpers import with_partner_stills
from vidcoop.channel.config import Channel, load_channel
from vidcoop.channel.policy import PolicyReport, check_episode
from vidcoop.channel.spans import Span
from vidcoop.engine.api import Assembled
from vidcoop.engine.plan import PlannedSegment, RenderPlan, plan_episode
from vidcoop.engine.profiles import Profile, get_profile
from vidcoop.errors import ManifestError, MediaError
from vidcoop.files import work_dir
from vidcoop.media.probing import probe
from vidcoop.resources import kit_dir
from vidcoop.shapes import DEFAULT_SHAPE
from vidcoop.timeline.model import Anonymize, Episode, Overlay, Reframe, Segment

# The title cards breathe a little: a slow 4 % zoom over their length.
CARD_ZOOM = (1.0, 1.04)


def assemble(episode: Episode, channel: Channel | None, kit: BrandKit, work: Path,
             shape: str = DEFAULT_SHAPE) -> Episode:
    """The episode with its format's intro, end card and outro added from the kit.

    Parts the episode already has (a segment of kind ``intro``, ``endcard`` or
    ``outro``) are kept as they are. Without a channel or format nothing is added.
    Generated cards are drawn for ``shape``'s frame and safe zone.
    """
    if channel is None or episode.format not in channel.formats:
        return episode
    structure = channel.formats[episode.format].structure
    kinds = {s.kind for s in episode.segments}
    head: list[Segment] = []
    tail: list[Segment] = []
    if structure.intro and "intro" not in kinds:
        head.append(_bumper(kit, kit.intro, "intro", channel.name, episode.title, work, shape))
    if structure.end_card and "endcard" not in kinds:
        card = render_end_card(kit, kit.end_card.cta, work / "endcard.png", subline=kit.end_card.subline, shape=shape)
        tail.append(_still(card.path, kit.end_card.duration, "endcard", "end card"))
    if structure.outro and "outro" not in kinds:
        tail.append(_bumper(kit, kit.outro, "outro", channel.name, None, work, shape))
    if not head and not tail:
        return episode
    return replace(episode, segments=(*head, *episode.segments, *tail))


def with_logo(episode: Episode, kit: BrandKit, body: tuple[Fraction, Fraction] | None,
              shape: str = DEFAULT_SHAPE) -> Episode:
    """Add the kit's logo over ``body`` (start, end on the timeline) when the manifest asks for it,
    placed as the kit places it in ``shape``."""
    if not episode.logo or body is None:
        return episode
    return replace(episode, overlays=(*episode.overlays, kit.logo_overlay(body[0], body[1], shape)))


def with_lower_thirds(episode: Episode, kit: BrandKit, work: Path) -> Episode:
    """Speaker name/role cards (``episode.lower_thirds``) drawn in the kit's style, as overlays.

    Each is a PNG with alpha at the kit's lower-third box, inside the safe zone and above the captions.
    """
    items = episode.lower_thirds
    if not items:
        return episode
    overlays = []
    for i, item in enumerate(items):
        card = render_lower_third(kit, item.name, item.role, work / f"lower-third-{i}.png")
        overlays.append(Overlay(card.path, x=card.box.x, y=card.box.y, width=card.box.width,
                                start=item.start, end=item.end,
                                kind="lower-third", label=f"lower third: {item.name}",
                                field=f"lower_thirds.{i}"))
    return replace(episode, overlays=(*episode.overlays, *overlays))


def check_audio(episode: Episode) -> None:
    """Audio settings fail before transcription and rendering, not after: the music file must play."""
    spec = episode.audio.music
    if spec is None:
        return
    if not spec.file.is_file():
        raise ManifestError("music file not found", path=spec.file, field="audio.music")
    try:
        info = probe(spec.file)
    except MediaError as exc:
        raise MediaError(exc.message, path=spec.file, field="audio.music", hint=exc.hint) from None
    if not info.audio:
        raise MediaError("the music file has no audio stream", path=spec.file, field="audio.music")


def body_range(spans: Iterable[Span], is_body: Callable[[str], bool] = lambda kind: kind == "body") -> tuple[Fraction,
                                                                                                   Fraction] | None:
    """First body start to last body end on the timeline, from segment spans."""
    body = [s for s in spans if is_body(s.kind)]
    if not body:
        return None
    return body[0].start, body[-1].end


def _bumper(kit: BrandKit, spec: Bumper, kind: str, channel_name: str, subtitle: str | None, work: Path,
            shape: str = DEFAULT_SHAPE) -> Segment:
    if spec.video is not None:
        return Segment(spec.video, duration=spec.duration, reframe=Reframe(mode="fit-blur"), kind=kind,
                       label=f"{kind} (kit)")
    card = render_title_card(kit, spec.title or channel_name, subtitle or spec.subtitle, work / f"{kind}.png", shape)
    return _still(card.path, spec.duration, kind, f"{kind} (generated)")


def _still(path: Path, duration: Fraction, kind: str, label: str) -> Segment:
    return Segment(path, duration=Fraction(duration), reframe=Reframe(mode="fit-pad", zoom=CARD_ZOOM), kind=kind,
                   label=label)


# ---- the one assembly ----------------------------------------------------------------------------


@dataclass(frozen=True)
class AsRendered:
    """The episode exactly as it will be encoded, with what the stages after it need.

    Attributes:
        plan: The probed, validated plan; ``plan.episode`` is the assembled episode.
        channel: The channel config, or None for a plain render of one's own footage.
        kit: The brand kit (the channel's, else the shipped neutral one).
    """

    plan: RenderPlan
    channel: Channel | None
    kit: BrandKit

    @property
    def episode(self) -> Episode:
        return self.plan.episode

    def lengths(self) -> Callable[[Segment], Fraction | None]:
        """Each segment's exact planned length (for the policy check)."""
        lengths = {ps.segment: ps.duration for ps in self.plan.segments}
        return lengths.get

    def engine_input(self) -> Assembled:
        """What the render engine needs: the plan, the kit, and the caption settings the channel decides."""
        ep = self.episode
        privacy = None
        if self.channel is not None and self.channel.anonymize_unknown_faces:
            privacy = Anonymize(faces="all-but-subject")
        return Assembled(self.plan, self.kit, caption_style=caption_style_name(ep, self.channel),
                         language=caption_language(ep, self.channel),
                         glossary=self.channel.glossary if self.channel is not None else None, privacy=privacy)


def episode_channel(episode: Episode, channel: Channel | None = None) -> Channel | None:
    """The channel an episode is rendered for: ``channel`` if given, else the one it names, else None.

    Raises:
        ManifestError: the episode names a format but no channel (formats exist only in a channel).
    """
    if channel is None and episode.channel is not None:
        channel = load_channel(episode.channel)
    if channel is None and episode.format is not None:
        raise ManifestError(
            f"format {episode.format!r} needs its channel: add channel: path/to/channel.yaml",
            path=episode.manifest, field="format",
        )
    return channel


def default_kit() -> BrandKit:
    """The shipped neutral brand kit."""
    return load_kit(kit_dir("neutral"))


def as_rendered(episode: Episode, work: Path, *, channel: Channel | None = None, profile: str | Profile | None = None,
                loudness: bool = True, crf: int | None = None, preset: str | None = None) -> AsRendered:
    """Assemble and plan ``episode`` exactly as it is encoded: the only way there.

    Args:
        episode: The manifest's (or a script's) episode.
        work: A folder for generated cards; it must outlive the render.
        channel: The loaded channel (default: the one the episode names).
        profile: Output profile name or object (default: the episode's).
        loudness: Match bumper and card levels to the body (as a render with loudness does).
        crf, preset: Override the profile's x264 quality and speed.

    Raises:
        ManifestError, MediaError: bad input, before any ffmpeg run.
    """
    channel = episode_channel(episode, channel)
    kit = channel.kit() if channel is not None else default_kit()
    check_audio(episode)
    shape = get_profile(profile or episode.profile).shape
    if channel is not None:  # a partner's own still for each shape, as the job board shows it
        episode = with_partner_stills(episode, channel)
    episode = with_lower_thirds(assemble(episode, channel, kit, work, shape), kit, work)
    plan = plan_episode(episode, profile)  # every input error is raised here, before any ffmpeg run
    changed = tighten_episode(episode)
    if loudness:
        changed = level_match_episode(changed)  # no bumper or card louder than the body
    if changed != episode:
        if _cuts(changed) != _cuts(episode) and changed.overlays:
            # Overlays move with the cuts, like the captions do: map their times onto the tightened timeline.
            moved = follow_cuts(plan, plan_episode(replace(changed, overlays=()), profile))
            changed = replace(changed, overlays=tuple(
                replace(ov, start=moved(ov.start), end=None if ov.end is None else moved(ov.end))
                for ov in changed.overlays))
        episode, plan = changed, plan_episode(changed, profile)
    if episode.logo:
        # The logo covers the body only, so its times come from the first plan.
        plan = plan_episode(with_logo(episode, kit, body_range(plan_spans(plan)), shape), profile)
    if crf is not None or preset is not None:
        plan = replace(plan, profile=plan.profile.with_quality(crf=crf, preset=preset))
    return AsRendered(plan, channel, kit)


def check_as_rendered(rendered: AsRendered, *, strict: bool = False,
                      safe_zone: SafeZone | None = None) -> PolicyReport | None:
    """The channel's rules on the assembled episode with its exact lengths; None without a channel.

    Raises:
        PolicyError: a broken rule; nothing may be rendered.
    """
    if rendered.channel is None:
        return None
    return check_episode(rendered.episode, rendered.channel, strict=strict, durations=rendered.lengths(),
                         safe_zone=safe_zone)


def check_render(episode: Episode, *, channel: Channel | None = None, profile: str | Profile | None = None,
                 strict: bool = False, safe_zone: SafeZone | None = None) -> PolicyReport | None:
    """Assemble and plan an episode exactly as ``render()`` would, and run the channel's rules; render nothing.

    Sources are probed and the format's parts come from the kit; loudness is
    not measured. Returns the :class:`~vidcoop.channel.policy.PolicyReport`
    (None for an episode with neither channel nor format).

    Raises:
        ManifestError, MediaError, PolicyError: as render() would, before ffmpeg.
    """
    with work_dir("check") as work:
        rendered = as_rendered(episode, work, channel=channel, profile=profile, loudness=False)
        return check_as_rendered(rendered, strict=strict, safe_zone=safe_zone)


def plan_spans(plan: RenderPlan) -> tuple[Span, ...]:
    """The plan's segments as :class:`vidcoop.channel.spans.Span` (exact, after crossfades)."""
    return tuple(
        Span(ps.index, ps.timeline_start, ps.timeline_end, ps.segment.kind, ps.segment.partner,
             ps.segment.field or f"segments.{ps.index}")
        for ps in plan.segments
    )


def caption_style_name(episode: Episode, channel: Channel | None) -> str:
    """The episode's caption style, else its format's, else ``subtitle``."""
    if episode.captions.style:
        return episode.captions.style
    if channel is not None and episode.format in channel.formats:
        return str(channel.formats[episode.format].caption_style)
    return "subtitle"


def caption_language(episode: Episode, channel: Channel | None) -> str | None:
    """The spoken language: the episode's, else the channel's, else German; ``auto`` detects."""
    lang = episode.captions.language or (channel.language if channel is not None else None) or "de"
    return None if lang == "auto" else lang


def _cuts(episode: Episode) -> list[tuple[str, Fraction | None, Fraction | None]]:
    """What places material on the timeline (level matching changes volumes only)."""
    return [(str(s.source), s.start, s.end) for s in episode.segments]


def follow_cuts(before: RenderPlan, after: RenderPlan) -> Callable[[Fraction], Fraction]:
    """Map a time on ``before``'s timeline to ``after``'s, where segments were cut into pieces.

    A segment that ``tighten`` split keeps its source and manifest field in every piece;
    a time inside a removed pause moves to the start of the next piece.
    """

    def key(seg: Segment) -> tuple[str | None, str]:
        return seg.field, str(seg.source)

    pieces: dict[tuple[str | None, str], list[PlannedSegment]] = {}
    for ps in after.segments:
        pieces.setdefault(key(ps.segment), []).append(ps)

    def moved(t: Fraction) -> Fraction:
        old = next((ps for ps in before.segments if t < ps.timeline_end), before.segments[-1])
        source_t = old.source_start + (t - old.timeline_start)
        candidates = pieces.get(key(old.segment), [])
        for piece in candidates:
            if source_t < piece.source_start:
                return piece.timeline_start  # inside a removed pause
            if source_t <= piece.source_end:
                return piece.timeline_start + (source_t - piece.source_start)
        return candidates[-1].timeline_end if candidates else min(t, after.duration)

    return moved
