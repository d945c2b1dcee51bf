"""A real render of a small job board: the QR codes survive encoding and the length is as planned."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import pytest

from tests.jobboard.board_times import last_card_middle
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


@pytest.mark.slow
def test_each_shape_shows_its_own_scannable_cards(board: BoardChannel, tmp_path: Path) -> None:
    """9:16, 1:1 and 16:9 from one run: each shape's job card fills its frame (the QR code where that shape's
    layout puts it, not a padded 9:16 card in the middle) and still scans."""
    import av
    import zxingcpp

    from vidcoop.pipeline import render_renditions

    text = (
        "title;partner;location;hours;start;description;apply;expires\n"
        "Erzieher*in (m/w/d);rot;Köln;Teilzeit;;;https://rot.example.de/jobs/erzieherin;31.12.2026\n"
    )
    report = validate(loads_csv(text.encode()), board, "2026-W48")
    options = BoardOptions(cards_dir=tmp_path / "cards", profile="preview", card_min=Fraction(4),
                           card_max=Fraction(4), title_seconds=Fraction(2), shapes=("1:1", "16:9"))
    (episode,) = build_episode(report, board, "2026-W48", options=options)
    outputs = {"9:16": tmp_path / "board.mp4", "1:1": tmp_path / "board.1x1.mp4", "16:9": tmp_path / "board.16x9.mp4"}
    results = render_renditions(episode, outputs)
    assert len({r.command and tuple(r.command) for r in results}) == 1  # one ffmpeg run
    middle = last_card_middle(episode)
    for shape, out in outputs.items():
        with av.open(str(out)) as container:
            stream = container.streams.video[0]
            w, h = stream.width, stream.height
            container.seek(int(middle * 1_000_000), any_frame=False, backward=True)
            frame = next(f for f in container.decode(video=0) if f.time is not None and f.time >= float(middle))
            codes = zxingcpp.read_barcodes(frame.to_image())
        assert [c.text for c in codes] == ["https://rot.example.de/jobs/erzieherin"], shape
        pos = codes[0].position
        centre_x = (pos.top_left.x + pos.bottom_right.x) / 2 / w
        if shape == "9:16":
            assert (w, h) == (540, 960)
        else:  # the QR code at the left of the frame, as large as the shape's layout makes it
            side = (pos.bottom_right.x - pos.top_left.x) / h  # a padded 9:16 card: centre ~0.37/0.43, side ~0.16
            assert w >= h and centre_x < 0.31 and side > 0.22, (shape, centre_x, side)


@pytest.mark.slow
def test_cli_renders_every_shape_the_channel_posts_in_one_run(tmp_path: Path) -> None:
    """``vidcoop jobboard`` with a channel posting 4:5 and 1:1 besides 9:16: one ffmpeg run writes each shape's
    video and audit report, and says each file it wrote."""
    import json
    import shutil

    import av
    from click.testing import CliRunner

    from vidcoop.cli.jobboard import jobboard

    examples = Path(__file__).resolve().parents[2] / "examples"
    shutil.copytree(examples / "channel", tmp_path / "channel")
    config = tmp_path / "channel" / "channel.yaml"
    config.write_text(config.read_text(encoding="utf-8") + 'renditions:\n  instagram: ["9:16", "4:5", "1:1"]\n',
                      encoding="utf-8")
    head, first = (examples / "jobs.csv").read_text(encoding="utf-8-sig").splitlines()[:2]
    (tmp_path / "jobs.csv").write_text(f"{head}\n{first}\n", encoding="utf-8")
    out = tmp_path / "out"
    args = [str(tmp_path / "jobs.csv"), "--channel", str(config), "--week", "2026-W48", "-o", str(out),
            "--profile", "preview"]
    result = CliRunner().invoke(jobboard, args)
    assert result.exit_code == 0, result.output
    sizes = {"9:16": ("", (540, 960)), "4:5": (".4x5", (540, 676)), "1:1": (".1x1", (540, 540))}
    for shape, (slug, size) in sizes.items():
        video = out / f"stellenboerse-2026-W48{slug}.mp4"
        assert f"wrote {video} ({shape}, {size[0]}x{size[1]}" in result.output
        with av.open(str(video)) as container:
            stream = container.streams.video[0]
            assert (stream.width, stream.height) == size
        report = json.loads(video.with_name(f"{video.stem}.report.json").read_text(encoding="utf-8"))
        assert report["extra"]["shape"] == shape and report["jobboard"]["week"] == "2026-W48"
