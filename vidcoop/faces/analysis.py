"""Analyse a source span once: shots and face tracks, from a low-resolution proxy, cached by content.

One PyAV decode of the span does everything: every frame is shrunk to a thumbnail for PySceneDetect's
content detector (exact cut times) and for the picture's own motion (:mod:`vidcoop.faces.motion`: a
pan is not a cut), and some frames are shrunk to the proxy size (about 288 px high, 480 px when
anonymising; sides multiples of 32) for CenterFace: about 5 a second, and 12.5 a second while a face
moves fast or the last samples disagree (:meth:`vidcoop.faces.track.Tracker.unsettled`), so still shots
stay cheap. The samples in between, taken only to follow faces already found, give the detector just
the window where those faces can be (:meth:`vidcoop.faces.track.Tracker.regions`); new faces are looked
for in the whole picture, about 5 times a second, as on a still shot. Detections are linked into
tracks per shot by predicted position (:mod:`vidcoop.faces.track`); a track never crosses a cut.

The result is cached as JSON under the user cache (``faces/``), keyed by the source's content hash,
the span and every parameter, so re-rendering an unchanged episode analyses nothing.
"""

from __future__ import annotations

import collections
import itertools
import math
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import asdict, dataclass, replace
from fractions import Fraction
from pathlib import Path
from typing import Any

from vidcoop.errors import MediaError, OutputError
from vidcoop.faces.detect import detector
from vidcoop.faces.model import ANALYSIS_VERSION, Box, Detection, FaceAnalysis, Shot
from vidcoop.faces.motion import GlobalMotion
from vidcoop.faces.track import Tracker, link_tracks
from vidcoop.files import atomic_write_json, cache_dir, remembered_sha256, stable_hash


@dataclass(frozen=True)
class AnalysisOptions:
    """How a span is analysed; every field is part of the cache key.

    Attributes:
        sample_fps: Frames per second given to the face detector.
        fast_fps: The same where faces move fast or the last samples disagree.
        proxy_height: Height of the detector's frames (a multiple of 32).
        threshold: CenterFace score a face needs.
        shot_threshold: PySceneDetect ``ContentDetector`` threshold (its default, 27).
        min_shot: Shortest shot in seconds (shorter flashes do not cut).
        link_gap: Longest miss in seconds a track survives (it is then predicted, not held).
        windowed: Samples between the regular ones look only where followed faces can be (cheap, for
            reframing). Off, every sample looks at the whole picture, so a face that enters while others
            move is found at the fast rate: anonymising (:data:`PRIVACY_OPTIONS`).
    """

    sample_fps: float = 5.0
    fast_fps: float = 12.5
    proxy_height: int = 288
    threshold: float = 0.5
    shot_threshold: float = 27.0
    min_shot: float = 0.5
    link_gap: float = 0.6
    windowed: bool = True


#: Anonymising looks harder than reframing. Reframing follows the speaker, a large face, so the cheap
#: 288 px proxy serves; but a face left unblurred is a privacy failure, and passers-by are small. Measured
#: with scikit-image's astronaut face pasted into 1920x1080 texture, CenterFace (threshold 0.5) finds it
#: from a pasted size of about 200 px (a face about 120 px high) at a 288 px proxy, from about 110 px
#: (a face about 65 px high) at 480 px, for about 3x the detector's time (26 -> 79 ms a frame, 2 cores).
#: The lower threshold favours hiding: a blurred patch of background costs little.
PRIVACY_OPTIONS = AnalysisOptions(proxy_height=480, threshold=0.4, windowed=False)

_THUMB_WIDTH = 96
_DETECT_AHEAD = 3  # proxy frames waiting for the detector at most
#: A sample between the regular ones looks at a window around the faces it follows, unless the window
#: is more than this share of the picture.
_WINDOW_SHARE = 0.5
_GROW = 1.5  # the window around a face's region, as a multiple of its radius (1.0 lost the dash)
# The sampling rate follows the tracker's state as of this many seconds ago, so it does not depend on
# how fast the detector thread happens to be: the same file gives the same analysis.
_LAG = 0.25


def cache_key(path: Path, start: float, end: float | None, options: AnalysisOptions) -> str:
    """Content hash of the source, the span and the options."""
    return stable_hash("faces", ANALYSIS_VERSION, remembered_sha256(path),
                       round(start, 4), None if end is None else round(end, 4), asdict(options))


