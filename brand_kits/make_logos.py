"""Draw the shipped logos with Pillow: both kits' channel logos and the example partners'.

All organisations here are fictional ("... Musterstadt"); the shapes are
plain geometry so no real organisation's mark is imitated. Run from the
repository root:

    python brand_kits/make_logos.py

It also draws one partner's ready-made bumper still with vidcoop's own
card renderer. It overwrites the PNGs (RGBA, transparent background) in place; they are
committed so that nothing is generated at install time.
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

ROOT = Path(__file__).resolve().parents[1]
FONT = ROOT / "brand_kits" / "neutral" / "fonts" / "AtkinsonHyperlegible-Bold.ttf"
SS = 4  # supersampling for smooth edges


def _canvas(w: int, h: int) -> tuple[Image.Image, ImageDraw.ImageDraw]:
    img = Image.new("RGBA", (w * SS, h * SS), (0, 0, 0, 0))
    return img, ImageDraw.Draw(img)


def _finish(img: Image.Image, path: Path) -> None:
    w, h = img.width // SS, img.height // SS
    out = img.resize((w, h), Image.Resampling.LANCZOS)
    path.parent.mkdir(parents=True, exist_ok=True)
    out.save(path, optimize=True)
    print(f"{path.relative_to(ROOT)}  {w}x{h}  {path.stat().st_size} bytes")


def neutral_logo(path: Path) -> None:
    """A speech bubble with a play triangle: 'a channel that talks', no organisation."""
    img, d = _canvas(256, 256)
    s = SS
    d.rounded_rectangle((12 * s, 12 * s, 244 * s, 200 * s), radius=48 * s, fill=(255, 255, 255, 255))
    d.polygon([(60 * s, 190 * s), (60 * s, 246 * s), (116 * s, 196 * s)], fill=(255, 255, 255, 255))
    d.rounded_rectangle((24 * s, 24 * s, 232 * s, 188 * s), radius=40 * s, fill=(47, 93, 138, 255))
    d.polygon([(104 * s, 62 * s), (104 * s, 150 * s), (176 * s, 106 * s)], fill=(255, 209, 102, 255))
    _finish(img, path)


def wege_logo(path: Path) -> None:
    """Wordmark 'Wege zum Job' with a forward arrow on a rounded badge."""
    w, h = 560, 200
    img, d = _canvas(w, h)
    s = SS
    d.rounded_rectangle((0, 0, w * s - 1, h * s - 1), radius=44 * s, fill=(255, 255, 255, 255))
    d.rounded_rectangle((10 * s, 10 * s, (w - 10) * s, (h - 10) * s), radius=36 * s, fill=(0, 105, 92, 255))
    # arrow: a path that bends upwards
    d.line([(40 * s, 140 * s), (90 * s, 140 * s), (130 * s, 70 * s)], fill=(255, 200, 87, 255), width=18 * s,
           joint="curve")
    d.polygon([(112 * s, 58 * s), (150 * s, 40 * s), (146 * s, 84 * s)], fill=(255, 200, 87, 255))
    font = ImageFont.truetype(str(FONT), 62 * s)
    d.text((176 * s, 44 * s), "Wege", font=font, fill=(255, 255, 255, 255))
    d.text((176 * s, 104 * s), "zum Job", font=font, fill=(255, 255, 255, 255))
    _finish(img, path)


def partner_logo(path: Path, name: str, colour: tuple[int, int, int], shape: str) -> None:
    """A simple coloured shape and the name in two lines, on a transparent background.

    Made as the channel README asks partners to ("PNG with transparency"), for a light page: dark
    text and a saturated colour, no plate drawn in. On the kit's dark bumper frame that is below
    WCAG's 3:1 non-text contrast, so vidcoop puts the kit's plate behind it (vidcoop.brand.legibility).
    """
    w, h = 640, 240
    img, d = _canvas(w, h)
    s = SS
    clear = (0, 0, 0, 0)
    fill = (*colour, 255)
    cx, cy, r = 120 * s, 120 * s, 76 * s
    if shape == "circle":
        d.ellipse((cx - r, cy - r, cx + r, cy + r), fill=fill)
        d.ellipse((cx - r // 2, cy - r // 2, cx + r // 2, cy + r // 2), fill=clear)
    elif shape == "square":
        d.rounded_rectangle((cx - r, cy - r, cx + r, cy + r), radius=22 * s, fill=fill)
        d.rectangle((cx - 12 * s, cy - r + 22 * s, cx + 12 * s, cy + r - 22 * s), fill=clear)
    else:  # triangle
        d.polygon([(cx, cy - r), (cx + r, cy + r - 10 * s), (cx - r, cy + r - 10 * s)], fill=fill)
    first, _, rest = name.partition(" ")
    big = ImageFont.truetype(str(FONT), 54 * s)
    small = ImageFont.truetype(str(FONT), 40 * s)
    while big.getlength(first) > 390 * s:
        big = ImageFont.truetype(str(FONT), int(big.size * 0.92))
    d.text((226 * s, 56 * s), first, font=big, fill=(34, 34, 34, 255))
    d.text((228 * s, 130 * s), rest, font=small, fill=(*colour, 255))
    _finish(img, path)


def main() -> None:
    neutral_logo(ROOT / "brand_kits" / "neutral" / "logo.png")
    wege_logo(ROOT / "brand_kits" / "wege-zum-job" / "logo.png")
    partners = ROOT / "examples" / "channel" / "partners"
    partner_logo(partners / "caritas-musterstadt.png", "Caritas Musterstadt", (190, 30, 45), "circle")
    partner_logo(partners / "diakonie-musterstadt.png", "Diakonie Musterstadt", (92, 45, 145), "square")
    partner_logo(partners / "paritaetischer-musterstadt.png", "Paritätischer Musterstadt", (0, 110, 160), "triangle")
    # one partner ships a ready-made still bumper (the others are generated at render time)
    from vidcoop.brand.cards import render_partner_bumper
    from vidcoop.brand.kit import load_kit

    bumper = partners / "diakonie-musterstadt-bumper.png"
    render_partner_bumper(load_kit(ROOT / "brand_kits" / "wege-zum-job"), partners / "diakonie-musterstadt.png",
                          bumper, name="Diakonie Musterstadt")
    with Image.open(bumper) as drawn:
        drawn.load()
        drawn.save(bumper, optimize=True)  # a committed file: small beats quick to write
    print(f"{bumper.relative_to(ROOT)}  {bumper.stat().st_size} bytes")


if __name__ == "__main__":
    main()
