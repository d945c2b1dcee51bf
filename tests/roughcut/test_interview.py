"""The rough cut on a generated interview of more than three minutes (real Whisper, real render; slow).

Word times come from the offline Whisper base model on espeak-ng voices, so the tests name no
exact sentence text: they find the fillers and the repeated take by where the generator put
them, and compare the captions with the transcript's own words.
"""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.roughcut.conftest import needs_model
from tests.roughcut.interview import Interview
from vidcoop.cli.main import cli
from vidcoop.roughcut import cut_source, read_source, suggest
from vidcoop.timeline.manifest import load_episode

pytestmark = [pytest.mark.slow, pytest.mark.whisper, needs_model]

FPS = Fraction(30)
ONSET = Fraction(20, 1000)
QUIET_DB = -40.0
CLICK_JUMP = 0.02  # largest sample step at a join (full scale 1.0): about -34 dBFS


def _sentences_in(interview: Interview, isolated_cache: Path) -> list[int]:
    """Sentences spoken from 9 s to about 65 s: the first filler, the repeated take, long pauses."""
    st, _ = read_source(interview.path)
    first = next(s.number for s in st.sentences if s.start >= Fraction(9))
    last = max(s.number for s in st.sentences if s.start < interview.first_take[1] + 25)
    return list(range(first, last + 1))


def test_transcript_suggestions_on_a_three_minute_interview(interview: Interview, isolated_cache: Path) -> None:
    assert interview.duration >= 180
    st, audio = read_source(interview.path)
    assert [s.number for s in st.sentences] == list(range(1, len(st.sentences) + 1))
    assert len(st.sentences) >= 30 and len(st.paragraphs) >= 20
    found = suggest(st, audio)
    kinds = {s.kind for s in found}
    assert {"pause", "retake"} <= kinds
    for lo, hi in interview.fillers:  # each filler is flagged, as a filler word or as uncovered voice
        assert any(s.kind in ("filler", "voice") and s.start < hi and lo < s.end for s in found), (lo, hi)
    (take,) = [s for s in found if s.kind == "retake"]
    assert take.end <= interview.first_take[1] + Fraction(1, 10)  # the earlier take is the one marked
    assert take.end > interview.first_take[0]
    pauses = [s for s in found if s.kind == "pause"]
    assert len(pauses) >= 20 and all(s.end - s.start > Fraction(6, 10) for s in pauses)


def test_cut_edges_on_generated_speech(interview: Interview, isolated_cache: Path) -> None:
    keep = _sentences_in(interview, isolated_cache)
    cut = cut_source(interview.path, keep, tighten_pauses=0.4, drop_fillers=True, last_take=True, fps=FPS)
    _, audio = read_source(interview.path)
    assert len(cut.pieces) >= 4
    for piece in cut.pieces:
        for edge in (piece.start, piece.end):
            assert (edge * FPS).denominator == 1, edge  # on the frame grid
            assert not any(w.start < edge < w.end for w in cut.words), edge  # never inside a kept word
        # No onset clipped: nothing audible in the 20 ms the cut leaves out before the in-point,
        # and none after the out-point; the speech starts after the cut.
        assert audio.level_db(piece.start - ONSET, piece.start) < QUIET_DB, piece
        assert audio.level_db(piece.end, piece.end + ONSET) < QUIET_DB, piece
        assert audio.level_db(piece.start, piece.end) > QUIET_DB
    for lo, hi in interview.fillers[:1]:  # the filler in the kept range is cut out
        assert not any(p.start < hi and lo < p.end for p in cut.pieces)
    take = interview.first_take
    assert not any(p.start < take[1] - Fraction(1, 2) and take[0] + Fraction(1, 2) < p.end for p in cut.pieces)
    assert 30 <= sum(p.duration for p in cut.pieces) <= 60  # about 45 s of a 56 s stretch, pauses shortened


def test_cli_cut_then_render_burns_exactly_the_kept_words(interview: Interview, isolated_cache: Path, tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    import av
    import numpy as np

    runner = CliRunner()
    listing = runner.invoke(cli, ["cut", str(interview.path)], catch_exceptions=False)
    assert listing.exit_code == 0, listing.output
    lines = listing.output.splitlines()
    assert [int(line.split(" ", 1)[0]) for line in lines] == list(range(1, len(lines) + 1))
    keep = _sentences_in(interview, isolated_cache)
    manifest = tmp_path / "folge.yaml"
    manifest.write_text("version: 1\n# Rohschnitt\ntitle: Interview\nsegments: []\n", encoding="utf-8")
    made = runner.invoke(cli, ["cut", str(manifest), "--source", str(interview.path),
                               "--keep", f"{keep[0]}-{keep[-1]}", "--tighten-pauses", "0.4", "--drop-fillers",
                               "--last-take", "--style", "social", "--profile", "preview"],
                         catch_exceptions=False)
    assert made.exit_code == 0, made.output
    assert "# Rohschnitt" in manifest.read_text(encoding="utf-8")
    episode = load_episode(manifest)
    assert all(s.fade == Fraction(8, 1000) for s in episode.segments)
    expected = cut_source(interview.path, keep, tighten_pauses=0.4, drop_fillers=True, last_take=True, fps=FPS)
    out = tmp_path / "folge.mp4"
    rendered = runner.invoke(cli, ["render", str(manifest), "--profile", "preview", "-o", str(out), "--quiet"],
                             catch_exceptions=False)
    assert rendered.exit_code == 0, rendered.output
    srt = out.with_suffix(".srt").read_text(encoding="utf-8")
    shown = [w for block in srt.strip().split("\n\n") for line in block.splitlines()[2:] for w in line.split()]
    assert shown == [w.text for w in expected.words]
    assert not any(w.strip(".,").casefold() in ("äh", "ähm") for w in shown)
    # No click: the sample step across each join stays small in the real render.
    with av.open(str(out)) as container:
        stream = container.streams.audio[0]
        rate = stream.rate
        sound = np.concatenate([f.to_ndarray()[0] for f in container.decode(stream)])
    for start in expected.timeline_starts()[1:]:
        at = int(start * rate)
        window = sound[at - rate // 200 : at + rate // 200]
        assert float(np.max(np.abs(np.diff(window)))) < CLICK_JUMP, float(start)