def analyse(path: str | Path, start: float = 0.0, end: float | None = None,
            options: AnalysisOptions | None = None, *, cache: bool = True) -> FaceAnalysis:
    """Shots and face tracks of ``path`` between ``start`` and ``end`` (seconds; None = to the end).

    An analysis that cannot be cached (a read-only cache, ``VIDCOOP_CACHE_DIR`` naming a file) is
    still returned, with the reason in ``cache_problem``, so the render goes on and warns.

    Raises:
        MediaError: unreadable source, no video stream, or ``vidcoop[faces]`` missing.
    """
    import json

    opts = options or AnalysisOptions()
    p = Path(path)
    if not p.is_file():
        raise MediaError("file not found", path=p)
    key = cache_key(p, start, end, opts)
    problem: Exception | None = None
    target: Path | None = None
    if cache:
        try:
            target = cache_dir("faces") / f"{key[:32]}.json"
        except OutputError as exc:
            problem = exc
    if target is not None and target.is_file():
        try:
            return FaceAnalysis.from_dict(json.loads(target.read_text(encoding="utf-8")))
        except (ValueError, KeyError, TypeError, OSError):
            pass  # a damaged or unreadable cache entry is recomputed
    result = _analyse(p, start, end, opts)
    if target is not None:
        try:
            atomic_write_json(target, result.to_dict())
        except (OutputError, OSError) as exc:  # the analysis stands; only the next render pays again
            problem = exc
    if problem is not None:
        result = replace(result, cache_problem=f"face analysis was not cached, the next render analyses again: "
                                               f"{problem}")
    return result


