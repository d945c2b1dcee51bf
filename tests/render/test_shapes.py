"""Picture shapes (renditions): the registry, the per-shape layout and the one-run compile (no ffmpeg here).

The renders of every shape on generated footage with a face are in ``test_shapes_render.py``.
"""

from __future__ import annotations

from dataclasses import replace
from fractions import Fraction
from pathlib import Path

import pytest

from vidcoop.brand.geometry import Box
from vidcoop.brand.kit import load_kit
from vidcoop.channel.config import load_channel
from vidcoop.channel.platforms import PLATFORMS
from vidcoop.engine.graph import Rendition, compile_render, compile_renditions
from vidcoop.engine.options import CompileOptions
from vidcoop.engine.plan import shaped_overlay_box
from vidcoop.engine.profiles import PROFILES
from vidcoop.errors import ManifestError
from vidcoop.resources import kit_dir
from vidcoop.review.keys import FileHasher, output_key, rendition_key
from vidcoop.shapes import SHAPES, parse_shapes, shape_output
from vidcoop.timeline.manifest import ReframeModel
from vidcoop.timeline.model import Episode, Overlay, Reframe, Segment

ROOT = Path(__file__).resolve().parents[2]
CHANNEL = ROOT / "examples" / "channel"


def test_registry_sizes_and_zones() -> None:
    sizes = {name: (s.width, s.height) for name, s in SHAPES.items()}
    assert sizes == {"9:16": (1080, 1920), "4:5": (1080, 1350), "1:1": (1080, 1080), "16:9": (1920, 1080)}
    for shape in SHAPES.values():
        assert shape.sources, shape.name
        assert Fraction(shape.width, shape.height) == shape.aspect
    for platform in PLATFORMS.values():
        assert set(platform.shapes) <= set(SHAPES)
    # the short-video apps' usual post stays the vertical one; the feeds' is theirs
    assert {name: p.shapes[0] for name, p in PLATFORMS.items()} == {
        "tiktok": "9:16", "instagram": "9:16", "youtube": "9:16", "linkedin": "1:1", "facebook": "4:5",
        "peertube": "16:9", "mastodon": "4:5"}


def test_profile_for_shape_keeps_the_short_side() -> None:
    final, preview = PROFILES["final"], PROFILES["preview"]
    assert [(final.for_shape(s).width, final.for_shape(s).height) for s in SHAPES] == [
        (1080, 1920), (1080, 1350), (1080, 1080), (1920, 1080)]
    assert (preview.for_shape("16:9").width, preview.for_shape("16:9").height) == (960, 540)
    assert preview.for_shape("4:5").height % 2 == 0
    assert final.for_shape("9:16") == final  # as before renditions
    with pytest.raises(ManifestError, match="3:4"):
        final.for_shape("3:4")


def test_parse_shapes_and_names() -> None:
    assert parse_shapes(("9:16,1:1", "16:9", "1:1")) == ("9:16", "1:1", "16:9")
    with pytest.raises(ValueError, match="known: 9:16, 4:5, 1:1, 16:9"):
        parse_shapes("9:16,2:3")
    assert shape_output(Path("a/ep.mp4"), "9:16") == Path("a/ep.mp4")
    assert shape_output(Path("a/ep.mp4"), "4:5") == Path("a/ep.4x5.mp4")
    assert shape_output(Path("a/ep.preview.mp4"), "1:1", ".preview") == Path("a/ep.1x1.preview.mp4")


def _channel(tmp_path: Path, extra: str) -> Path:
    import shutil

    folder = tmp_path / "channel"
    shutil.copytree(CHANNEL, folder)
    path = folder / "channel.yaml"
    path.write_text(path.read_text(encoding="utf-8") + extra, encoding="utf-8")
    return path


def test_channel_renditions(tmp_path: Path) -> None:
    path = _channel(tmp_path, 'renditions:\n  instagram: ["9:16", "4:5"]\n  youtube: ["16:9"]\n')
    publish = load_channel(path).publish
    assert publish.shapes_for("instagram") == ("9:16", "4:5")
    assert publish.shapes_for("tiktok") == ("9:16",)
    assert publish.shapes == ("9:16", "4:5", "16:9")


