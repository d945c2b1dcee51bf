"""What the job board needs from a channel, in one small value.

A brand kit may carry its own job-card layout in ``jobcard.yaml`` beside
``kit.yaml`` (keys as in :func:`vidcoop.jobboard.templates.template_from_dict`,
on top of the kit-coloured ``standard`` template).

The channel package owns ``channel.yaml`` (formats, partners, logos,
bumpers) and the brand package owns the kit (fonts, colours, intro, outro,
safe zone). The job board needs only a handful of those facts, so it reads
them through :class:`BoardChannel`: tests build one directly, and
:func:`board_channel` adapts a :class:`vidcoop.channel.config.Channel` (or a
``channel.yaml`` path). Every assumption about those packages lives here.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from fractions import Fraction
from pathlib import Path

from vidcoop.brand.kit import CARD_TEMPLATE_FILE, Bumper
from vidcoop.channel.config import Channel, load_channel
from vidcoop.errors import ManifestError
from vidcoop.jobboard.templates import (
    Box,
    CardTemplate,
    check_template,
    default_safe_box,
    get_template,
    load_template,
    shape_safe_box,
    shaped_template,
)
from vidcoop.resources import kit_dir
from vidcoop.shapes import DEFAULT_SHAPE

FORMAT = "stellenboerse"
LINK_CTA = "Alle Stellen:"  # the closing card's words before the link page's address
LINK_SECONDS = Fraction(3)  # an outro that shows the link page's address shows at least this long


def _neutral_fonts() -> dict[str, Path]:
    root = kit_dir("neutral") / "fonts"
    return {"bold": root / "AtkinsonHyperlegible-Bold.ttf", "regular": root / "AtkinsonHyperlegible-Regular.ttf"}


@dataclass(frozen=True)
class PartnerInfo:
    """A partner as the job board sees it.

    Attributes:
        id: Registry id (``caritas``).
        name: Display name (used for the bumper and when there is no logo).
        logo: Logo image (PNG with alpha preferred).
        bumper_video: The partner's own bumper clip, if any.
        bumper_image: A still bumper image, if any (shown for ``bumper_duration``).
        bumper_images: The partner's own still for other picture shapes, ``(shape, file)`` (``bumper.images``).
        bumper_duration: Length of a still or generated bumper.
    """

    id: str
    name: str
    logo: Path | None = None
    bumper_video: Path | None = None
    bumper_image: Path | None = None
    bumper_duration: Fraction = Fraction(5, 2)
    bumper_images: tuple[tuple[str, Path], ...] = ()


@dataclass(frozen=True)
class Slot:
    """Room for partner bumpers: ``after-intro``, ``between-items`` or ``before-outro``."""

    position: str
    max_length: Fraction
    count: int = 1


@dataclass(frozen=True)
class Opener:
    """An intro or outro: a clip, or a generated card (title, subtitle) shown for ``duration``."""

    duration: Fraction
    video: Path | None = None
    title: str = ""
    subtitle: str = ""


@dataclass(frozen=True)
class BoardChannel:
    """The facts a job board takes from a channel and its ``stellenboerse`` format.

    Attributes:
        partners: Partner registry by id.
        fonts: Font files by role (``bold``, ``regular``) from the brand kit.
        template: The job-card template.
        intro, outro: Channel intro/outro (None = the format has none).
        max_duration: The format's longest allowed episode.
        slots: The format's partner slots.
        safe_box: Where content may go (left, top, right, bottom).
        format: The format name written into the episodes.
        path: The channel file, for errors and the episode's ``channel``.
        channel: The channel object it was made from (for the policy check), if any.
        end_card: The closing card before the outro, when the format has one (``end_card: true``).
        link_page: The link page's address as people read it (``link_page_url``), shown on the
            closing card ("Alle Stellen: wegezumjob.example/jobs"); None when the channel has none.
        shapes: The picture shapes besides 9:16 its cards are drawn for (the channel's ``renditions:``);
            validation fits each job's text in each of them.
    """

    partners: dict[str, PartnerInfo] = field(hash=False)
    fonts: dict[str, Path] = field(default_factory=_neutral_fonts, hash=False)
    template: CardTemplate = field(default_factory=get_template)
    intro: Opener | None = None
    outro: Opener | None = None
    max_duration: Fraction = Fraction(60)
    slots: tuple[Slot, ...] = (Slot("after-intro", Fraction(3), 1),)
    safe_box: Box = field(default_factory=default_safe_box)
    format: str = FORMAT
    path: Path | None = None
    channel: Channel | None = field(default=None, hash=False, compare=False)
    end_card: Opener | None = None
    link_page: str | None = None
    shapes: tuple[str, ...] = ()

    def font_file(self, role: str) -> Path:
        """The font file for a template font role (``bold``, ``regular``)."""
        return self.fonts[role]

    def for_shape(self, shape: str) -> BoardChannel:
        """The board with its card template laid out for picture shape ``shape`` inside that shape's safe zone."""
        if shape == self.template.shape:
            return self
        safe = shape_safe_box(shape)
        return replace(self, template=shaped_template(self.template, shape, safe), safe_box=safe)

    @property
    def slot_capacity(self) -> int:
        return sum(s.count for s in self.slots)


#: What job-board functions take as their channel: a BoardChannel, a loaded Channel or a ``channel.yaml`` path.
ChannelLike = BoardChannel | Channel | str | Path


def board_channel(channel: ChannelLike, format_name: str = FORMAT) -> BoardChannel:
    """Adapt what the caller has: a BoardChannel, a loaded Channel, or a ``channel.yaml`` path.

    Raises:
        ManifestError: the channel has no ``stellenboerse`` format (naming the file).
    """
    if isinstance(channel, BoardChannel):
        return channel
    if isinstance(channel, (str, Path)):
        channel = load_channel(channel)
    return _from_channel(channel, format_name)


def _from_channel(channel: Channel, format_name: str) -> BoardChannel:
    fmt = channel.format(format_name)
    if not fmt.partner_slots:
        raise ManifestError(f"format {format_name!r} has no partner slots; a job board needs them",
                            path=channel.path, field=f"formats.{format_name}.partner_slots")
    kit = channel.kit()
    partners = {
        pid: PartnerInfo(
            id=pid, name=p.name, logo=p.logo, bumper_video=p.bumper.video, bumper_image=p.bumper.image,
            bumper_duration=p.bumper.duration or Fraction(5, 2), bumper_images=p.bumper.images,
        )
        for pid, p in channel.partners.items()
    }
    zone = kit.safe_zone.box
    safe: Box = (zone.x, zone.y, zone.right, zone.bottom)
    colors = kit.colors
    base = get_template()
    accent = _hex6(colors.accent, base.accent)
    recolour = {"#ffffff": _hex6(colors.text, "#ffffff"), base.accent: accent}
    texts = tuple(replace(t, color=recolour.get(t.color, t.color)) for t in base.texts)
    template = replace(base, background=_hex6(colors.background, base.background), accent=accent, texts=texts)
    template = check_template(template, safe, path=kit.path, field_prefix="jobboard.card")
    declared = kit.root / CARD_TEMPLATE_FILE
    if declared.is_file():
        template = load_template(declared, safe=safe, base=template)

    def opener(b: Bumper) -> Opener:
        return Opener(duration=b.duration, video=b.video, title=b.title or "", subtitle=b.subtitle or "")

    link = channel.publish.link_display
    end_card = None
    if fmt.structure.end_card:
        card = kit.end_card
        end_card = Opener(duration=card.duration, title=LINK_CTA if link else card.cta,
                          subtitle=link if link else (card.subline or ""))
    outro = opener(kit.outro) if fmt.structure.outro else None
    if outro is not None and link and end_card is None and outro.video is None:
        # No end card in this format: the outro card tells viewers where every job's link is, long enough to read.
        outro = replace(outro, subtitle=f"{LINK_CTA} {link}", duration=max(outro.duration, LINK_SECONDS))

    return BoardChannel(
        partners=partners,
        fonts={"bold": kit.fonts.bold, "regular": kit.fonts.regular},
        template=template,
        intro=opener(kit.intro) if fmt.structure.intro else None,
        outro=outro,
        max_duration=fmt.max_length,
        slots=tuple(Slot(s.position, s.max_bumper_length, s.count) for s in fmt.partner_slots),
        safe_box=safe,
        format=format_name,
        path=channel.path,
        channel=channel,
        end_card=end_card,
        link_page=link,
        shapes=tuple(s for s in channel.publish.shapes if s != DEFAULT_SHAPE),
    )


def _hex6(color: str, fallback: str) -> str:
    """``#rrggbb`` from a kit colour (alpha dropped); cards are opaque."""
    color = color.strip()
    return color[:7] if len(color) in (7, 9) and color.startswith("#") else fallback
