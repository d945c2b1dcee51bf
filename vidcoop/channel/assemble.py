"""Fill in a format's structure from the brand kit before planning.

A manifest lists the body of an episode; the channel's format says which
parts surround it (intro, end card, outro). Parts the episode does not bring
itself are taken from the kit: its bumper video, or a title card generated
with Pillow and shown as a slowly zooming still. ``logo: true`` in the
manifest lays the kit's logo over the body (never over intro or cards), at
the kit's position inside the safe zone.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from fractions import Fraction
from pathlib import Path
from typing import Any

from vidcoop.timeline.model import Episode, Overlay, Reframe, Segment

# The title cards breathe a little: a slow 4 % zoom over their length.
CARD_ZOOM = (1.0, 1.04)


def assemble(episode: Episode, channel: Any, kit: Any, work: Path) -> Episode:
    """The episode with its format's intro, end card and outro added from the kit.

    Parts the episode already has (a segment of kind ``intro``, ``endcard`` or
    ``outro``) are kept as they are. Without a channel or format nothing is added.
    """
    if channel is None or episode.format not in channel.formats:
        return episode
    structure = channel.formats[episode.format].structure
    kinds = {s.kind for s in episode.segments}
    head: list[Segment] = []
    tail: list[Segment] = []
    if structure.intro and "intro" not in kinds:
        head.append(_bumper(kit, kit.intro, "intro", channel.name, episode.title, work))
    if structure.end_card and "endcard" not in kinds:
        from vidcoop.brand.cards import render_end_card

        card = render_end_card(kit, kit.end_card.cta, work / "endcard.png", subline=kit.end_card.subline)
        tail.append(_still(card.path, kit.end_card.duration, "endcard", "end card"))
    if structure.outro and "outro" not in kinds:
        tail.append(_bumper(kit, kit.outro, "outro", channel.name, None, work))
    if not head and not tail:
        return episode
    return replace(episode, segments=(*head, *episode.segments, *tail))


def with_logo(episode: Episode, kit: Any, body: tuple[Fraction, Fraction] | None) -> Episode:
    """Add the kit's logo over ``body`` (start, end on the timeline) when the manifest asks for it."""
    if not episode.extra.get("logo") or body is None:
        return episode
    return replace(episode, overlays=(*episode.overlays, kit.logo_overlay(body[0], body[1])))


def with_lower_thirds(episode: Episode, kit: Any, work: Path) -> Episode:
    """Speaker name/role cards (``extra["lower_thirds"]``) drawn in the kit's style, as overlays.

    Each is a PNG with alpha at the kit's lower-third box, inside the safe zone and above the captions.
    """
    items = episode.extra.get("lower_thirds") or []
    if not items:
        return episode
    from vidcoop.brand.cards import render_lower_third

    overlays = []
    for i, item in enumerate(items):
        card = render_lower_third(kit, item["name"], item.get("role"), work / f"lower-third-{i}.png")
        overlays.append(Overlay(card.path, x=card.box.x, y=card.box.y, width=card.box.width,
                                start=item.get("start") or Fraction(0), end=item.get("end"),
                                kind="lower-third", label=f"lower third: {item['name']}",
                                field=f"lower_thirds.{i}"))
    return replace(episode, overlays=(*episode.overlays, *overlays))


def body_range(spans: Any, is_body: Callable[[str], bool] = lambda kind: kind == "body") -> tuple[Fraction,
                                                                                                   Fraction] | None:
    """First body start to last body end on the timeline, from segment spans."""
    body = [s for s in spans if is_body(s.kind)]
    if not body:
        return None
    return body[0].start, body[-1].end


def _bumper(kit: Any, spec: Any, kind: str, channel_name: str, subtitle: str | None, work: Path) -> Segment:
    if spec.video is not None:
        return Segment(spec.video, duration=spec.duration, reframe=Reframe(mode="fit-blur"), kind=kind,
                       label=f"{kind} (kit)")
    from vidcoop.brand.cards import render_title_card

    card = render_title_card(kit, spec.title or channel_name, subtitle or spec.subtitle, work / f"{kind}.png")
    return _still(card.path, spec.duration, kind, f"{kind} (generated)")


def _still(path: Path, duration: Fraction, kind: str, label: str) -> Segment:
    return Segment(path, duration=Fraction(duration), reframe=Reframe(mode="fit-pad", zoom=CARD_ZOOM), kind=kind,
                   label=label)
