"""The job board's segments besides its job cards: intro, title, end card, outro and partner bumpers.

Each still is drawn for 9:16 and for every other picture shape the board is built for, laid out for that
frame (the kit's cards by the brand package, the board's own text cards and bumpers by
:mod:`vidcoop.jobboard.card`, generated partner bumpers by :mod:`vidcoop.channel.bumpers`); each shape's file is
recorded in ``stills`` (the episode's ``extra[SHAPE_STILLS]``), so every shape shows its own. A clip (the kit's
intro, a partner's bumper video) is shown whole in other shapes instead of cropped. Every file is cached by
content, so a re-run draws only what changed.
"""

from __future__ import annotations

from collections.abc import Callable
from fractions import Fraction
from functools import partial
from pathlib import Path
from typing import Any

from vidcoop.files import stable_hash
from vidcoop.jobboard.board import BoardChannel, Opener, PartnerInfo, Slot
from vidcoop.jobboard.cache import CARD_RENDERER, cached_png
from vidcoop.jobboard.card import draw_bumper, draw_text_card
from vidcoop.jobboard.parts import media_seconds
from vidcoop.shapes import get_shape
from vidcoop.timeline.model import Reframe, Segment


def still_segment(path: Path, seconds: Fraction, kind: str, board: BoardChannel, *, partner: str | None = None,
                  label: str | None = None, zoom: tuple[float, float] | None = None, where: str | None = None,
                  shapes: tuple[tuple[str, Reframe], ...] = ()) -> Segment:
    """A still shown for ``seconds``, fitted on the card background (``shapes``: its reframe in other shapes)."""
    return Segment(source=path, duration=seconds, kind=kind, partner=partner, label=label, field=where,
                   reframe=Reframe(mode="fit-pad", color=board.template.background, zoom=zoom, shapes=shapes))


def kit_still(target: Path, draw: Callable[[Path, str | None], object], shapes: tuple[str, ...],
              stills: dict[str, dict[str, str]]) -> Path:
    """A card the brand kit draws, at ``target`` (9:16) and beside it for each of ``shapes`` (recorded in
    ``stills``, see ``SHAPE_STILLS``); each file drawn only when missing (its name holds its content key)."""
    if not target.is_file():
        draw(target, None)
    for shape in shapes:
        own = target.with_name(f"{target.stem}.{get_shape(shape).slug}.png")
        if not own.is_file():
            draw(own, shape)
        stills.setdefault(str(target), {})[shape] = str(own)
    return target


def drawn_still(folder: Path, prefix: str, key: Callable[[BoardChannel], str], draw: Callable[[BoardChannel], Any],
                board: BoardChannel, shapes: tuple[str, ...], stills: dict[str, dict[str, str]]) -> Path:
    """A card the job board draws itself (no channel: title, intro, outro, bumper), cached by ``key`` of the board
    it is drawn for: the 9:16 file, and one per shape laid out for that frame (:meth:`BoardChannel.for_shape`),
    recorded in ``stills`` like :func:`kit_still`'s."""
    target, _ = cached_png(folder, prefix, key(board), lambda: draw(board))
    for shape in shapes:
        shaped = board.for_shape(shape)
        own, _ = cached_png(folder, prefix, key(shaped), partial(draw, shaped))
        stills.setdefault(str(target), {})[shape] = str(own)
    return target


def text_card(folder: Path, kind: str, values: dict[str, str], board: BoardChannel, shapes: tuple[str, ...],
              stills: dict[str, dict[str, str]]) -> Path:
    """A generated text card (:func:`draw_text_card`) in 9:16 and each of ``shapes``."""
    def key(b: BoardChannel) -> str:
        return stable_hash(kind, values, b.template.key(), {r: str(p) for r, p in b.fonts.items()})

    return drawn_still(folder, kind, key, lambda b: draw_text_card(values, b), board, shapes, stills)


def whole_clip(board: BoardChannel, shapes: tuple[str, ...]) -> Reframe:
    """A clip's reframe: as every clip's in 9:16, shown whole on the card background in ``shapes`` (a 9:16 clip
    cropped to 1:1 loses nearly half its height, and with it perhaps a partner's logo)."""
    return Reframe(shapes=tuple((shape, Reframe(mode="fit-pad", color=board.template.background))
                                for shape in shapes))


