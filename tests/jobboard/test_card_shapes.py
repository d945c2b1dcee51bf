"""Job cards laid out for each picture shape's frame (issue 30): size, safe zone, text fitted at its sizes."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.jobboard.board_times import last_card_middle
from vidcoop.jobboard.board import BoardChannel, board_channel
from vidcoop.jobboard.cache import card_key, render_cards
from vidcoop.jobboard.card import draw_card
from vidcoop.jobboard.templates import safe_zoom, shape_safe_box
from vidcoop.jobboard.validation import validate
from vidcoop.shapes import SHAPES

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
WEEK = "2026-W49"


def _inside(box: tuple[int, int, int, int], safe: tuple[int, int, int, int]) -> bool:
    return safe[0] <= box[0] and safe[1] <= box[1] and box[2] <= safe[2] and box[3] <= safe[3]


@pytest.mark.parametrize("shape", list(SHAPES))
def test_example_job_cards_fit_every_shape_inside_its_safe_zone(shape: str) -> None:
    board = board_channel(EXAMPLES / "channel" / "channel.yaml")
    report = validate(EXAMPLES / "jobs.csv", board, WEEK)
    assert len(report.ok) >= 4
    longest = max(report.ok, key=lambda job: len(job.title))
    shaped = board.for_shape(shape)
    safe = shaped.safe_box if shape == "9:16" else shape_safe_box(shape)
    assert shaped.template.size == (SHAPES[shape].width, SHAPES[shape].height)
    for box in shaped.template.boxes().values():
        assert _inside(box, safe), (shape, box, safe)
    drawn = 0
    for n, job in enumerate(report.ok, start=1):
        card = draw_card(job.fields(n), board.partners[job.partner], shaped)  # raises when a text does not fit
        assert card.image.size == (SHAPES[shape].width, SHAPES[shape].height)
        for name, ink in card.ink.items():
            assert _inside(ink, safe), (shape, job.title, name, ink)
        for layout in card.layouts.values():
            assert layout.box.min_size <= layout.fit.size <= layout.box.size
        assert "title" in card.layouts and card.qr.symbol_px >= shaped.template.min_qr_px
        assert _inside(card.qr_box, safe)
        if card.logo_box is not None:
            assert _inside(card.logo_box, safe)
        drawn += job is longest
    assert drawn == 1


def test_each_shape_is_its_own_cached_png(tmp_path: Path) -> None:
    board = board_channel(EXAMPLES / "channel" / "channel.yaml")
    job = validate(EXAMPLES / "jobs.csv", board, WEEK).ok[0]
    files = {shape: render_cards([job], board, tmp_path, shape=shape)[0] for shape in SHAPES}
    assert len({f.path for f in files.values()}) == len(SHAPES)
    assert len({f.key for f in files.values()}) == len(SHAPES)
    from PIL import Image

    for shape, f in files.items():
        with Image.open(f.path) as img:
            assert img.size == (SHAPES[shape].width, SHAPES[shape].height)
        assert f.key == card_key(job, board.partners[job.partner], board.for_shape(shape), f.number)
    again = render_cards([job], board, tmp_path, shape="1:1")[0]
    assert not again.rendered and again.path == files["1:1"].path


def test_board_episode_shows_each_shapes_own_cards_in_the_one_run(tmp_path: Path) -> None:
    from vidcoop.engine.graph import Rendition, compile_renditions
    from vidcoop.engine.options import CompileOptions
    from vidcoop.engine.plan import plan_episode
    from vidcoop.engine.profiles import get_profile
    from vidcoop.jobboard.episode import board_part, build_episode
    from vidcoop.jobboard.parts import BoardOptions
    from vidcoop.timeline.model import SHAPE_STILLS

    board = board_channel(EXAMPLES / "channel" / "channel.yaml")
    report = validate(EXAMPLES / "jobs.csv", board, WEEK)
    options = BoardOptions(cards_dir=tmp_path / "cards", shapes=("1:1", "16:9"))
    episode = build_episode(report, board, WEEK, options=options)[0]
    part = board_part(episode)
    assert part is not None
    stills = episode.extra[SHAPE_STILLS]
    assert isinstance(stills, dict)
    plans = {shape: plan_episode(episode, get_profile("final").for_shape(shape)) for shape in ("9:16", "1:1", "16:9")}
    from PIL import Image

    for shape, plan in plans.items():
        cards = [seg for seg in plan.segments if seg.segment.kind == "card"]
        assert len(cards) == len(part.cards)
        for seg, card in zip(cards, part.cards, strict=True):
            expected = card.path if shape == "9:16" else Path(stills[str(card.path)][shape])
            assert seg.path == expected
            with Image.open(seg.path) as img:
                assert img.size == (SHAPES[shape].width, SHAPES[shape].height)
            zoom = seg.segment.reframe.zoom  # the slow zoom keeps this shape's card inside its safe zone
            shaped = board.for_shape(shape)
            assert zoom is None or zoom[1] <= safe_zoom(shaped.template, shaped.safe_box)
        kit_cards = [seg for seg in plan.segments if seg.segment.kind in ("intro", "title", "endcard", "outro")
                     and seg.is_still and seg.path.parent == tmp_path / "cards"]
        assert any(seg.segment.kind == "title" for seg in kit_cards)
        for seg in kit_cards:  # the kit's cards of the board are drawn for each shape too
            with Image.open(seg.path) as img:
                assert img.size == (SHAPES[shape].width, SHAPES[shape].height), (shape, seg.segment.kind)
    outs = [tmp_path / f"{s.replace(':', 'x')}.mp4" for s in plans]
    args = compile_renditions([Rendition(p, CompileOptions(), o) for p, o in zip(plans.values(), outs, strict=True)])
    inputs = [args[i + 1] for i, a in enumerate(args) if a == "-i"]
    for card in part.cards:
        for shape in ("1:1", "16:9"):
            assert sum(Path(stills[str(card.path)][shape]).name in i for i in inputs) == 1
        assert sum(card.path.name in i for i in inputs) == 1


def test_validation_fits_the_text_in_every_shape_the_channel_posts(board) -> None:  # type: ignore[no-untyped-def]
    from dataclasses import replace

    from vidcoop.jobboard.reader import loads_csv

    description = ("Du begleitest Menschen mit Behinderung in ihrem Alltag, planst Ausflüge und Feste mit ihnen, "
                   "arbeitest eng mit Angehörigen zusammen und bringst eigene Ideen in unser herzliches Team ein.")
    row = f"Erzieher*in;rot;Musterstadt;Vollzeit;sofort;{description};https://rot.example/jobs/1;31.12.2026"
    header = "title;partner;location;hours;start;description;apply;expires"
    table = loads_csv(f"{header}\n{row}\n", "jobs.csv")
    assert len(validate(table, board, WEEK).ok) == 1  # fits the 9:16 card
    report = validate(table, replace(board, shapes=("1:1",)), WEEK)
    assert not report.ok
    issue = report.invalid[0]
    assert issue.field == "description" and issue.key == "box_overflow" and "(1:1)" in issue.message


def _shape_files(episode, kind: str) -> list[dict[str, Path]]:  # type: ignore[no-untyped-def]
    """Each ``kind`` segment's still by shape: its own file, else (9:16) the segment's."""
    from vidcoop.timeline.model import SHAPE_STILLS

    stills = episode.extra[SHAPE_STILLS]
    return [{"9:16": seg.source, **{s: Path(p) for s, p in stills.get(str(seg.source), {}).items()}}
            for seg in episode.segments if seg.kind == kind]


def test_generated_bumpers_are_drawn_for_each_shape_with_the_whole_logo_in_its_safe_zone(tmp_path: Path) -> None:
    """Partner fairness: a generated bumper is its own still in every shape, the partner's logo whole (as large
    as the frame lets it be) and inside that shape's safe zone, not a 9:16 still shrunk into the frame."""
    from PIL import Image, ImageChops

    from vidcoop.brand.cards import partner_bumper_image
    from vidcoop.channel.config import load_channel
    from vidcoop.jobboard.episode import build_episode
    from vidcoop.jobboard.parts import BoardOptions

    channel = load_channel(EXAMPLES / "channel" / "channel.yaml")
    kit = channel.kit()
    report = validate(EXAMPLES / "jobs.csv", channel, WEEK)
    options = BoardOptions(cards_dir=tmp_path, shapes=tuple(s for s in SHAPES if s != "9:16"))
    one_each = list({job.partner: job for job in report.ok}.values())  # a card per partner: each gets its bumper
    episode = build_episode(one_each, channel, WEEK, options=options)[0]
    bumpers = {seg.partner: files for seg, files in zip([s for s in episode.segments if s.kind == "bumper"],
                                                        _shape_files(episode, "bumper"), strict=True)}
    generated = [p for p in bumpers if channel.partner(str(p)).bumper.kind == "generated"]
    assert len(generated) >= 2, bumpers
    for pid in generated:
        partner = channel.partner(str(pid))
        files = bumpers[pid]
        assert set(files) == set(SHAPES) and len(set(files.values())) == len(SHAPES)
        sizes = {}
        for shape, path in files.items():
            drawn, boxes, _ = partner_bumper_image(kit, partner.logo, partner.name, None if shape == "9:16" else shape)
            with Image.open(path) as img:
                assert img.size == (SHAPES[shape].width, SHAPES[shape].height), (pid, shape)
                # the file is the image whose boxes are measured here
                assert ImageChops.difference(img.convert("RGB"), drawn.convert("RGB")).getbbox() is None
            zone = kit.safe_zone_for(None if shape == "9:16" else shape).box
            for name in ("logo", "plate", "name"):
                if name in boxes:
                    assert zone.contains(boxes[name]), (pid, shape, name, boxes[name], zone)
            if shape != "9:16":
                assert _inside(_ltrb(boxes["logo"]), shape_safe_box(shape))
            sizes[shape] = boxes["logo"].width * boxes["logo"].height
        # the logo keeps most of its 9:16 size in every shape (a padded 9:16 still in 1:1 keeps a third)
        assert all(area >= 0.6 * sizes["9:16"] for area in sizes.values()), (pid, sizes)


