"""Episode covers: a sharp frame and the title in the brand style (Pillow, PyAV, numpy)."""

from vidcoop.cover.compose import CoverStyle, TitleLayout, compose_cover, fill_frame, layout_title
from vidcoop.cover.frames import Candidate, best, count_faces, decode_frames, is_test_pattern, sharpness
from vidcoop.cover.make import CoverOptions, CoverResult, as_cropped, cover_path, make_cover

__all__ = [
    "Candidate",
    "CoverOptions",
    "CoverResult",
    "CoverStyle",
    "TitleLayout",
    "as_cropped",
    "best",
    "compose_cover",
    "count_faces",
    "cover_path",
    "decode_frames",
    "fill_frame",
    "is_test_pattern",
    "layout_title",
    "make_cover",
    "sharpness",
]
