from __future__ import annotations

import json
from fractions import Fraction
from pathlib import Path

import pytest

from vidcoop.captions.model import Transcript, TranscriptSegment, Word
from vidcoop.captions.transcript_io import load_transcript, save_transcript, transcript_from_dict, transcript_to_dict
from vidcoop.errors import ManifestError


def sample() -> Transcript:
    words = (
        Word("Grüße", Fraction(1, 3), Fraction(2, 3), 0.5),
        Word("{\\i1}aus", Fraction(2, 3), Fraction(30001, 30000), 1.0),
    )
    return Transcript(
        segments=(TranscriptSegment("Grüße {\\i1}aus", Fraction(1, 3), Fraction(30001, 30000), words),),
        language="de",
        backend="faster-whisper",
        model="base",
        duration=Fraction(30000, 1001),
        extra={"language_probability": 0.97},
    )


def test_round_trip_is_exact(tmp_path: Path) -> None:
    t = sample()
    again = transcript_from_dict(json.loads(json.dumps(transcript_to_dict(t))))
    assert again == t
    assert again.words[1].end == Fraction(30001, 30000)
    assert again.extra == {"language_probability": 0.97}
    path = save_transcript(t, tmp_path / "sub" / "t.json")
    assert load_transcript(path) == t
    assert [p.name for p in path.parent.iterdir()] == ["t.json"]  # no temp file left behind


def test_bad_data_names_the_field(tmp_path: Path) -> None:
    data = transcript_to_dict(sample())
    data["segments"][0]["words"][1]["start"] = "soon"
    with pytest.raises(ManifestError) as info:
        transcript_from_dict(data, path="t.json")
    assert info.value.field == "segments.0.words.1.start"
    data = transcript_to_dict(sample())
    del data["segments"][0]["text"]
    with pytest.raises(ManifestError) as info:
        transcript_from_dict(data)
    assert info.value.field == "segments.0.text"
    with pytest.raises(ManifestError) as info:
        transcript_from_dict({"schema": "other"})
    assert info.value.field == "schema"
    bad = tmp_path / "bad.json"
    bad.write_text("{", encoding="utf-8")
    with pytest.raises(ManifestError, match="JSON"):
        load_transcript(bad)