def _ltrb(box) -> tuple[int, int, int, int]:  # type: ignore[no-untyped-def]
    return (box.x, box.y, box.right, box.bottom)


def _colour_box(path: Path, colour: tuple[int, int, int]) -> tuple[int, int, int, int] | None:
    """Where exactly ``colour`` is drawn in the PNG (the test logos are solid rectangles)."""
    from PIL import Image, ImageChops

    with Image.open(path) as img:
        rgb = img.convert("RGB")
    diff = ImageChops.difference(rgb, Image.new("RGB", rgb.size, colour)).convert("L")
    return diff.point(lambda v: 255 if v == 0 else 0).getbbox()


def test_the_boards_own_bumpers_and_title_card_are_laid_out_for_each_shape(board: BoardChannel,
                                                                            tmp_path: Path) -> None:
    """Without a channel the job board draws bumpers and the title card itself: per shape too, the partner's
    logo whole (its 300x120 aspect) and inside that shape's safe zone, the text inside it."""
    from vidcoop.jobboard.card import draw_text_card
    from vidcoop.jobboard.episode import build_episode
    from vidcoop.jobboard.parts import BoardOptions
    from vidcoop.jobboard.reader import loads_csv

    from .conftest import GREEN, RED, csv_text

    table = loads_csv(csv_text("Koch;rot;Köln;Vollzeit;;;https://rot.example/1;31.12.2026",
                               "Gärtner;gruen;Bonn;Teilzeit;;;https://gruen.example/2;31.12.2026"), Path("jobs.csv"))
    others = tuple(s for s in SHAPES if s != "9:16")
    episode = build_episode(validate(table, board, "2026-W48"), board, "2026-W48",
                            options=BoardOptions(cards_dir=tmp_path, shapes=others))[0]
    bumpers = [s for s in episode.segments if s.kind == "bumper"]
    assert {s.partner for s in bumpers} == {"rot", "gruen"}
    from PIL import Image

    for seg, files in zip(bumpers, _shape_files(episode, "bumper"), strict=True):
        assert set(files) == set(SHAPES)
        for shape, path in files.items():
            with Image.open(path) as img:
                assert img.size == (SHAPES[shape].width, SHAPES[shape].height)
            logo = _colour_box(path, RED if seg.partner == "rot" else GREEN)
            assert logo is not None, (seg.partner, shape)
            assert _inside(logo, board.for_shape(shape).safe_box), (seg.partner, shape, logo)
            assert abs((logo[2] - logo[0]) / (logo[3] - logo[1]) - 300 / 120) < 0.03  # whole, not cut
            assert logo[2] - logo[0] >= 600  # as large as in 9:16 (675 px), not a 9:16 still shrunk
    (title,) = _shape_files(episode, "title")
    assert set(title) == set(SHAPES)
    for shape, path in title.items():
        shaped = board.for_shape(shape)
        with Image.open(path) as img:
            assert img.size == (SHAPES[shape].width, SHAPES[shape].height)
            ink = _ink(img, shaped.template.background)
        assert ink is not None and _inside(ink, shaped.safe_box), (shape, ink)
        assert draw_text_card({"heading": "Stellenbörse der Woche"}, shaped).size == img.size