@pytest.mark.parametrize(("extra", "field", "words"), [
    ('renditions:\n  instagram: ["9:16", "3:4"]\n', "renditions.instagram.1", "'3:4'"),
    ('renditions:\n  tiktok: ["16:9"]\n', "renditions", "TikTok takes no 16:9"),
])
def test_channel_renditions_errors_name_file_and_field(tmp_path: Path, extra: str, field: str, words: str) -> None:
    path = _channel(tmp_path, extra)
    with pytest.raises(ManifestError) as caught:
        load_channel(path)
    assert Path(caught.value.path) == path
    assert caught.value.field == field
    assert words in str(caught.value)


def test_manifest_reframe_per_shape() -> None:
    model = ReframeModel.model_validate({"mode": "auto", "shapes": {"16:9": "fit-blur", "1:1": {"focus": 0.3}}})
    rf = model.to_reframe()
    assert rf.for_shape("16:9").mode == "fit-blur"
    assert rf.for_shape("1:1").focus[0].value == 0.3
    assert rf.for_shape("4:5") == replace(rf, shapes=())
    with pytest.raises(ValueError, match="3:4"):
        ReframeModel.model_validate({"shapes": {"3:4": "crop"}})


@pytest.mark.parametrize("shape", ["4:5", "1:1", "16:9"])
@pytest.mark.parametrize(("anchor", "x", "y"), [("top-left", None, None), ("bottom-right", None, None),
                                                ("top-left", 0, 1800)])
def test_overlays_land_in_the_shape_safe_zone(shape: str, anchor: str, x: int | None, y: int | None) -> None:
    sh = SHAPES[shape]
    zone = Box(sh.left, sh.top, sh.width - sh.left - sh.right, sh.height - sh.top - sh.bottom)
    ov = Overlay(Path("logo.png"), anchor=anchor, margin=10, width=300, x=x, y=y)
    box = shaped_overlay_box(ov, (600, 200), shape)
    assert zone.contains(box), (box, zone)
    assert (box.width, box.height) == (300, 100)  # the size is the kit's, in every shape


def test_explicit_position_is_relative_to_the_frame() -> None:
    tall = SHAPES["9:16"]
    # a lower third 260 px above the 9:16 zone's bottom stays 260 px above each shape's zone bottom
    ov = Overlay(Path("card.png"), x=84, y=1920 - tall.bottom - 260 - 100, width=600)
    for shape in ("4:5", "1:1", "16:9"):
        sh = SHAPES[shape]
        box = shaped_overlay_box(ov, (600, 100), shape)
        assert box.bottom == sh.height - sh.bottom - 260
        assert box.x == round(84 * sh.width / 1080)
    # a logo near the top keeps its distance below the zone's top edge
    logo = shaped_overlay_box(Overlay(Path("logo.png"), x=72, y=tall.top + 24, width=240), (240, 80), "1:1")
    assert logo.y == SHAPES["1:1"].top + 24


@pytest.mark.parametrize("shape", list(SHAPES))
def test_caption_style_fits_each_shape(shape: str) -> None:
    kit = load_kit(kit_dir("neutral"))
    zone = kit.safe_zone_for(shape)
    for name in ("social", "subtitle"):
        area = kit.caption_area(name, shape)
        assert zone.contains(area), (shape, name, area, zone.box)
        style = kit.caption_style(name, shape)
        assert (style.font_file, style.font_size, style.max_lines) == (
            kit.caption_style(name).font_file, kit.caption_style(name).font_size, kit.caption_style(name).max_lines)


def _plan(tmp_path: Path, shape: str):
    """A plan of a 1920x1080 clip without probing: the compile is pure."""
    from vidcoop.engine.plan import PlannedSegment, RenderPlan
    from vidcoop.media.probing import MediaInfo, VideoInfo

    clip = tmp_path / "clip.mp4"
    info = MediaInfo(path=clip, format_name="mov,mp4", duration=Fraction(4),
                     video=VideoInfo(1920, 1080, 0, Fraction(25), "h264", "yuv420p"), audio=(), is_still=False,
                     size_bytes=1000)
    seg = Segment(clip, end=Fraction(3), reframe=Reframe(mode="crop", focus=0.7))
    prof = PROFILES["final"].for_shape(shape)
    ps = PlannedSegment(0, seg, clip, info, Fraction(0), 90, Fraction(0), prof.fps)
    return RenderPlan(Episode(segments=(seg,)), prof, (ps,), (), 0)


