"""The editorial timeline: frozen models and manifest loading."""

from vidcoop.timeline.model import (
    CaptionSpec,
    ClipSource,
    Episode,
    Keyframe,
    Overlay,
    Reframe,
    Segment,
)

__all__ = ["CaptionSpec", "ClipSource", "Episode", "Keyframe", "Overlay", "Reframe", "Segment"]