def _ink(img, background: str) -> tuple[int, int, int, int] | None:  # type: ignore[no-untyped-def]
    """The box of everything drawn on a card's plain background."""
    from PIL import Image, ImageChops

    rgb = img.convert("RGB")
    return ImageChops.difference(rgb, Image.new("RGB", rgb.size, background)).getbbox()


def test_bumper_and_intro_clips_are_shown_whole_in_other_shapes(board: BoardChannel, landscape_clip: Path,
                                                                 tmp_path: Path) -> None:
    """A partner's bumper video (and the kit's intro clip) is never cropped into a square or 4:5 frame."""
    from dataclasses import replace
    from fractions import Fraction

    from vidcoop.jobboard.board import Opener
    from vidcoop.jobboard.episode import build_episode
    from vidcoop.jobboard.parts import BoardOptions
    from vidcoop.jobboard.reader import loads_csv

    from .conftest import csv_text

    partners = {**board.partners, "rot": replace(board.partners["rot"], bumper_video=landscape_clip)}
    clip_board = replace(board, partners=partners, intro=Opener(Fraction(3), video=landscape_clip))
    table = loads_csv(csv_text("Koch;gruen;Köln;Vollzeit;;;https://gruen.example/1;31.12.2026",
                               "Gärtner;rot;Bonn;Teilzeit;;;https://rot.example/2;31.12.2026"), Path("jobs.csv"))
    episodes = build_episode(validate(table, clip_board, "2026-W48"), clip_board, "2026-W48",
                             options=BoardOptions(cards_dir=tmp_path, shapes=("1:1", "4:5")))
    clips = [s for ep in episodes for s in ep.segments if s.source == landscape_clip]
    assert sorted(s.kind for s in clips) == ["bumper", "intro"]
    for clip in clips:
        assert clip.reframe.mode == "crop"  # 9:16 as before
        for shape in ("1:1", "4:5"):  # never cropped where a logo could be cut
            assert clip.reframe.for_shape(shape).mode == "fit-pad", (clip.kind, shape)