def test_one_rendition_compiles_as_a_single_render(tmp_path: Path) -> None:
    plan = _plan(tmp_path, "9:16")
    out = tmp_path / "out.mp4"
    assert compile_renditions([Rendition(plan, CompileOptions(), out)]) == compile_render(plan, out)


def test_several_shapes_one_command_split_after_the_shared_work(tmp_path: Path) -> None:
    shapes = ["9:16", "4:5", "1:1", "16:9"]
    outs = [tmp_path / f"o{k}.mp4" for k in range(4)]
    args = compile_renditions([Rendition(_plan(tmp_path, s), CompileOptions(), o)
                               for s, o in zip(shapes, outs, strict=True)])
    assert args.count("-i") == 1  # the clip is read and decoded once
    graph = args[args.index("-filter_complex") + 1]
    shared = graph.split(";")[0]
    assert shared.startswith("[0:v]setpts=PTS-STARTPTS,fps=30,tpad=") and shared.endswith(
        "split=4[sh0][sh1][sh2][sh3]")  # seek, rate and exact frames once, then split
    for w, h in ((1080, 1920), (1080, 1350), (1080, 1080), (1920, 1080)):
        assert f"scale={w}:{h}:flags=bicubic" in graph
    assert "asplit=4" in graph
    assert args.count("libx264") == 4 and args.count("-f") == 4
    assert [args[i + 1] for i, a in enumerate(args) if a == "-f"] == ["mp4"] * 4
    assert all(f"file:{o}" in args for o in outs)


def test_each_encoder_of_a_run_gets_its_share_of_the_cores(tmp_path: Path) -> None:
    from vidcoop.engine.options import encoder_threads

    assert [encoder_threads(2, n) for n in (1, 2, 4)] == [2, 1, 1]
    assert [encoder_threads(16, n) for n in (1, 2, 4)] == [16, 8, 4]
    shapes = ["9:16", "4:5", "1:1", "16:9"]
    args = compile_renditions([Rendition(_plan(tmp_path, s), CompileOptions(encoder_threads=3), tmp_path / f"{k}.mp4")
                               for k, s in enumerate(shapes)])
    assert [args[i + 1] for i, a in enumerate(args) if a == "-threads"] == ["3"] * 4
    assert "-filter_complex_threads" not in args  # the filters keep ffmpeg's choice
    # a run's own --threads still sets the filters; the encoders take their share of it
    args = compile_renditions([Rendition(_plan(tmp_path, s), CompileOptions(threads=8, encoder_threads=2),
                                         tmp_path / f"{k}.mp4") for k, s in enumerate(shapes)])
    assert args[args.index("-filter_complex_threads") + 1] == "8"
    assert [args[i + 1] for i, a in enumerate(args) if a == "-threads"] == ["2"] * 4


def test_mismatched_plans_are_refused(tmp_path: Path) -> None:
    a, b = _plan(tmp_path, "9:16"), _plan(tmp_path, "1:1")
    b = replace(b, segments=(replace(b.segments[0], frames=60),))
    with pytest.raises(ValueError, match="same edit"):
        compile_renditions([Rendition(a, CompileOptions(), tmp_path / "a.mp4"),
                            Rendition(b, CompileOptions(), tmp_path / "b.mp4")])


def test_one_shape_setting_changes_only_that_shape_key(tmp_path: Path) -> None:
    clip = tmp_path / "clip.mp4"
    clip.write_bytes(b"x")

    def episode(square: str) -> Episode:
        rf = ReframeModel.model_validate({"mode": "auto", "shapes": {"1:1": square}}).to_reframe()
        return Episode(segments=(Segment(clip, end=Fraction(2), reframe=rf),))

    hasher = FileHasher()
    before = {s: rendition_key(episode("crop"), "final", s, hasher=hasher) for s in SHAPES}
    after = {s: rendition_key(episode("fit-blur"), "final", s, hasher=hasher) for s in SHAPES}
    assert [s for s in SHAPES if before[s] != after[s]] == ["1:1"]
    assert len(set(before.values())) == 4  # every shape is its own output
    plain = Episode(segments=(Segment(clip, end=Fraction(2)),))
    assert rendition_key(plain, "final", "9:16", hasher=hasher) == output_key(plain, "final", hasher=hasher)


