"""A real render of a small job board: the QR codes survive encoding and the length is as planned."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import pytest

from vidcoop.jobboard.board import BoardChannel
from vidcoop.jobboard.episode import build_episode
from vidcoop.jobboard.parts import BoardOptions
from vidcoop.jobboard.reader import loads_csv
from vidcoop.jobboard.validation import validate


@pytest.mark.slow
def test_rendered_job_board_has_scannable_cards(board: BoardChannel, tmp_path: Path) -> None:
    import av
    import zxingcpp

    from vidcoop.pipeline import render

    text = (
        "title;partner;location;hours;start;description;apply;expires\n"
        "Erzieher*in (m/w/d);rot;Köln;Teilzeit;;;https://rot.example.de/jobs/erzieherin;31.12.2026\n"
        "Pfleger:in;gruen;Düsseldorf;Vollzeit;;;bewerbung@gruen.example.de;31.12.2026\n"
    )
    report = validate(loads_csv(text.encode()), board, "2026-W48")
    options = BoardOptions(cards_dir=tmp_path / "cards", profile="preview", card_min=Fraction(4),
                           card_max=Fraction(4), title_seconds=Fraction(2))
    (episode,) = build_episode(report, board, "2026-W48", options=options)
    result = render(episode, tmp_path / "board.mp4")
    spans = []
    t = Fraction(0)
    for seg in episode.segments:
        assert seg.duration is not None
        spans.append((seg, t, t + seg.duration))
        t += seg.duration - episode.crossfade
    assert result.duration == t + episode.crossfade
    found: dict[str, str] = {}
    with av.open(str(result.output)) as container:
        stream = container.streams.video[0]
        assert (stream.width, stream.height) == (540, 960)
        for seg, start, end in spans:
            if seg.kind != "card":
                continue
            middle = (start + end) / 2
            container.seek(int(middle * 1_000_000), any_frame=False, backward=True)
            for frame in container.decode(video=0):
                if frame.time is not None and frame.time >= float(middle):
                    texts = [r.text for r in zxingcpp.read_barcodes(frame.to_image())]
                    found[str(seg.partner)] = texts[0] if texts else ""
                    break
    assert found == {"rot": "https://rot.example.de/jobs/erzieherin", "gruen": "mailto:bewerbung@gruen.example.de"}
