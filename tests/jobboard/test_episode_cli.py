"""Job-board episodes (parts, budget, rotation, bumpers, cues) and the CLI."""

from __future__ import annotations

import itertools
import json
from fractions import Fraction
from pathlib import Path

from click.testing import CliRunner

from vidcoop.channel.rules import slot_position
from vidcoop.cli.jobboard import EXIT_INVALID_ROWS, jobboard
from vidcoop.jobboard import build_episode, load, validate
from vidcoop.jobboard.board import BoardChannel
from vidcoop.jobboard.manifest import episode_manifest
from vidcoop.jobboard.parts import BoardOptions, card_seconds
from vidcoop.jobboard.reader import loads_csv

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def _many(board: BoardChannel, n: int = 9) -> list:  # type: ignore[type-arg]
    rows = [
        f"Stelle {i} Pflegefachkraft (m/w/d);{'rot' if i % 3 else 'gruen'};Köln;Vollzeit;;"
        f"Kurze Beschreibung Nummer {i}.;https://jobs.example.de/{i};31.12.2026"
        for i in range(n)
    ]
    text = "title;partner;location;hours;start;description;apply;expires\n" + "\n".join(rows)
    report = validate(loads_csv(text.encode()), board, "2026-W48")
    assert len(report.ok) == n
    return list(report.ok)


def _length(episode) -> Fraction:  # type: ignore[no-untyped-def]
    total = sum((s.duration for s in episode.segments), Fraction(0))
    return total - episode.crossfade * (len(episode.segments) - 1)


def test_parts_respect_the_budget_and_keep_every_job(board: BoardChannel, tmp_path: Path) -> None:
    jobs = _many(board)
    options = BoardOptions(budget=Fraction(30), cards_dir=tmp_path)
    parts = build_episode(jobs, board, "2026-W48", options=options)
    assert len(parts) > 1
    shown = [s.label for p in parts for s in p.segments if s.kind == "card"]
    assert sorted(shown) == sorted(j.title for j in jobs)
    for i, part in enumerate(parts, 1):
        assert _length(part) <= 30
        assert part.extra["jobboard"].part == i
        assert f"Teil {i}/{len(parts)}" in part.title
        assert part.format is None and part.crossfade == Fraction(1, 2)  # no channel file, so no format
        cards = [s for s in part.segments if s.kind == "card"]
        assert all(s.partner and s.reframe.zoom and s.reframe.zoom[1] > 1.0 for s in cards)
    # everything fits in one part when the budget allows
    assert len(build_episode(jobs, board, "2026-W48", options=BoardOptions(budget=Fraction(300),
                                                                           cards_dir=tmp_path))) == 1


def test_card_time_grows_with_text_and_is_clamped(board: BoardChannel) -> None:
    short, longer = _many(board, 2)
    from dataclasses import replace

    opts = BoardOptions()
    assert card_seconds(replace(longer, description="x" * 60), opts) > card_seconds(short, opts)
    assert card_seconds(replace(longer, description="x" * 900), opts) == opts.card_max


def test_no_partner_is_always_last(board: BoardChannel, tmp_path: Path) -> None:
    jobs = _many(board, 4)
    last = set()
    for week in ("2026-W48", "2026-W49"):
        (episode,) = build_episode(jobs, board, week, options=BoardOptions(cards_dir=tmp_path))
        cards = [s for s in episode.segments if s.kind == "card"]
        last.add(cards[-1].partner)
    assert last == {"rot", "gruen"}


def test_bumpers_sit_in_slots_and_show_partners_of_the_part(board: BoardChannel, tmp_path: Path) -> None:
    (episode,) = build_episode(_many(board, 4), board, "2026-W48", options=BoardOptions(cards_dir=tmp_path))
    card_partners = {s.partner for s in episode.segments if s.kind == "card"}
    bumpers = [(i, s) for i, s in enumerate(episode.segments) if s.kind == "bumper"]
    assert 1 <= len(bumpers) <= board.slot_capacity
    allowed = {s.position for s in board.slots}
    for i, seg in bumpers:
        assert seg.partner in card_partners
        assert slot_position(episode.segments, i)[0] in allowed
    assert len({s.partner for _, s in bumpers}) == len(bumpers)