def test_cli_unknown_shape_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from vidcoop.cli.main import main

    manifest = tmp_path / "ep.yaml"
    manifest.write_text("version: 1\nsegments: []\n", encoding="utf-8")
    with pytest.raises(SystemExit) as exc:
        main(["render", str(manifest), "--shape", "9:16,3:4"])
    err = capsys.readouterr().err
    assert exc.value.code != 0
    assert len(err.strip().splitlines()) == 1
    assert "--shape" in err and "'3:4'" in err


@pytest.mark.parametrize("shape", list(SHAPES))
def test_cards_are_laid_out_for_each_shape(shape: str) -> None:
    from vidcoop.brand.cards import end_card_image, title_card_image

    kit = load_kit(kit_dir("neutral"))
    zone = kit.safe_zone_for(shape)
    title = "Beratung für Menschen in Wohnungsnot und Schulden: was die Wohlfahrtsverbände leisten"
    for img, boxes in (title_card_image(kit, title, "Folge 12 · Diakonie, Caritas und AWO", shape),
                       end_card_image(kit, "Folgt uns für jede Woche neue Stellen und Beratung", "Link in Bio",
                                      shape)):
        assert img.size == (SHAPES[shape].width, SHAPES[shape].height)
        for name, box in boxes.items():
            assert zone.contains(box), (shape, name, box, zone.box)
        assert boxes["logo"].height >= 100  # still a logo people see


def test_each_shape_draws_its_own_cards_as_its_own_inputs(tmp_path: Path) -> None:
    from vidcoop.engine.plan import PlannedSegment
    from vidcoop.media.probing import MediaInfo, VideoInfo

    def with_card(shape: str):
        plan = _plan(tmp_path, shape)
        card = tmp_path / f"intro-{shape.replace(':', 'x')}.png"
        info = MediaInfo(path=card, format_name="png_pipe", duration=None,
                         video=VideoInfo(*SHAPES[shape].size(1080), 0, None, "png", "rgb24"), audio=(),
                         is_still=True, size_bytes=100)
        seg = Segment(card, duration=Fraction(1), reframe=Reframe(mode="fit-pad"), kind="intro")
        intro = PlannedSegment(0, seg, card, info, Fraction(0), 30, Fraction(0), plan.profile.fps)
        body = replace(plan.segments[0], index=1, timeline_start=Fraction(1))
        return replace(plan, segments=(intro, body))

    outs = [tmp_path / "a.mp4", tmp_path / "b.mp4"]
    args = compile_renditions([Rendition(with_card(s), CompileOptions(), o)
                               for s, o in zip(("9:16", "16:9"), outs, strict=True)])
    inputs = [args[i + 1] for i, a in enumerate(args) if a == "-i"]
    assert sum("clip.mp4" in i for i in inputs) == 1  # the footage once
    assert sum("intro-9x16.png" in i for i in inputs) == 1 and sum("intro-16x9.png" in i for i in inputs) == 1


def test_post_package_points_each_platform_at_its_own_file(tmp_path: Path) -> None:
    import json as jsonlib

    import jsonschema

    from vidcoop.publish.post import PostFiles, build_post
    from vidcoop.timeline.manifest import load_episode

    channel = load_channel(_channel(tmp_path, 'renditions:\n  instagram: ["4:5", "9:16"]\n  youtube: ["16:9"]\n'))
    episode = load_episode(ROOT / "examples" / "episodes" / "was-ist-buergergeld.yaml")
    video = tmp_path / "ep.mp4"
    made = (("4:5", tmp_path / "ep.4x5.mp4"), ("16:9", tmp_path / "ep.16x9.mp4"))
    data = build_post(episode, channel, PostFiles(video, renditions=made), duration=Fraction(42)).to_dict()
    schema = ROOT / "vidcoop" / "publish" / "post.schema.json"
    jsonschema.validate(data, jsonlib.loads(schema.read_text(encoding="utf-8")))
    platforms = data["platforms"]
    assert platforms["tiktok"]["video"] == "ep.mp4" and platforms["tiktok"]["videos"] == {"9:16": "ep.mp4"}
    assert platforms["instagram"]["video"] == "ep.4x5.mp4"
    assert platforms["instagram"]["videos"] == {"4:5": "ep.4x5.mp4", "9:16": "ep.mp4"}
    assert platforms["youtube"]["video"] == "ep.16x9.mp4"
    # a shape that was not made (the batch rendered none): the 9:16 video, never a missing file
    data = build_post(episode, channel, PostFiles(video), duration=Fraction(42)).to_dict()
    assert data["platforms"]["youtube"]["video"] == "ep.mp4" and data["platforms"]["youtube"]["videos"] == {}
    # each platform's cover is its own shape's, as its video is; the 9:16 cover where that shape has none
    covers = (("4:5", tmp_path / "ep.4x5.cover.jpg"),)
    files = PostFiles(video, cover=tmp_path / "ep.cover.jpg", renditions=made, covers=covers)
    package = build_post(episode, channel, files, duration=Fraction(42))
    platforms = package.to_dict()["platforms"]
    assert platforms["instagram"]["cover"] == "ep.4x5.cover.jpg"
    assert platforms["tiktok"]["cover"] == "ep.cover.jpg" and platforms["youtube"]["cover"] == "ep.cover.jpg"
    assert "Titelbild `ep.4x5.cover.jpg`" in package.markdown()


