"""The API says when captions need a look: ``RenderResult.warnings`` and ``OUT.report.json`` (issue #23)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest

from vidcoop import CaptionSpec, Episode, Segment
from vidcoop.captions.backends import BACKENDS, SAMPLE_RATE, Transcriber
from vidcoop.captions.model import Transcript, TranscriptSegment, Word
from vidcoop.pipeline import render


class Garbage(Transcriber):
    """What faster-whisper made of music in the issue: "www .mengeld .com" three times, every word unsure,
    and two words squeezed onto one instant at the very end."""

    name = "garbage"

    def model_identity(self) -> str:
        return "garbage"

    def transcribe(self, audio: Any, *, plain: bool = False) -> Transcript:
        end = Fraction(len(audio), SAMPLE_RATE)
        segments = []
        for k in range(3):
            at = Fraction(k * 3, 2)
            words = (
                Word("www", at, at + Fraction(4, 10), 0.21),
                Word(".mengeld", at + Fraction(4, 10), at + 1, 0.3),
                Word(".com", at + 1, at + Fraction(14, 10), 0.12),
            )
            segments.append(TranscriptSegment("www .mengeld .com", words[0].start, words[-1].end, words))
        late = (Word("Die", end, end, 0.4), Word("Schuldner", end, end, 0.4))
        segments.append(TranscriptSegment("Die Schuldner", end, end, late))
        return Transcript(tuple(segments), "de", "garbage", "m", end)


@pytest.fixture
def garbage() -> Iterator[None]:
    BACKENDS["garbage"] = Garbage
    yield
    del BACKENDS["garbage"]


@pytest.mark.slow
def test_render_warns_of_garbage_it_would_burn_and_reports_it(
    garbage: None, make_media, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("VIDCOOP_CACHE_DIR", str(tmp_path / "cache"))
    clip = make_media("music-video.mp4", "testsrc2=s=320x180:r=30:d=6", "sine=f=440:r=48000:d=6")
    out = tmp_path / "ep.mp4"
    ep = Episode([Segment(clip, end=5)], captions=CaptionSpec(mode="auto", backend="garbage"))
    result = render(ep, out, profile="preview")
    assert result.warnings, "the API burned 'www .mengeld .com' three times without a warning"
    text = "\n".join(result.warnings)
    assert "looks like a web address the speaker did not spell out" in text
    assert "is made mostly of words the speech model was unsure of" in text
    # The third "www .mengeld .com" repeats the first two: decoded again on its own it loops still, so it is
    # left out and named (vidcoop.captions.loops) instead of burned.
    assert "the speech model only repeated 'www .mengeld .com'" in text
    assert "left out 2 word(s) the speech model placed where nobody spoke" in text
    report = json.loads(out.with_suffix(".report.json").read_text(encoding="utf-8"))["captions"]
    assert {f["reason"] for f in report["flagged"]} >= {"unsure", "url"}
    assert [u["text"] for u in report["unsaid"]] == ["Die", "Schuldner"]
    srt = out.with_suffix(".srt").read_text(encoding="utf-8")
    assert "Schuldner" not in srt  # words nobody said are not shown