def _analyse(path: Path, start: float, end: float | None, opts: AnalysisOptions) -> FaceAnalysis:
    import av
    import numpy as np
    from av.video.reformatter import VideoReformatter

    try:
        container = av.open(f"file:{path.absolute()}")
    except (av.error.FFmpegError, OSError) as exc:
        raise MediaError(f"cannot read for face analysis: {exc}", path=path) from None
    detect = detector()
    detections: list[Detection] = []
    # The detector runs on its own thread (OpenCV releases the GIL), so decoding and shot finding
    # go on meanwhile; at most a few proxy frames wait, and results are taken in order.
    pending: collections.deque[tuple[float, tuple[float, float, int, int], Future[Any]]] = collections.deque()
    tracker: Tracker | None = None
    motion: GlobalMotion | None = None
    shots: _ShotFinder | None = None

    def collect() -> None:
        t, (sx, sy, ox, oy), found = pending.popleft()
        boxes = []
        for box, score in found.result():
            scaled = Box(*(round(v, 2) for v in ((box.x0 + ox) * sx, (box.y0 + oy) * sy, (box.x1 + ox) * sx,
                                                 (box.y1 + oy) * sy)))
            detections.append(Detection(round(t, 4), scaled, round(score, 4)))
            boxes.append(scaled)
        assert tracker is not None
        # Only for the sampling rate: tracks are linked once the shots are known. The content detector
        # reports a cut up to half a second late, so here a cut is just a jump the gates refuse.
        tracker.update(t, 0, boxes)

    thumbs, proxies = VideoReformatter(), VideoReformatter()
    with container, ThreadPoolExecutor(max_workers=1, thread_name_prefix="vidcoop-faces") as pool:
        if not container.streams.video:
            raise MediaError("no video stream to analyse", path=path)
        stream = container.streams.video[0]
        stream.thread_type = "AUTO"
        base = stream.time_base or Fraction(1, 90000)
        origin = float(stream.start_time * base) if stream.start_time is not None else 0.0
        rate = float(stream.average_rate or 25)
        if start > 0:
            container.seek(int((start + origin) / base), stream=stream, backward=True, any_frame=False)
        last_sample = last_full = -math.inf
        size: tuple[int, int] | None = None
        proxy: tuple[int, int] | None = None
        last_t = 0.0
        slow, fast = 1.0 / opts.sample_fps, 1.0 / max(opts.fast_fps, opts.sample_fps)
        for frame in container.decode(stream):
            if frame.time is None:
                continue
            t = float(frame.time) - origin - start
            if t < -1e-6:
                continue
            if end is not None and t >= end - start:
                break
            last_t = t
            rotation = int(getattr(frame, "rotation", 0) or 0) % 360
            turns = rotation // 90
            if size is None:
                w, h = (frame.height, frame.width) if turns % 2 else (frame.width, frame.height)
                size = (w, h)
                ph = max(32, opts.proxy_height // 32 * 32)
                pw = max(32, round(w * ph / h / 32) * 32)
                proxy = (pw, ph)
                motion = GlobalMotion(w / _THUMB_WIDTH)
                shots = _ShotFinder(opts, rate, motion)
                tracker = Tracker(w, h, opts.link_gap, motion.velocity)
            assert motion is not None and shots is not None and tracker is not None and proxy is not None
            thumb_h = max(8, round(_THUMB_WIDTH * size[1] / size[0]))
            small = _rotated(thumbs, frame, _THUMB_WIDTH, thumb_h, turns, "bgr24", "FAST_BILINEAR")
            motion.feed(t, small)
            shots.feed(t, small)
            while pending and pending[0][0] <= t - _LAG:
                collect()
            if t + 1e-6 >= last_sample + (fast if tracker.unsettled(t) else slow):
                last_sample = t
                rgb = np.ascontiguousarray(_rotated(proxies, frame, proxy[0], proxy[1], turns, "rgb24"))
                sx, sy = size[0] / proxy[0], size[1] / proxy[1]
                # The samples in between, taken to follow faces already found, look where they can be.
                between = opts.windowed and t + 1e-6 < last_full + slow
                window = _window(tracker.regions(t), proxy, sx, sy) if between else None
                if window is None:
                    last_full = t
                    window = (0, 0, proxy[0], proxy[1])
                    look = rgb
                else:
                    look = np.ascontiguousarray(rgb[window[1]:window[3], window[0]:window[2]])
                pending.append((t, (sx, sy, window[0], window[1]), pool.submit(detect, look, opts.threshold)))
                while len(pending) > _DETECT_AHEAD:
                    collect()
        while pending:
            collect()
    if size is None or motion is None or shots is None:
        raise MediaError("no frames in the span to analyse", path=path)
    duration = (end - start) if end is not None else last_t + 1.0 / rate
    cut_times = shots.cuts()
    bounds = [0.0, *[c for c in cut_times if 0 < c < duration], duration]
    shot_list = tuple(Shot(round(a, 4), round(b, 4)) for a, b in itertools.pairwise(bounds) if b > a)
    tracks = link_tracks(detections, shot_list, size, opts.link_gap, motion.velocity)
    params = tuple(sorted({**asdict(opts), "model": "centerface", "start": start, "end": end}.items()))
    return FaceAnalysis(size[0], size[1], round(duration, 4), opts.sample_fps, shot_list, tracks, params,
                        motion.pans(size[0]))


def _window(regions: list[tuple[float, float, float]], proxy: tuple[int, int], sx: float, sy: float,
            ) -> tuple[int, int, int, int] | None:
    """The part of the proxy ``(x0, y0, x1, y1)`` (sides multiples of 32) that holds every region
    (source pixels), each grown by :data:`_GROW`; None for no region or one most of the picture (look
    at it all)."""
    if not regions:
        return None
    pw, ph = proxy
    x0 = min(cx - _GROW * r for cx, _, r in regions) / sx
    x1 = max(cx + _GROW * r for cx, _, r in regions) / sx
    y0 = min(cy - _GROW * r for _, cy, r in regions) / sy
    y1 = max(cy + _GROW * r for _, cy, r in regions) / sy
    gx0, gy0 = max(0, math.floor(x0 / 32) * 32), max(0, math.floor(y0 / 32) * 32)
    gx1, gy1 = min(pw, math.ceil(x1 / 32) * 32), min(ph, math.ceil(y1 / 32) * 32)
    if gx1 - gx0 < 32 or gy1 - gy0 < 32 or (gx1 - gx0) * (gy1 - gy0) > _WINDOW_SHARE * pw * ph:
        return None
    return gx0, gy0, gx1, gy1


def _rotated(reformatter: Any, frame: Any, w: int, h: int, turns: int, fmt: str, interpolation: str = "AREA",
             ) -> Any:
    """The frame shrunk to ``w``x``h`` as displayed (the display matrix's counter-clockwise turns applied).

    Each size has its own ``reformatter`` (PyAV ``VideoReformatter``): one shared by the thumbnails and
    the proxies set its scaler up again at every switch, which cost more than the scaling (measured:
    7.2 ms for a thumbnail and a proxy of a 1080p frame, 1.8 ms with one reformatter each).
    """
    import numpy as np

    if turns % 2:
        w, h = h, w
    img = reformatter.reformat(frame, w, h, fmt, interpolation=interpolation).to_ndarray()
    return np.rot90(img, k=turns) if turns else img


class _ShotFinder:
    """PySceneDetect's content detector over thumbnails of every frame; where the picture only moved
    (a pan, :meth:`GlobalMotion.moved`), the change it reports is not a cut."""

    def __init__(self, opts: AnalysisOptions, rate: float, motion: GlobalMotion) -> None:
        from scenedetect.detectors import ContentDetector

        self._rate = rate
        self._motion = motion
        self._detector = ContentDetector(threshold=opts.shot_threshold,
                                         min_scene_len=max(1, round(opts.min_shot * rate)))
        self._times: list[float] = []
        self._cuts: list[float] = []

    def feed(self, t: float, bgr: Any) -> None:
        from scenedetect import FrameTimecode

        index = len(self._times)
        self._times.append(t)
        for cut in self._detector.process_frame(FrameTimecode(index, fps=self._rate), bgr):
            n = cut.frame_num if hasattr(cut, "frame_num") else int(cut)
            if 0 < n < len(self._times):
                self._cuts.append(self._times[n])

    def cuts(self) -> list[float]:
        """The cuts, once every frame was fed."""
        return sorted(set(round(c, 4) for c in self._cuts if not self._motion.moved(c)))

