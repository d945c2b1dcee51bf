"""A picture of why the crop moved: the crop window x(t), every face track and the shot cuts (Pillow).

Each linked track has one colour and its number at its start, so a track split into fragments shows at
a glance as many short colours; a small ring marks where the tracker predicted the face at each linked
point (a ring far from its line is a guess that missed). Pans are shaded blue; an absence (the person
was away and came back) is left open.
"""

from __future__ import annotations

import itertools
from pathlib import Path

from vidcoop.faces.mask import BRIDGE
from vidcoop.faces.model import FaceAnalysis
from vidcoop.faces.reframe import CropPath, focus_at
from vidcoop.files import atomic_save_image

_COLORS = ["#e6194b", "#3cb44b", "#4363d8", "#f58231", "#911eb4", "#42d4f4", "#f032e6", "#9a6324"]


def plot_path(analysis: FaceAnalysis, path: CropPath, target: Path, *, title: str = "") -> Path:
    """Draw time on the x axis and the source's width on the y axis; write a PNG atomically."""
    from PIL import Image, ImageDraw

    w, h, left, top, bottom = 1200, 600, 70, 40, 50
    plot_w, plot_h = w - left - 20, h - top - bottom
    img = Image.new("RGB", (w, h), "white")
    d = ImageDraw.Draw(img)
    dur = max(analysis.duration, 1e-3)

    def px(t: float, x: float) -> tuple[float, float]:
        return left + t / dur * plot_w, top + x / analysis.width * plot_h

    d.rectangle((left, top, left + plot_w, top + plot_h), outline="#888888")
    d.text((10, 10), title or "crop path (grey band), face tracks (one colour each, rings: predicted), "
           "shot cuts (dashed), pans (blue), shown whole (orange)", fill="black")
    for i in range(0, 11):
        t = dur * i / 10
        x0, _ = px(t, 0)
        d.text((x0 - 10, top + plot_h + 8), f"{t:.1f}s", fill="black")
    for frac in (0, 0.5, 1):
        _, y = px(0, analysis.width * frac)
        d.text((8, y - 6), f"{int(analysis.width * frac)}px", fill="black")
    steps = 300
    band = []
    for i in range(steps + 1):
        t = dur * i / steps
        focus = focus_at(path.keys, t) if path.mode == "crop" else 0.5
        x0 = focus * (analysis.width - path.crop_width)
        band.append((t, x0, x0 + path.crop_width))
    for a, b in analysis.pans:
        d.rectangle((*px(a, 0), *px(b, analysis.width)), fill="#e3ecfa")
    for moment in path.widen:  # moments shown whole (fit-blur)
        d.rectangle((*px(float(moment[0]), 0), *px(float(moment[3]), analysis.width)), fill="#fbe7d0")
    d.polygon([px(t, a) for t, a, _ in band] + [px(t, b) for t, _, b in reversed(band)], fill="#dddddd")
    d.line([px(t, (a + b) / 2) for t, a, b in band], fill="#555555", width=2)
    for tr in analysis.tracks:
        color = _COLORS[tr.id % len(_COLORS)]
        for (ta, box_a), (tb, box_b) in itertools.pairwise(tr.points):
            if tb - ta <= BRIDGE:
                d.line((*px(ta, box_a.cx), *px(tb, box_b.cx)), fill=color, width=3)
        for t, box in tr.points:
            x, y0 = px(t, box.x0)
            _, y1 = px(t, box.x1)
            d.line((x, y0, x, y1), fill=color, width=1)
        for t, cx, _cy in tr.predicted:
            x, y = px(t, cx)
            d.ellipse((x - 4, y - 4, x + 4, y + 4), outline=color, width=1)
        x, y = px(tr.points[0][0], tr.points[0][1].cx)
        d.text((x + 3, y - 16), f"#{tr.id}", fill=color)
    for shot in analysis.shots[1:]:
        x, _ = px(shot.start, 0)
        for y in range(top, top + plot_h, 12):
            d.line((x, y, x, y + 6), fill="black", width=2)
    return atomic_save_image(img, target, "PNG")