def test_the_written_manifest_keeps_each_shapes_cards_and_reframes(tmp_path: Path) -> None:
    """``vidcoop jobboard`` writes NAME.episode.json: read back, each shape shows its own cards with its own
    reframe, exactly as the board built in memory does."""
    import json

    from vidcoop.files import atomic_write_json
    from vidcoop.jobboard.episode import build_episode
    from vidcoop.jobboard.manifest import episode_manifest
    from vidcoop.jobboard.parts import BoardOptions
    from vidcoop.timeline.manifest import load_episode
    from vidcoop.timeline.model import episode_for_shape, episode_shapes

    board = board_channel(EXAMPLES / "channel" / "channel.yaml")
    report = validate(EXAMPLES / "jobs.csv", board, WEEK)
    folder = tmp_path / "out"
    options = BoardOptions(cards_dir=folder / "cards", shapes=("4:5", "1:1"))
    episode = build_episode(report, board, WEEK, options=options)[0]
    manifest = folder / "board.episode.json"
    atomic_write_json(manifest, episode_manifest(episode, folder))
    data = json.loads(manifest.read_text(encoding="utf-8"))
    assert data["renditions"] == ["9:16", "4:5", "1:1"]
    cards = [s for s in data["segments"] if s["kind"] == "card"]
    assert all(not Path(s["image"]).is_absolute() and set(s["images"]) == {"4:5", "1:1"} for s in cards)
    loaded = load_episode(manifest)
    assert episode_shapes(loaded) == ("9:16", "4:5", "1:1")
    from PIL import Image

    for shape in ("9:16", "4:5", "1:1"):
        want, got = episode_for_shape(episode, shape), episode_for_shape(loaded, shape)
        assert len(got.segments) == len(want.segments)
        for a, b in zip(want.segments, got.segments, strict=True):
            assert isinstance(a.source, Path) and b.source == a.source.absolute(), (shape, a.kind)
            assert (b.reframe.mode, b.reframe.color, b.reframe.zoom) == (a.reframe.mode, a.reframe.color,
                                                                         a.reframe.zoom), (shape, a.kind)
            if a.kind in ("card", "title", "intro", "outro") or a.source.parent == folder / "cards":
                with Image.open(b.source) as img:  # the shape's own still
                    assert img.size == (SHAPES[shape].width, SHAPES[shape].height), (shape, a.kind)
    card = next(s for s in episode_for_shape(loaded, "4:5").segments if s.kind == "card")
    shaped = board.for_shape("4:5")
    own_zoom = min(BoardOptions().zoom[1], safe_zoom(shaped.template, shaped.safe_box))
    assert card.reframe.zoom is not None and card.reframe.zoom[1] == pytest.approx(own_zoom)  # not the 9:16 one


