"""Make an episode's cover: the frame the video shows at a time, and the title.

The episode is assembled and planned as it is rendered (the format's intro and
outro, tightened pauses, the logo and lower thirds), ``reframe: auto`` is
resolved by the same face analysis the render uses, and the frame comes from
the render's own filter graph (:func:`vidcoop.engine.api.render_frame`): the
cover shows the crop, zoom, masks and overlays the video shows then, without
captions. Without a time, candidate frames spread over the episode's body are
scored as they are cropped: a face first, then sharpness; never a near-black
frame, a test pattern or a card.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any

from vidcoop.brand.kit import load_kit
from vidcoop.channel.assemble import as_rendered, check_as_rendered, episode_channel
from vidcoop.cover.compose import CoverStyle, TitleLayout, compose_cover
from vidcoop.cover.frames import Candidate, best, count_faces, decode_frames, face_boxes, score
from vidcoop.engine.api import render_frame, resolve_faces
from vidcoop.engine.profiles import get_profile
from vidcoop.errors import ManifestError, MediaError
from vidcoop.faces.reframe import crop_width, focus_at
from vidcoop.files import atomic_save_image, work_dir
from vidcoop.outputs import check_outputs, episode_inputs
from vidcoop.shapes import DEFAULT_SHAPE
from vidcoop.timeline.model import Episode, Reframe

DEFAULT_CANDIDATES = 12


@dataclass(frozen=True)
class CoverOptions:
    """Choices for one cover.

    Attributes:
        at: Time on the episode timeline to take the frame from; None = pick automatically.
        title: Text on the cover; None = the episode's title.
        kit: Brand kit (name, folder or kit.yaml) for the title's font, colours and safe zone;
            None = the episode channel's kit, else the neutral kit.
        candidates: How many frames the automatic pick decodes and scores.
        quality: JPEG quality.
        shape: The picture shape of the cover (as the video of that shape shows the frame).
    """

    at: Fraction | None = None
    title: str | None = None
    kit: str | Path | None = None
    shape: str = DEFAULT_SHAPE
    candidates: int = DEFAULT_CANDIDATES
    quality: int = 90


@dataclass(frozen=True)
class CoverResult:
    """What a cover was made from (``segment`` counts the segments of the episode as rendered)."""

    output: Path
    segment: int
    source: Path
    source_time: Fraction
    episode_time: Fraction
    sharpness: float
    layout: TitleLayout | None
    faces: int = 0


def make_cover(episode: Episode, output: str | Path, options: CoverOptions | None = None) -> CoverResult:
    """Write a 1080x1920 JPEG cover for ``episode`` to ``output`` (atomically).

    Raises:
        ManifestError: ``at`` lies outside the episode, or the kit is invalid.
        PolicyError: the episode breaks its channel's rules (a cover is not made for it).
        MediaError: a source cannot be decoded.
        OutputError: ``output`` is an input, a folder, or cannot be written (before any decoding).
    """
    from PIL import Image

    opts = options or CoverOptions()
    out = Path(output)
    channel = episode_channel(episode)
    kit = _cover_kit(channel, opts.kit)
    check_outputs([("cover", out)], episode_inputs(episode, channel=channel, kit=kit))
    style = CoverStyle.from_kit(kit, opts.shape)
    with work_dir("cover") as work:
        profile = get_profile(episode.profile).for_shape(opts.shape)
        rendered = as_rendered(episode, work, channel=channel, profile=profile, loudness=False)
        # A cover shows the episode's pictures: the partner rule holds for it too.
        check_as_rendered(rendered)
        plan, _, _ = resolve_faces(rendered.engine_input(), work)
        if opts.at is not None:
            _check_at(plan.duration, opts.at, episode)
            at, pick = opts.at, None
        else:
            at, pick = _auto_pick(plan, opts.candidates)
        frame = render_frame(plan, at, work / "frame.png")
        with Image.open(frame) as img:
            image = img.convert("RGB")
    ps = _on_screen(plan, at)
    faces = face_boxes(image)  # the detector runs once on the frame: for the pick's count and the title's place
    if pick is None:
        pick = score(image, _source_time(ps, at))
        pick = Candidate(pick.time, image, pick.sharpness, pick.brightness, pick.pattern, len(faces or ()))
    # A title card picked automatically already shows the title; it is the cover as it is.
    shows_title = opts.at is None and ps.segment.kind == "title"
    title = (episode.title if not shows_title else "") if opts.title is None else opts.title
    scale = style.size[0] / image.width  # the cover is the rendered frame at its shape's design size
    cards = [_scaled(b.x, b.y, b.right, b.bottom, scale) for b in _shown(plan, at, _CARDS)]
    logo = [_scaled(b.x, b.y, b.right, b.bottom, scale) for b in _shown(plan, at, ("logo",))]
    cover, layout = compose_cover(image, title, style, cards, [_scaled(*box, scale) for box in faces or ()], logo)
    atomic_save_image(cover, out, "JPEG", quality=opts.quality, optimize=True, progressive=True)
    return CoverResult(out, ps.index, Path(ps.path), pick.time, at, pick.sharpness, layout, pick.faces)


def check_cover_time(episode: Episode, at: Fraction, kit: str | Path | None = None) -> None:
    """Refuse a cover time outside the rendered episode now, before anything renders.

    Raises:
        ManifestError: ``at`` lies outside the episode (with intro and outro).
    """
    with work_dir("cover") as work:
        total = as_rendered(episode, work, loudness=False).plan.duration
    _check_at(total, at, episode)


def _cover_kit(channel: Any, kit: str | Path | None) -> Any:
    return load_kit(kit or "neutral") if kit is not None or channel is None else channel.kit()


def _check_at(total: Fraction, at: Fraction, episode: Episode) -> None:
    if not 0 <= at < total:
        raise ManifestError(f"cover time {float(at):.3f}s is outside the episode (0..{float(total):.3f}s)",
                            path=episode.manifest, field="cover.at")


def _on_screen(plan: Any, at: Fraction) -> Any:
    """The planned segment on screen at ``at`` (in a crossfade, the incoming one: it stays)."""
    return [ps for ps in plan.segments if ps.timeline_start <= at][-1]


def _source_time(ps: Any, at: Fraction) -> Fraction:
    """The source time shown at episode time ``at`` within the planned segment ``ps``."""
    return Fraction(0) if ps.is_still else ps.source_start + (at - ps.timeline_start)


def _cover_pool(plan: Any) -> list[Any]:
    """Where an automatic cover may come from, best first.

    Video of the body; else the episode's title card (a job board is all
    stills); else any still without a partner. A partner's bumper or card is
    never picked on its own: the cover is the channel's, not one partner's.
    """
    placed = list(plan.segments)
    neutral = [p for p in placed if p.segment.partner is None]
    video = [p for p in neutral if p.segment.kind == "body" and not p.is_still]
    titles = [p for p in neutral if p.segment.kind == "title"]
    return video or titles[:1] or [p for p in neutral if p.segment.kind == "body"] or neutral or placed


def _auto_pick(plan: Any, count: int) -> tuple[Fraction, Candidate]:
    """The episode time of the best candidate frame, scored as the video crops it."""
    pool = _cover_pool(plan)
    total = sum((p.duration for p in pool), Fraction(0))
    out = (plan.profile.width, plan.profile.height)
    scored: list[tuple[Fraction, Candidate]] = []
    for p in pool:
        share = max(1, round(count * p.duration / total)) if total else 1
        length = p.duration
        # Even spacing, clear of the segment's first and last tenth (fades, cuts, crossfades).
        times = [p.timeline_start + length * Fraction(1, 10) + length * Fraction(8, 10) * Fraction(2 * i + 1, 2 * share)
                 for i in range(share)]
        by_source = {_source_time(p, t): t for t in times}
        for cand in _decode(p, list(by_source)):
            at = by_source.get(cand.time, p.timeline_start)
            view = as_cropped(cand.image, p.segment.reframe, float(at - p.timeline_start), out)
            shown = score(view, cand.time)
            scored.append((at, Candidate(cand.time, view, shown.sharpness, shown.brightness, shown.pattern,
                                         count_faces(view) or 0)))
    # A lower third or card on screen would sit under the cover's title: a frame clear of them is better.
    clear = best([c for at, c in scored if not _card_on_screen(plan, at)])
    pick = best([c for _, c in scored])
    if clear is not None and (clear.faces or pick is None or not pick.faces):
        pick = clear
    if pick is None:
        raise MediaError("no decodable frame for a cover", path=pool[0].path if pool else None)
    return next(item for item in scored if item[1] is pick)


#: The overlays a cover's title keeps clear of first, and an automatic cover prefers frames without.
_CARDS = ("lower-third", "card")


def _shown(plan: Any, at: Fraction, kinds: tuple[str, ...]) -> list[Any]:
    """The boxes (output pixels) of the overlays of ``kinds`` on screen at ``at``."""
    return [po.box for po in plan.overlays if po.start <= at <= po.end and po.overlay.kind in kinds]


def _scaled(x0: float, y0: float, x1: float, y1: float, scale: float) -> tuple[int, int, int, int]:
    """A box ``(x0, y0, x1, y1)`` times ``scale``, rounded outwards."""
    return math.floor(x0 * scale), math.floor(y0 * scale), math.ceil(x1 * scale), math.ceil(y1 * scale)


def _card_on_screen(plan: Any, at: Fraction) -> bool:
    return bool(_shown(plan, at, _CARDS))


def as_cropped(image: Any, reframe: Reframe, t: float, out: tuple[int, int]) -> Any:
    """The part of a source frame a ``crop`` reframe shows ``t`` seconds into its segment (for scoring).

    Fit modes show the whole frame. The cover itself comes from the render's graph; this only
    lets the choice see what the crop keeps (a face at the frame's edge may be cropped away).
    """
    if reframe.mode != "crop":
        return image
    w, h = image.size
    cw, ch = crop_width(w, h, *out), crop_width(h, w, out[1], out[0])
    focus = focus_at(tuple((k.at, k.value) for k in reframe.focus), t) if reframe.focus else 0.5
    x0, y0 = round((w - cw) * focus), (h - ch) // 2
    return image.crop((x0, y0, x0 + cw, y0 + ch))


def _decode(p: Any, times: list[Fraction]) -> list[Candidate]:
    if p.is_still:
        from PIL import Image

        try:
            with Image.open(p.path) as img:
                image = img.convert("RGB")
        except OSError as exc:
            raise MediaError(f"cannot read image ({exc})", path=p.path) from exc
        return [score(image, t) for t in times[:1]]
    return decode_frames(p.path, times)


def cover_path(video: Path) -> Path:
    """``out/ep.mp4`` -> ``out/ep.cover.jpg``."""
    return video.with_name(video.stem + ".cover.jpg")

