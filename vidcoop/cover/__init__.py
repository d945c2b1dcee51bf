"""Episode covers: a sharp frame and the title in the brand style (Pillow, PyAV, numpy)."""

from vidcoop.cover.compose import CoverStyle, TitleLayout, compose_cover, fill_frame, layout_title
from vidcoop.cover.frames import Candidate, best, decode_frames, sharpness
from vidcoop.cover.make import CoverOptions, CoverResult, cover_path, make_cover, place_segments, source_time

__all__ = [
    "Candidate",
    "CoverOptions",
    "CoverResult",
    "CoverStyle",
    "TitleLayout",
    "best",
    "compose_cover",
    "cover_path",
    "decode_frames",
    "fill_frame",
    "layout_title",
    "make_cover",
    "place_segments",
    "sharpness",
    "source_time",
]