def opener_segment(opener: Opener, kind: str, board: BoardChannel, folder: Path, shapes: tuple[str, ...] = (),
                   stills: dict[str, dict[str, str]] | None = None) -> tuple[Segment, Fraction]:
    if opener.video is not None:  # the kit's clip, shown whole in other shapes (its text and logo uncut)
        return Segment(source=opener.video, kind=kind, reframe=whole_clip(board, shapes)), media_seconds(opener.video)
    if board.channel is not None:  # the brand package draws the kit's own title card
        from vidcoop.brand.cards import render_title_card

        kit = board.channel.kit()
        key = stable_hash(kind, 1, opener.title, opener.subtitle, str(kit.path), board.template.key())
        target = kit_still(folder / f"{kind}-{key[:24]}.png",
                           lambda path, shape: render_title_card(kit, opener.title, opener.subtitle or None, path,
                                                                 shape),
                           shapes, {} if stills is None else stills)
        return still_segment(target, opener.duration, kind, board, label=opener.title), opener.duration
    values = {"heading": opener.title, "subtitle": opener.subtitle}
    path = text_card(folder, kind, values, board, shapes, {} if stills is None else stills)
    return still_segment(path, opener.duration, kind, board, label=opener.title), opener.duration


def end_card_segment(card: Opener, board: BoardChannel, folder: Path, shapes: tuple[str, ...] = (),
                     stills: dict[str, dict[str, str]] | None = None) -> tuple[Segment, Fraction]:
    """The closing card (``endcard``): the link page's address, else the kit's call to action."""
    if board.channel is not None:  # the brand package draws the kit's own end card
        from vidcoop.brand.cards import render_end_card

        kit = board.channel.kit()
        key = stable_hash("endcard", 1, card.title, card.subtitle, str(kit.path), board.template.key())
        target = kit_still(folder / f"endcard-{key[:24]}.png",
                           lambda path, shape: render_end_card(kit, card.title, path, subline=card.subtitle or None,
                                                               shape=shape),
                           shapes, {} if stills is None else stills)
        return still_segment(target, card.duration, "endcard", board, label=card.title), card.duration
    values = {"heading": card.title, "subtitle": card.subtitle}
    path = text_card(folder, "endcard", values, board, shapes, {} if stills is None else stills)
    return still_segment(path, card.duration, "endcard", board, label=card.title), card.duration


def bumper_segment(partner: PartnerInfo, slot: Slot, board: BoardChannel, folder: Path, shapes: tuple[str, ...] = (),
                   stills: dict[str, dict[str, str]] | None = None) -> tuple[Segment, Fraction]:
    """The partner's bumper: a generated one drawn for each of ``shapes`` too (recorded in ``stills``), so its
    logo stays whole and inside each shape's safe zone; the partner's own still for a shape (``bumper.images``)
    is recorded the same way; its own video, or its 9:16 still where it has none for the shape, is shown whole."""
    stills = {} if stills is None else stills
    if partner.bumper_video is not None:
        seconds = media_seconds(partner.bumper_video)
        return Segment(source=partner.bumper_video, kind="bumper", partner=partner.id, label=partner.name,
                       reframe=whole_clip(board, shapes)), seconds
    seconds = min(partner.bumper_duration, slot.max_length)
    if board.channel is not None:  # the channel package draws (and caches) generated bumpers
        from vidcoop.channel.bumpers import partner_bumper

        media = partner_bumper(board.channel, partner.id, folder)
        for shape in shapes:  # generated: drawn for each shape's frame; the partner's own: its images: file
            own = partner_bumper(board.channel, partner.id, folder, shape=shape).source
            if own != media.source:
                stills.setdefault(str(media.source), {})[shape] = str(own)
        return still_segment(media.source, seconds, "bumper", board, partner=partner.id,
                             label=partner.name), seconds
    if partner.bumper_image is not None:
        for shape, own in partner.bumper_images:  # the partner's own still for that frame
            if shape in shapes:
                stills.setdefault(str(partner.bumper_image), {})[shape] = str(own)
        return still_segment(partner.bumper_image, seconds, "bumper", board, partner=partner.id,
                             label=partner.name), seconds

    def key(b: BoardChannel) -> str:
        return stable_hash("bumper", CARD_RENDERER, partner.id, partner.name, str(partner.logo), b.template.key())

    path = drawn_still(folder, "bumper", key, lambda b: draw_bumper(partner, b), board, shapes, stills)
    return still_segment(path, seconds, "bumper", board, partner=partner.id, label=partner.name), seconds