def test_episode_renditions_in_the_manifest(tmp_path: Path) -> None:
    from vidcoop.timeline.manifest import load_episode
    from vidcoop.timeline.model import episode_shapes

    (tmp_path / "clip.mp4").write_bytes(b"x")
    manifest = tmp_path / "ep.yaml"
    body = "version: 1\nsegments:\n  - source: clip.mp4\n"
    manifest.write_text(body + 'renditions: ["9:16", "1:1"]\n', encoding="utf-8")
    episode = load_episode(manifest)
    assert episode_shapes(episode) == ("9:16", "1:1")
    hasher = FileHasher()
    with_16x9 = replace(episode, extra={**episode.extra, "renditions": ("9:16", "1:1", "16:9")})
    for shape in ("9:16", "1:1"):  # asking for one more shape re-renders none of the others
        assert rendition_key(episode, "final", shape, hasher=hasher) == rendition_key(with_16x9, "final", shape,
                                                                                       hasher=hasher)
    manifest.write_text(body + 'renditions: ["9:16", "2:3"]\n', encoding="utf-8")
    with pytest.raises(ManifestError) as caught:
        load_episode(manifest)
    assert caught.value.field == "renditions.1" and Path(caught.value.path) == manifest


def test_a_warning_every_shape_shares_is_said_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    """The captions are transcribed once: their warning is one line, not one per shape; a shape's own stays."""
    from types import SimpleNamespace

    import vidcoop.pipeline
    from vidcoop.cli.main import main

    manifest = Path(__file__).resolve().parents[2] / "examples" / "episodes" / "was-ist-buergergeld.yaml"

    def fake(episode, outputs, **kwargs):  # type: ignore[no-untyped-def]
        return [SimpleNamespace(output=path, plan=SimpleNamespace(profile=SimpleNamespace(width=1080, height=1080)),
                                duration=1, frames=30, seconds=1.0, captions=(),
                                warnings=("captions: check 'Caritas' at 12.0s",
                                          *((f"fit-blur in {shape}",) if shape == "1:1" else ())))
                for shape, path in outputs.items()]

    monkeypatch.setattr(vidcoop.pipeline, "render_renditions", fake)
    main(["render", str(manifest), "-o", str(tmp_path / "ep.mp4"), "--shape", "9:16,1:1,16:9"])
    err = capsys.readouterr().err
    assert err.count("check 'Caritas'") == 1 and "(every shape)" in err
    assert err.count("fit-blur in 1:1") == 1


@pytest.mark.parametrize(("segments", "field", "words"), [
    ('  - image: a.png\n    duration: 2\n    images: {"3:4": a.3x4.png}\n', "segments.0.images.3:4", "3:4"),
    ('  - source: clip.mp4\n    images: {"4:5": a.4x5.png}\n', "segments.0", "needs the segment's 'image'"),
    ('  - image: a.png\n    duration: 2\n    images: {"9:16": b.png}\n', "segments.0", "is 'image'"),
    ('  - image: a.png\n    duration: 2\n    images: {"4:5": a.4x5.png}\n'
     '  - image: a.png\n    duration: 2\n    images: {"4:5": b.4x5.png}\n', "segments.1.images.4:5", "segments.0"),
])
def test_manifest_images_per_shape_errors_name_the_field(tmp_path: Path, segments: str, field: str,
                                                          words: str) -> None:
    from vidcoop.timeline.manifest import load_episode

    manifest = tmp_path / "ep.yaml"
    manifest.write_text("version: 1\nsegments:\n" + segments, encoding="utf-8")
    with pytest.raises(ManifestError) as caught:
        load_episode(manifest)
    assert caught.value.field == field and words in str(caught.value), (caught.value.field, str(caught.value))
    assert Path(caught.value.path) == manifest