def test_cues_carry_every_cards_text(board: BoardChannel, tmp_path: Path) -> None:
    jobs = _many(board, 3)
    (episode,) = build_episode(jobs, board, "2026-W48", options=BoardOptions(cards_dir=tmp_path))
    cues = episode.extra["jobboard"].cues
    text = "\n".join(c.text for c in cues).replace("\n", " ")
    assert "Stellenbörse der Woche" in text and "23.\u201329. November 2026" in text
    for job in jobs:
        assert job.title in text and job.apply.display in text
    assert all(a.end <= b.start for a, b in itertools.pairwise(cues))
    assert cues[-1].end <= _length(episode)


def _silence(path: Path) -> Path:
    import wave

    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(8000)
        out.writeframes(b"\0\0" * 800)
    return path


def test_example_channel_episode_passes_the_policy(tmp_path: Path) -> None:
    channel = EXAMPLES / "channel" / "channel.yaml"
    report = validate(load(EXAMPLES / "jobs.csv"), channel, "2026-W48")
    _silence(tmp_path / "bed.wav")  # the music must play: it is checked before any work
    parts = build_episode(report, channel, "2026-W48", options=BoardOptions(cards_dir=tmp_path,
                                                                             music=tmp_path / "bed.wav"))
    (episode,) = parts
    kinds = [s.kind for s in episode.segments]
    assert kinds[0] == "intro" and kinds[-1] == "outro" and "title" in kinds and kinds.count("card") == 5
    assert episode.audio.music is not None and episode.audio.music.file == tmp_path / "bed.wav"  # render() reads it
    manifest = episode_manifest(episode)
    assert manifest["version"] == 1 and len(manifest["segments"]) == len(episode.segments)


def test_cli_check_exit_code() -> None:
    runner = CliRunner()
    args = [str(EXAMPLES / "jobs.csv"), "--channel", str(EXAMPLES / "channel" / "channel.yaml"), "--week", "2026-W48"]
    result = runner.invoke(jobboard, [*args, "--check"])
    assert result.exit_code == EXIT_INVALID_ROWS, result.output
    assert "awo-musterstadt" in result.output and "expired" in result.output


def test_cli_writes_cards_cues_and_manifests(tmp_path: Path) -> None:
    runner = CliRunner()
    args = [str(EXAMPLES / "jobs.csv"), "--channel", str(EXAMPLES / "channel" / "channel.yaml"),
            "--week", "2026-W48", "-o", str(tmp_path), "--no-render"]
    result = runner.invoke(jobboard, args)
    assert result.exit_code == 0, result.output
    srt = (tmp_path / "stellenboerse-2026-W48.srt").read_text(encoding="utf-8")
    assert "Erzieher*in in der Kita Sonnenblume" in srt and "Pfleger:in" in srt
    assert (tmp_path / "stellenboerse-2026-W48.vtt").read_text(encoding="utf-8").startswith("WEBVTT")
    manifest = json.loads((tmp_path / "stellenboerse-2026-W48.episode.json").read_text(encoding="utf-8"))
    assert sum(1 for s in manifest["segments"] if s["kind"] == "card") == 5
    assert len(list((tmp_path / "cards").glob("card-*.png"))) == 5
    again = runner.invoke(jobboard, args)
    assert "0 drawn" in again.output


def test_parts_are_even_when_the_budget_allows(board: BoardChannel, tmp_path: Path) -> None:
    from vidcoop.jobboard.parts import split_parts

    jobs = _many(board, 7)
    options = BoardOptions(budget=Fraction(30), cards_dir=tmp_path)
    sizes = [len(p) for p in split_parts(jobs, board, options)]
    assert sum(sizes) == 7 and max(sizes) - min(sizes) <= 1


