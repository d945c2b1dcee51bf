"""Careless and hostile input ends in one typed error naming the file and field, quickly (issue #9)."""

from __future__ import annotations

import struct
import time
import zlib
from fractions import Fraction
from pathlib import Path

import pytest

from vidcoop.captions.burn import Rgba
from vidcoop.color import ffmpeg_color, parse_color
from vidcoop.datafiles import MAX_DEPTH, parse_json, parse_yaml
from vidcoop.errors import CaptionError, ManifestError, MediaError, VidcoopError
from vidcoop.media.image import MAX_IMAGE_SIDE, checked_image, image_size
from vidcoop.timeline.manifest import episode_from_dict, load_episode
from vidcoop.timeline.model import Episode, Overlay, Reframe, Segment
from vidcoop.timing import parse_time

BOMB = """\
version: 1
a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
segments: [{image: a.png, duration: 1}]
audio: {music: {file: *h}}
"""


def _png_header(path: Path, width: int, height: int) -> Path:
    """A PNG whose header claims ``width`` x ``height`` (the pixel data is never read)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)
    path.write_bytes(
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\0" * 5)) + chunk(b"IEND", b"")
    )
    return path


def _still(path: Path, size: tuple[int, int] = (64, 64), fmt: str = "PNG") -> Path:
    from PIL import Image

    Image.new("RGB", size, (200, 30, 30)).save(path, fmt)
    return path


# --- time ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "1e999999999",
        "1E5",
        "86401",
        "25:00:00",
        "9" * 5000,
        "1/0",
        "-00:00:01,000",
        "0." + "1" * 100,
        float("inf"),
        10**400,
        Fraction(10**30, 3),
    ],
)
def test_time_grammar_is_bounded(text: object) -> None:
    # CPU time of this thread: an unbounded parse (10**999999999) computes for minutes, while wall time
    # would also count the moments a loaded machine gives the process no core at all.
    started = time.thread_time()
    with pytest.raises(ValueError):
        parse_time(text)  # type: ignore[arg-type]
    assert time.thread_time() - started < 0.1


def test_time_grammar_reads_what_vidcoop_writes() -> None:
    assert parse_time("1001/30000") == Fraction(1001, 30000)
    assert parse_time("23:59:59.999") == Fraction(86399999, 1000)
    assert parse_time(0.2) == Fraction(1, 5)


@pytest.mark.parametrize(
    ("extra", "field", "words"),
    [
        ({"audio": {"music": {"file": "bed.mp3", "fade_in": "1e999999999"}}}, "audio.music.fade_in", "not a timecode"),
        ({"segments": [{"image": "a.png", "duration": 99999999}]}, "segments.0.duration", "past 24 hours"),
        ({"audio": {"bogus": 1}}, "audio.bogus", "unknown key 'bogus'"),
        ({"audio": {"music": {"file": "bed.mp3", "volume": "loud"}}}, "audio.music.volume", "unknown key 'volume'"),
        ({"audio": {"music": {"file": "bed.mp3", "level_db": "loud"}}}, "audio.music.level_db", "valid number"),
        ({"audio": {"loudness": {"integrated": -100}}}, "audio.loudness", "integrated loudness target must be in"),
        ({"audio": {"music": {"file": "bed.mp3", "level_db": 1e300}}}, "audio.music", "level_db must be in"),
        ({"segments": [{"source": "a.mp4", "volume": 1e309}]}, "segments.0.volume", "finite number"),
        ({"crossfade": -1}, "crossfade", "negative"),
        ({"crossfade": 30}, "crossfade", "less than or equal to 10"),
        (
            {"segments": [{"image": "a.png", "duration": 1, "reframe": {"mode": "crop", "zoom": [1, 1e300]}}]},
            "segments.0.reframe.zoom.1",
            "less than or equal to 10",
        ),
    ],
)
def test_manifest_values_are_refused_with_the_field(extra: dict, field: str, words: str) -> None:
    data = {"version": 1, "segments": [{"image": "a.png", "duration": 1}], **extra}
    with pytest.raises(ManifestError) as info:
        episode_from_dict(data, base=Path("/m"), source=Path("/m/ep.yaml"))
    assert info.value.field == field and words in info.value.message
    assert info.value.path == "/m/ep.yaml"


def test_audio_block_is_typed_and_both_spellings_switch_normalising_off() -> None:
    base = {"version": 1, "segments": [{"image": "a.png", "duration": 1}]}
    for key in ("normalize", "normalise"):
        ep = episode_from_dict({**base, "audio": {key: False}}, base=Path("/m"))
        assert ep.audio.normalize is False
    ep = episode_from_dict(
        {
            **base,
            "audio": {"music": "bed.mp3", "loudness": {"integrated": -16}},
            "logo": True,
            "lower_thirds": [{"name": "A", "start": 1}],
        },
        base=Path("/m"),
    )
    assert ep.audio.music is not None and ep.audio.music.file == Path("/m/bed.mp3")
    assert ep.audio.music.bed is not None and ep.audio.music.bed.fade_in == 1
    assert ep.audio.loudness is not None and ep.audio.loudness.integrated == -16
    assert ep.logo is True and ep.lower_thirds[0].name == "A" and ep.lower_thirds[0].start == 1


def test_python_api_crossfade_is_read_like_the_manifest() -> None:
    seg = Segment("a.png", duration=1)
    assert Episode([seg], crossfade=0.2).crossfade == Fraction(1, 5)
    with pytest.raises(ManifestError, match="negative") as info:
        Episode([seg], crossfade=-0.2)
    assert info.value.field == "crossfade"


# --- YAML and JSON -------------------------------------------------------------------------------------


def test_yaml_alias_bomb_is_refused_quickly(tmp_path: Path) -> None:
    path = tmp_path / "ep.yaml"
    path.write_text(BOMB, encoding="utf-8")
    assert len(BOMB) < 800
    started = time.monotonic()
    with pytest.raises(ManifestError, match="aliases") as info:
        load_episode(path)
    assert info.value.path == str(path)
    assert time.monotonic() - started < 2


def test_small_aliases_still_work() -> None:
    assert parse_yaml("a: &x {k: 1}\nb: *x\n") == {"a": {"k": 1}, "b": {"k": 1}}


@pytest.mark.parametrize("depth", [MAX_DEPTH + 1, 5000])
def test_deep_nesting_is_refused(tmp_path: Path, depth: int) -> None:
    path = tmp_path / "ep.yaml"
    path.write_text("version: 1\nsegments: " + "[" * depth + "]" * depth + "\n", encoding="utf-8")
    with pytest.raises(ManifestError, match="levels deep"):
        load_episode(path)
    with pytest.raises(ManifestError, match="levels deep"):
        parse_json("[" * depth + "]" * depth)


def test_yaml_errors_name_line_and_refuse_binary() -> None:
    with pytest.raises(ManifestError, match="line 2, column"):
        parse_yaml("a: 1\n b: [\n", path="x.yaml")
    with pytest.raises(ManifestError, match="NUL"):
        parse_yaml("a: \x00", path="x.yaml")


# --- colours --------------------------------------------------------------------------------------------


def test_one_colour_parser_for_kits_and_burn_in() -> None:
    assert parse_color("#fff") == (255, 255, 255, 255)
    assert Rgba.parse("#fff") == Rgba(255, 255, 255, 255)
    assert Rgba.parse("#11223380") == Rgba(0x11, 0x22, 0x33, 0x80)
    with pytest.raises(CaptionError, match="not a colour"):
        Rgba.parse("gelb", "text_color")
    assert ffmpeg_color("#fff") == "#ffffff"
    assert ffmpeg_color("Black") == "#000000"
    with pytest.raises(ValueError, match="not a colour"):
        ffmpeg_color("black:0.5[x]")


# --- images and sources -----------------------------------------------------------------------------------


def test_huge_image_is_refused_from_its_header(tmp_path: Path) -> None:
    huge = _png_header(tmp_path / "huge.png", 30000, 30000)
    with pytest.raises(MediaError, match="too large") as info:
        image_size(huge, "overlays.0.image")
    assert info.value.field == "overlays.0.image"
    with pytest.raises(ManifestError, match="too large") as kit_error:
        checked_image(huge, tmp_path / "kit.yaml", "logo.file")
    assert kit_error.value.field == "logo.file" and kit_error.value.path == str(tmp_path / "kit.yaml")
    assert image_size(_png_header(tmp_path / "ok.png", MAX_IMAGE_SIDE, 10)) == (MAX_IMAGE_SIDE, 10)


def _plan(episode: Episode) -> None:
    from vidcoop.engine.plan import plan_episode

    plan_episode(episode, "preview")


def test_gif_still_and_tiny_pictures_fail_before_ffmpeg(tmp_path: Path) -> None:
    gif = _still(tmp_path / "a.gif", fmt="GIF")
    with pytest.raises(MediaError, match="GIF") as info:
        _plan(Episode([Segment(gif, duration=1, field="segments.0")]))
    assert info.value.field == "segments.0.image"
    dot = _still(tmp_path / "dot.png", (1, 1))
    with pytest.raises(MediaError, match="1x1 pixels"):
        _plan(Episode([Segment(dot, duration=1)]))


def test_bad_colour_far_overlay_and_long_episode_fail_before_ffmpeg(tmp_path: Path) -> None:
    card = _still(tmp_path / "card.png")
    with pytest.raises(ManifestError, match="not a colour") as info:
        _plan(Episode([Segment(card, duration=1, reframe=Reframe(mode="fit-pad", color="bläu"))]))
    assert info.value.field == "segments.0.reframe.color"
    with pytest.raises(ManifestError, match="far outside") as far:
        _plan(Episode([Segment(card, duration=1)], overlays=[Overlay(card, x=10**9, y=0)]))
    assert far.value.field == "overlays.0.position"
    with pytest.raises(ManifestError, match="far outside") as wide:
        _plan(Episode([Segment(card, duration=1)], overlays=[Overlay(card, width=10**6)]))
    assert wide.value.field == "overlays.0.width"
    with pytest.raises(ManifestError, match="past 60 minutes") as long:
        _plan(Episode([Segment(card, duration=1800), Segment(card, duration=1801)]))
    assert long.value.field == "segments.1"


def test_relative_source_that_looks_like_a_protocol_is_a_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, make_media
) -> None:
    from vidcoop.media.probing import probe

    clip = make_media("protocol-like.mp4", "testsrc2=s=64x64:r=10:d=1")
    (tmp_path / "c:o:l.mp4").write_bytes(clip.read_bytes())
    monkeypatch.chdir(tmp_path)
    info = probe(Path("c:o:l.mp4"))
    assert info.video is not None and info.video.width == 64


def test_every_error_here_is_a_vidcoop_error() -> None:
    assert issubclass(ManifestError, VidcoopError) and issubclass(MediaError, VidcoopError)


def test_music_is_checked_before_transcription_and_rendering(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import vidcoop.engine.api as api
    from vidcoop.timeline.model import AudioSpec, CaptionSpec, MusicSpec

    def must_not_run(*args: object, **kwargs: object) -> None:
        raise AssertionError("transcription started before the music was checked")

    monkeypatch.setattr(api, "episode_transcript", must_not_run)
    card = _still(tmp_path / "card.png")
    (tmp_path / "bed.mp3").write_text("not audio", encoding="utf-8")
    episode = Episode(
        [Segment(card, duration=1)],
        captions=CaptionSpec(mode="auto"),
        audio=AudioSpec(music=MusicSpec(tmp_path / "bed.mp3")),
    )
    from vidcoop.pipeline import render

    with pytest.raises(MediaError) as info:
        render(episode, tmp_path / "out.mp4")
    assert info.value.field == "audio.music" and info.value.path == str(tmp_path / "bed.mp3")
    assert not (tmp_path / "out.mp4").exists()


def test_brand_check_reports_a_huge_logo(tmp_path: Path) -> None:
    import shutil

    import yaml

    from vidcoop.brand.check import check_kit
    from vidcoop.brand.kit import resolve_kit_path

    kit = tmp_path / "kit"
    shutil.copytree(resolve_kit_path("neutral").parent, kit)
    logo = yaml.safe_load((kit / "kit.yaml").read_text(encoding="utf-8"))["logo"]["file"]
    _png_header(kit / logo, 30000, 30000)
    result = check_kit(kit)
    assert not result.ok
    assert [(p.field, "too large" in p.message) for p in result.problems] == [("logo.file", True)]


def test_an_image_name_too_long_for_the_file_system_is_one_line(tmp_path) -> None:
    # Found by the manifest fuzz test: os.stat raised ENAMETOOLONG past image_size's is_file().
    from vidcoop.errors import MediaError
    from vidcoop.media.image import image_size

    with pytest.raises(MediaError, match="cannot open the image") as info:
        image_size(tmp_path / ("ä" * 200 + ".png"), "overlays.0.image")
    assert info.value.field == "overlays.0.image"