def test_a_written_board_manifest_renders_the_4x5_cards(board: BoardChannel, tmp_path: Path) -> None:
    """``vidcoop render NAME.episode.json --shape 4:5`` shows the card laid out for 4:5: its QR code at the
    frame's left edge (a 9:16 card padded into 4:5 would have it a fifth of the way in)."""
    from fractions import Fraction

    import av
    import zxingcpp
    from click.testing import CliRunner

    from vidcoop.cli.render import render
    from vidcoop.files import atomic_write_json
    from vidcoop.jobboard.episode import build_episode
    from vidcoop.jobboard.manifest import episode_manifest
    from vidcoop.jobboard.parts import BoardOptions
    from vidcoop.jobboard.reader import loads_csv

    from .conftest import csv_text

    table = loads_csv(csv_text("Koch;rot;Köln;Vollzeit;;;https://rot.example/jobs/koch;31.12.2026"), Path("jobs.csv"))
    options = BoardOptions(cards_dir=tmp_path / "cards", profile="preview", card_min=Fraction(3),
                           card_max=Fraction(3), title_seconds=Fraction(1), shapes=("4:5",))
    (episode,) = build_episode(validate(table, board, "2026-W48"), board, "2026-W48", options=options)
    manifest = tmp_path / "board.episode.json"
    atomic_write_json(manifest, episode_manifest(episode, tmp_path))
    out = tmp_path / "board.4x5.mp4"
    result = CliRunner().invoke(render, [str(manifest), "--shape", "4:5", "-o", str(out), "--quiet"])
    assert result.exit_code == 0, result.output
    middle = last_card_middle(episode)
    with av.open(str(out)) as container:
        stream = container.streams.video[0]
        w, h = stream.width, stream.height
        frame = next(f for f in container.decode(video=0) if f.time is not None and f.time >= float(middle))
        codes = zxingcpp.read_barcodes(frame.to_image())
    assert (w, h) == (540, 676)
    assert [c.text for c in codes] == ["https://rot.example/jobs/koch"]
    left = codes[0].position.top_left.x / w
    assert left < 0.12, left