def test_user_text_stays_literal_in_cards_and_caption_files(board: BoardChannel, tmp_path: Path) -> None:
    from vidcoop.jobboard.cues import write_cues

    title = r"{\b1}Koch:in [Mensa]; 100% frisch, {title}"
    row = f"\"{title}\";rot;Köln;Vollzeit;;;https://rot.example.de/jobs?a=1&b=2;31.12.2026"
    text = "title;partner;location;hours;start;description;apply;expires\n" + row
    report = validate(loads_csv(text.encode()), board, "2026-W48")
    assert [j.title for j in report.ok] == [title]
    (episode,) = build_episode(report, board, "2026-W48", options=BoardOptions(cards_dir=tmp_path))
    card = next(s for s in episode.segments if s.kind == "card")
    assert card.label == title
    srt, vtt = write_cues(list(episode.extra["jobboard"].cues), tmp_path / "board")
    from vidcoop.captions.formats import Cues

    for path in (srt, vtt):
        texts = " ".join(c.text.replace("\n", " ") for c in Cues.load(path))
        assert title in texts and "rot.example.de/jobs?a=1&b=2" in texts


def _shaped_channel(tmp_path: Path) -> Path:
    """The example channel, posting 4:5 and 1:1 on Instagram besides 9:16."""
    import shutil

    shutil.copytree(EXAMPLES / "channel", tmp_path / "channel")
    config = tmp_path / "channel" / "channel.yaml"
    config.write_text(config.read_text(encoding="utf-8") + 'renditions:\n  instagram: ["9:16", "4:5", "1:1"]\n',
                      encoding="utf-8")
    return config


def _one_job(tmp_path: Path) -> Path:
    jobs = tmp_path / "jobs.csv"
    head, first = (EXAMPLES / "jobs.csv").read_text(encoding="utf-8-sig").splitlines()[:2]
    jobs.write_text(f"{head}\n{first}\n", encoding="utf-8")
    return jobs


def test_cli_manifest_reads_back_from_a_relative_output_folder(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """``-o out`` (relative): the manifest names its cards relative to itself, so ``vidcoop render`` finds every
    still, each shape's too."""
    from vidcoop.timeline.manifest import load_episode
    from vidcoop.timeline.model import SHAPE_STILLS, episode_shapes

    channel = _shaped_channel(tmp_path)
    monkeypatch.chdir(tmp_path)
    args = [str(_one_job(tmp_path)), "--channel", "channel/channel.yaml", "--week", "2026-W48", "-o", "out",
            "--no-render"]
    result = CliRunner().invoke(jobboard, args)
    assert result.exit_code == 0, result.output
    episode = load_episode(tmp_path / "out" / "stellenboerse-2026-W48.episode.json")
    assert episode_shapes(episode) == ("9:16", "4:5", "1:1")
    assert episode.channel == channel
    assert all(isinstance(s.source, Path) and s.source.is_file() for s in episode.segments)
    stills = episode.extra[SHAPE_STILLS]
    assert isinstance(stills, dict) and stills
    assert all(Path(p).is_file() for shapes in stills.values() for p in shapes.values())


def test_cli_refuses_a_shapes_video_path_before_rendering(tmp_path: Path) -> None:
    """Every shape's video and report are checked with the other outputs before any video is rendered."""
    channel = _shaped_channel(tmp_path)
    out = tmp_path / "out"
    (out / "stellenboerse-2026-W48.1x1.mp4").mkdir(parents=True)
    args = [str(_one_job(tmp_path)), "--channel", str(channel), "--week", "2026-W48", "-o", str(out),
            "--profile", "preview"]
    result = CliRunner().invoke(jobboard, args)
    assert result.exit_code == 1, result.output
    assert "stellenboerse-2026-W48.1x1.mp4" in str(result.exception) + result.output
    assert not list(out.glob("*.mp4.*")) and not (out / "stellenboerse-2026-W48.mp4").exists()
    assert not (out / "cards").exists() or not any((out / "cards").iterdir())  # refused before drawing a card


def test_part_names_are_known_before_any_card_is_drawn(board: BoardChannel, tmp_path: Path) -> None:
    from vidcoop.jobboard.episode import part_names

    jobs = _many(board)
    for budget in (Fraction(30), Fraction(300)):
        options = BoardOptions(budget=budget, cards_dir=tmp_path / str(budget))
        names = part_names(jobs, board, "2026-W48", options=options)
        assert not (tmp_path / str(budget)).exists()
        assert names == [ep.name for ep in build_episode(jobs, board, "2026-W48", options=options)]
        assert len(names) == (1 if budget == 300 else len(names)) and len(set(names)) == len(names)
    assert part_names(jobs, board, "2026-W48", options=BoardOptions(budget=Fraction(30)))[0].endswith("-teil1")
