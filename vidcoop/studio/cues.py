"""An episode's cues as the studio's pages see them: the current cues, their version, rules and page data."""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from vidcoop.captions.cuerules import check_subtitle_rules
from vidcoop.captions.formats import Cues, cues_from_lines
from vidcoop.captions.model import Cue
from vidcoop.captions.style import CaptionStyle
from vidcoop.channel.assemble import caption_style_name, default_kit, episode_channel
from vidcoop.jobboard.episode import board_part
from vidcoop.pipeline import episode_cues
from vidcoop.studio.captions import captions_version
from vidcoop.studio.state import Studio
from vidcoop.studio.week import JOBBOARD, EpisodeInfo, preview_profile
from vidcoop.timing import to_ms


def current_cues(studio: Studio, info: EpisodeInfo) -> Cues | None:
    """The episode's current cues (the edited file, the auto transcript, or the job board's text)."""
    if info.episode is None:
        return None
    if info.kind == JOBBOARD:
        board = board_part(info.episode)
        return Cues(board.cues if board is not None else (), style="social")
    version = version_of(info)
    hit = studio.cue_cache.get((info.name, version))
    if hit is None:
        spec = info.episode.captions
        if spec.mode == "file" and spec.path is not None:  # an edited file's times are the rendered timeline's
            style = caption_style_name(info.episode, episode_channel(info.episode))
            hit = Cues.load(spec.path, style=style)
        else:  # transcribed (cached by audio content) and cut into cues exactly as render() does
            hit = episode_cues(info.episode, profile=preview_profile())
        studio.cue_cache[(info.name, version)] = hit
    return hit


def version_of(info: EpisodeInfo) -> str:
    """What a caption save must name: the manifest's and its caption file's bytes (else the content key)."""
    return captions_version(info.manifest) if info.manifest is not None else info.key[:16]


def cue_dicts(cues: Cues | None) -> list[dict[str, Any]]:
    """The cues as the page gets them: times in ms, text, corrected and unsure words, and why a person
    must check the cue (``flags``: the reasons of :data:`vidcoop.captions.model.FLAG_REASONS`)."""
    flagged = cues.flagged if cues is not None else ()
    return [
        {"start_ms": to_ms(c.start), "end_ms": to_ms(c.end), "text": c.text, "corrections": _corrections(c),
         "unsure": _unsure(c),
         "flags": sorted({f.reason for f in flagged if f.start < c.end and f.end > c.start})}
        for c in cues or ()
    ]


def left_out_dicts(cues: Cues | None) -> list[dict[str, Any]]:
    """Speech with no cue, as the page marks it at its place: times in ms and the reason
    (``not recognised`` or ``repeated itself``)."""
    return [{"start_ms": to_ms(item.start), "end_ms": to_ms(item.end), "reason": item.reason, "repeated": item.text}
            for item in (cues.left_out if cues is not None else ())]


def _corrections(cue: Cue) -> list[dict[str, Any]]:
    """The cue's words that correction changed: what the page marks (``text`` as shown now).

    Neighbours from one correction (a glued word split in two) are one entry: "Wer Arbeit".
    """
    out: list[dict[str, Any]] = []
    previous = None
    for w in cue.words:
        if w.correction is not None and w.correction == previous and out:
            out[-1]["text"] += f" {w.text}"
        elif w.correction is not None:
            out.append({"text": w.text, **w.correction.as_dict()})
        previous = w.correction
    return out


def _unsure(cue: Cue) -> list[dict[str, Any]]:
    """The cue's words the recogniser was unsure of (what the page asks the editor to check); a word whose
    correction dropped a piece of what was heard says where (``doubt``: before or after) and what was heard."""
    out: list[dict[str, Any]] = []
    for w in cue.words:
        if not w.unsure:
            continue
        item: dict[str, Any] = {"text": w.text, "probability": round(w.probability, 2)}
        if w.doubt is not None and w.correction is not None:
            item.update(doubt="before" if w.correction.lost_before else "after", heard=w.correction.original)
        out.append(item)
    return out


def cues_from_ms(studio: Studio, info: EpisodeInfo, lines: list[tuple[int, int, str]]) -> Cues:
    """Cues from the page's (start_ms, end_ms, text), in the style of the episode's current cues."""
    current = current_cues(studio, info)
    style = current.style if current is not None else "subtitle"
    return cues_from_lines([(Fraction(s, 1000), Fraction(e, 1000), text) for s, e, text in lines], style=style)


def broken_rules(info: EpisodeInfo, cues: Cues | None) -> list[list[str]]:
    """Per cue, the subtitle rules it breaks (the caption module's own checker, one cue at a time)."""
    if info.episode is None:
        return []
    if cues is None or info.kind == JOBBOARD:
        return [[] for _ in cues or ()]
    style_name = getattr(cues, "style", "subtitle")
    style = _caption_style(info, style_name)
    # Social cues (1-3 words, timed to speech) are not held for 1 s or limited in reading speed.
    skip = {"cues", "violating"} | ({"duration", "reading_speed"} if style_name == "social" else set())
    items = list(cues)
    out = []
    for i, cue in enumerate(items):
        report = check_subtitle_rules([cue], style).as_dict()
        broken = [rule for rule, n in report.items() if n and rule not in skip]
        if i and check_subtitle_rules(items[i - 1 : i + 1], style).overlaps:
            broken.append("overlaps")
        out.append(broken)
    return out


def open_points(studio: Studio, info: EpisodeInfo) -> tuple[int, int, int]:
    """What an approval of the saved cues leaves open: (cues breaking rules, unsure words nobody checked,
    stretches of speech no cue covers)."""
    if info.episode is None:
        return 0, 0, 0
    cues = current_cues(studio, info)
    broken = sum(1 for rules in broken_rules(info, cues) if rules)
    unsure = sum(1 for cue in cues or () for word in cue.words if word.unsure)
    speech = len(cues.left_out) if cues is not None else 0
    return broken, unsure, speech


def _caption_style(info: EpisodeInfo, style_name: str) -> CaptionStyle:
    """The kit's caption style (its font and width decide the pixel-width rule)."""
    assert info.episode is not None
    channel = episode_channel(info.episode)
    kit = channel.kit() if channel is not None else default_kit()
    return kit.caption_style(style_name)
