"""Draw the example Diakonie bumper for the other picture shapes from its 9:16 still (``bumper.images``).

A partner that brings its own still bumper brings one per picture shape the channel posts, so its logo is as
large in 4:5, 1:1 and 16:9 as in 9:16 (as the generated bumpers of the other partners are). This script stands
in for the partner's designer: it lifts the badge and the name from the 9:16 still at their size and lays them
out in each frame's safe zone on the same background. Run it from anywhere::

    python examples/channel/partners/make_bumper_shapes.py
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw

from vidcoop.shapes import SHAPES

HERE = Path(__file__).resolve().parent
SOURCE = HERE / "diakonie-musterstadt-bumper.png"
GAP = 60  # between the badge and the name, as in the 9:16 still


def _white_box(img: Image.Image, top: int, bottom: int) -> tuple[int, int, int, int]:
    """The box of the near-white pixels between rows ``top`` and ``bottom`` (the badge, the name)."""
    band = img.crop((0, top, img.width, bottom)).convert("L").point(lambda v: 255 if v > 200 else 0)
    box = band.getbbox()
    assert box is not None, "no white pixels there"
    return box[0], box[1] + top, box[2], box[3] + top


def main() -> None:
    with Image.open(SOURCE) as opened:
        still = opened.convert("RGB")
    rough = _white_box(still, 0, still.height // 2 + 30)  # the badge, perhaps with the top of the name
    column = rough[0] + 24  # past the rounded corner, left of the name: white only inside the badge
    rows = [y for y in range(rough[1], rough[3]) if min(still.getpixel((column, y))) > 200]
    badge_box = (rough[0], rough[1], rough[2], max(rows) + 1)
    badge = still.crop(badge_box)
    name_box = _white_box(still, badge_box[3] + 10, badge_box[3] + 200)
    name_rgb = still.crop(name_box)
    # the name's soft edges: how far each pixel is from the background's red (17) towards white
    name_alpha = name_rgb.getchannel("R").point(lambda v: max(0, min(255, round((v - 17) * 255 / 238))))
    base = still.getpixel((10, 10))
    stripe = still.getpixel((540, 1250))
    for shape in ("4:5", "1:1", "16:9"):
        frame = SHAPES[shape]
        img = Image.new("RGB", (frame.width, frame.height), base)
        draw = ImageDraw.Draw(img)
        w, h = frame.width, frame.height
        draw.polygon([(0, round(h * 0.72)), (w, round(h * 0.52)), (w, round(h * 0.80)), (0, h)], fill=stripe)
        block = badge.height + GAP + name_rgb.height
        left, top = frame.left, frame.top
        inner_w, inner_h = w - frame.left - frame.right, h - frame.top - frame.bottom
        y = top + (inner_h - block) // 2
        img.paste(badge, (left + (inner_w - badge.width) // 2, y))
        white = Image.new("RGB", name_rgb.size, (255, 255, 255))
        img.paste(white, (left + (inner_w - name_rgb.width) // 2, y + badge.height + GAP), name_alpha)
        target = HERE / f"diakonie-musterstadt-bumper.{frame.slug}.png"
        img.save(target, optimize=True)
        print(f"{target.name}: {img.width}x{img.height}, badge {badge.width}x{badge.height} as in 9:16")


if __name__ == "__main__":
    main()
