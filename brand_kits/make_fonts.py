"""Give the shipped Atkinson Hyperlegible fonts a plain (unslashed) zero.

Atkinson Hyperlegible draws its zero with a slash. On a job card "2026" then
reads as "2θ26" to many viewers (issue #25), and the font has no OpenType
feature that gives a plain zero, so a feature set in the kit cannot fix it.
This script makes the plain zero once: the zero's outline keeps its outer
contour, and its two slashed counters become one counter, the outer contour
scaled into the counters' bounds (reversed, so it is a hole). Advance widths,
kerning and every other glyph stay as they are, so no text moves.

Atkinson Hyperlegible is under the SIL Open Font License 1.1 without a
Reserved Font Name, which allows modified versions. The modified fonts keep
the licence, and their name table says they were changed and by whom.

Needs fontTools (not a vidcoop dependency; only this script uses it). Run
from the repository root, once, on the upstream fonts:

    pip install fonttools && python brand_kits/make_fonts.py

It is idempotent: a zero that already has one counter is left alone.
"""

from __future__ import annotations

from pathlib import Path

from fontTools.ttLib import TTFont
from fontTools.ttLib.tables._g_l_y_f import GlyphCoordinates

ROOT = Path(__file__).resolve().parents[1]
NOTE = "Zero without slash: modified by vidcoop (brand_kits/make_fonts.py) from Atkinson Hyperlegible"


def _contours(glyph, glyf) -> list[tuple[list[tuple[float, float]], list[int]]]:
    coords, ends, flags = glyph.getCoordinates(glyf)
    out, start = [], 0
    for end in ends:
        out.append(([tuple(p) for p in coords[start : end + 1]], list(flags[start : end + 1])))
        start = end + 1
    return out


def _bounds(points: list[tuple[float, float]]) -> tuple[float, float, float, float]:
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    return min(xs), min(ys), max(xs), max(ys)


def plain_zero(path: Path) -> bool:
    """Rewrite the font at ``path`` with a plain zero; False if it already has one."""
    font = TTFont(str(path))
    glyf = font["glyf"]
    glyph = glyf["zero"]
    if glyph.isComposite() or glyph.numberOfContours != 3:
        return False
    (outer, outer_flags), *counters = sorted(
        _contours(glyph, glyf), key=lambda c: -(_bounds(c[0])[2] - _bounds(c[0])[0])
    )
    ox0, oy0, ox1, oy1 = _bounds(outer)
    inner = [_bounds(points) for points, _ in counters]
    ix0, iy0 = min(b[0] for b in inner), min(b[1] for b in inner)
    ix1, iy1 = max(b[2] for b in inner), max(b[3] for b in inner)
    sx, sy = (ix1 - ix0) / (ox1 - ox0), (iy1 - iy0) / (oy1 - oy0)
    hole = [(round(ix0 + (x - ox0) * sx), round(iy0 + (y - oy0) * sy)) for x, y in outer][::-1]
    hole_flags = outer_flags[::-1]
    glyph.coordinates = GlyphCoordinates([*outer, *hole])
    glyph.flags = bytearray([*outer_flags, *hole_flags])
    glyph.endPtsOfContours = [len(outer) - 1, len(outer) + len(hole) - 1]
    glyph.numberOfContours = 2
    if hasattr(glyph, "program"):
        glyph.program.fromBytecode(b"")  # the hints addressed the old points
    glyph.recalcBounds(glyf)
    name = font["name"]
    for record in list(name.names):
        if record.nameID == 5:
            name.setName(f"{record.toUnicode()}; {NOTE}", 5, record.platformID, record.platEncID, record.langID)
    name.setName(NOTE, 10, 3, 1, 0x409)
    font.save(str(path))
    return True


def main() -> None:
    for path in sorted(ROOT.glob("brand_kits/*/fonts/AtkinsonHyperlegible-*.ttf")):
        print(path.relative_to(ROOT), "changed" if plain_zero(path) else "already plain")


if __name__ == "__main__":
    main()