def test_manifest_images_per_shape_are_each_shapes_own_still(tmp_path: Path) -> None:
    """``images:`` names the still a segment shows in another picture shape, relative to the manifest like
    ``image:``; ``episode_for_shape`` swaps it in (and no other shape's)."""
    from vidcoop.timeline.manifest import load_episode
    from vidcoop.timeline.model import SHAPE_STILLS, episode_for_shape

    manifest = tmp_path / "ep.yaml"
    manifest.write_text('version: 1\nsegments:\n  - image: cards/a.png\n    duration: 2\n'
                        '    images: {"4:5": cards/a.4x5.png, "1:1": /abs/a.1x1.png}\n'
                        '  - image: cards/b.png\n    duration: 2\n'
                        '  - image: cards/a.png\n    duration: 1\n', encoding="utf-8")
    episode = load_episode(manifest)
    a, b = str(tmp_path / "cards" / "a.png"), tmp_path / "cards" / "b.png"
    assert episode.extra[SHAPE_STILLS] == {a: {"4:5": str(tmp_path / "cards" / "a.4x5.png"), "1:1": "/abs/a.1x1.png"}}
    assert [s.source for s in episode_for_shape(episode, "4:5").segments] == [
        tmp_path / "cards" / "a.4x5.png", b, tmp_path / "cards" / "a.4x5.png"]
    assert [s.source for s in episode_for_shape(episode, "1:1").segments][1:] == [b, Path("/abs/a.1x1.png")]
    assert [s.source for s in episode_for_shape(episode, "16:9").segments] == [Path(a), b, Path(a)]


def test_a_shapes_own_still_is_never_an_output(tmp_path: Path, still_png: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    """A still named in ``images:`` is an input like ``image:``: a render refuses to write over it, before any work."""
    import shutil

    from vidcoop.cli.main import main

    shutil.copyfile(still_png, tmp_path / "a.png")
    shutil.copyfile(still_png, tmp_path / "a.4x5.png")
    manifest = tmp_path / "ep.yaml"
    manifest.write_text('version: 1\nsegments:\n  - image: a.png\n    duration: 1\n    images: {"4:5": a.4x5.png}\n',
                        encoding="utf-8")
    before = (tmp_path / "a.4x5.png").read_bytes()
    with pytest.raises(SystemExit) as info:
        main(["render", str(manifest), "--shape", "9:16", "-o", str(tmp_path / "a.4x5.png"), "--profile", "preview"])
    err = capsys.readouterr().err
    assert info.value.code == 1 and "4:5 still" in err and "Traceback" not in err, err
    assert (tmp_path / "a.4x5.png").read_bytes() == before


def test_changing_one_shapes_own_still_changes_only_that_shapes_key(tmp_path: Path) -> None:
    from PIL import Image

    from vidcoop.timeline.manifest import load_episode

    for name, colour in (("a.png", "red"), ("a.4x5.png", "green"), ("a.1x1.png", "blue")):
        Image.new("RGB", (64, 64), colour).save(tmp_path / name)
    manifest = tmp_path / "ep.yaml"
    manifest.write_text('version: 1\nsegments:\n  - image: a.png\n    duration: 1\n'
                        '    images: {"4:5": a.4x5.png, "1:1": a.1x1.png}\n', encoding="utf-8")

    def keys() -> dict[str, str]:
        episode = load_episode(manifest)
        return {s: rendition_key(episode, "final", s, hasher=FileHasher()) for s in ("9:16", "4:5", "1:1")}

    before = keys()
    Image.new("RGB", (64, 64), "yellow").save(tmp_path / "a.1x1.png")
    after = keys()
    assert {s: before[s] == after[s] for s in before} == {"9:16": True, "4:5": True, "1:1": False}
