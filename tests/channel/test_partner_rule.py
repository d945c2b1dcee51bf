"""Each way around the partner rule that used to pass now fails with ``unlabelled-partner-media``.

The episodes are checked as rendered (:func:`vidcoop.check_render`): the
format's parts from the kit, lower thirds, every source probed, every picture
matched against the partners' assets by content.
"""

from __future__ import annotations

import re
import shutil
from fractions import Fraction
from pathlib import Path

import pytest
from click.testing import CliRunner

import vidcoop
from vidcoop import ClipSource, Episode, Overlay, Reframe, Segment
from vidcoop.channel.config import Channel
from vidcoop.errors import ManifestError, PolicyError

from .conftest import EXAMPLE_CHANNEL, REPO

PARTNERS = EXAMPLE_CHANNEL.parent / "partners"
CARITAS_LOGO = PARTNERS / "caritas-musterstadt.png"
DIAKONIE_BUMPER = PARTNERS / "diakonie-musterstadt-bumper.png"
INTERVIEW = REPO / "examples" / "footage" / "interview.mp4"


def body() -> Segment:
    return Segment(INTERVIEW, start=Fraction(0), end=Fraction(2), field="segments.0")


def explainer(*segments: Segment, overlays: tuple[Overlay, ...] = ()) -> Episode:
    return Episode(
        (body(), *segments), overlays=overlays, format="erklaervideo", channel=EXAMPLE_CHANNEL, name="bypass"
    )


def refused(episode: Episode, **kwargs: object) -> PolicyError:
    with pytest.raises(PolicyError) as err:
        vidcoop.check_render(episode, **kwargs)  # type: ignore[arg-type]
    assert err.value.rule == "unlabelled-partner-media", err.value
    return err.value


def test_the_example_explainer_passes() -> None:
    from vidcoop.timeline.manifest import load_episode

    report = vidcoop.check_render(load_episode(REPO / "examples/episodes/was-ist-buergergeld.yaml"))
    assert report is not None and "partner-media" in report.passed


def test_partner_logo_overlay_without_a_label() -> None:
    err = refused(explainer(overlays=(Overlay(CARITAS_LOGO, width=200, field="overlays.0"),)))
    assert err.field == "overlays.0" and err.format == "erklaervideo"
    assert "caritas-musterstadt.png is the logo of partner 'caritas-musterstadt'" in str(err)


def _copy_as(tmp_path: Path, name: str, change: str = "copy") -> Path:
    from PIL import Image

    target = tmp_path / "footage" / name
    target.parent.mkdir(exist_ok=True)
    if change == "copy":
        shutil.copy(CARITAS_LOGO, target)
        return target
    with Image.open(CARITAS_LOGO) as img:
        flat = Image.new("RGB", img.size, (255, 255, 255))
        flat.paste(img, mask=img.getchannel("A"))
    scale = 0.6 if change == "small-jpeg" else 1.8
    flat.resize((round(flat.width * scale), round(flat.height * scale))).save(target, quality=70)
    return target


@pytest.mark.parametrize(
    ("name", "change"), [("team-logo.png", "copy"), ("team-logo.jpg", "small-jpeg"), ("team-logo-big.jpg", "big-jpeg")]
)
def test_partner_logo_copied_renamed_resized_reencoded(tmp_path: Path, name: str, change: str) -> None:
    copy = _copy_as(tmp_path, name, change)
    err = refused(explainer(overlays=(Overlay(copy, width=200, field="overlays.0"),)))
    assert err.field == "overlays.0" and name in str(err) and "'caritas-musterstadt'" in str(err)
    assert ("is the logo" if change == "copy" else "looks like the logo") in str(err)


@pytest.mark.parametrize("kind", ["body", "card", "intro"])
def test_partner_bumper_as_a_still_card_or_intro(kind: str) -> None:
    still = Segment(
        DIAKONIE_BUMPER, duration=Fraction(2), kind=kind, reframe=Reframe(mode="fit-pad"), field="segments.1"
    )
    err = refused(explainer(still))
    assert err.field == "segments.1" and "bumper image of partner 'diakonie-musterstadt'" in str(err)


def test_a_format_without_its_channel_is_refused_from_python(tmp_path: Path) -> None:
    episode = Episode([body(), Segment(DIAKONIE_BUMPER, duration=Fraction(2))], format="erklaervideo")
    with pytest.raises(ManifestError) as err:
        vidcoop.render(episode, tmp_path / "out.mp4")
    assert err.value.field == "format" and "needs its channel" in str(err.value)
    assert not (tmp_path / "out.mp4").exists()
    with pytest.raises(ManifestError):
        vidcoop.check_render(episode)


def test_a_partner_logo_in_a_moviepy_clip(channel: Channel) -> None:
    from moviepy import ColorClip, ImageClip

    plain = ClipSource(ColorClip((108, 192), color=(20, 120, 90), duration=1).with_fps(10), "plain")
    report = vidcoop.check_render(explainer(Segment(plain, reframe=Reframe(mode="fit-pad"))), channel=channel)
    assert report is not None and "partner-media" in report.passed  # no crash: clips are hashable now
    logo = ClipSource(ImageClip(str(CARITAS_LOGO), duration=1).with_fps(10), "team-logo")
    err = refused(explainer(Segment(logo, reframe=Reframe(mode="fit-pad"), field="segments.1")), channel=channel)
    assert err.field == "segments.1" and "team-logo" in str(err)
    no_mask = ClipSource(ImageClip(str(CARITAS_LOGO), duration=1, transparent=False).with_fps(10), "on-black")
    err = refused(explainer(Segment(no_mask, reframe=Reframe(mode="fit-pad"))), channel=channel)
    assert "on-black looks like the logo of partner 'caritas-musterstadt'" in str(err)


def test_slot_format_needs_the_label_of_the_partner_shown() -> None:
    def board(label: str | None) -> Episode:
        return Episode(
            [
                Segment(
                    DIAKONIE_BUMPER,
                    duration=Fraction(2),
                    kind="bumper",
                    partner="diakonie-musterstadt",
                    field="segments.0",
                ),
                body(),
            ],
            overlays=(
                Overlay(CARITAS_LOGO, width=200, start=Fraction(0), end=Fraction(2), partner=label, field="overlays.0"),
            ),
            format="stellenboerse",
            channel=EXAMPLE_CHANNEL,
        )

    err = refused(board(None))
    assert err.field == "overlays.0" and "must carry partner: caritas-musterstadt" in str(err)
    err = refused(board("diakonie-musterstadt"))
    assert "labelled partner 'diakonie-musterstadt'" in str(err)
    unlabelled_bumper = Episode(
        [Segment(DIAKONIE_BUMPER, duration=Fraction(2), kind="card", field="segments.0"), body()],
        format="stellenboerse",
        channel=EXAMPLE_CHANNEL,
    )
    assert refused(unlabelled_bumper).field == "segments.0"


def test_vidcoop_check_finds_a_lower_third_outside_the_safe_zone(tmp_path: Path) -> None:
    from vidcoop.cli.check import check

    kit = tmp_path / "kit"
    shutil.copytree(REPO / "brand_kits" / "wege-zum-job", kit)
    text = (kit / "kit.yaml").read_text(encoding="utf-8")
    (kit / "kit.yaml").write_text(text.replace("margin_bottom: 900", "margin_bottom: 40"), encoding="utf-8")
    shutil.copytree(PARTNERS, tmp_path / "partners")
    # The example names its kit; this channel uses the changed copy, a folder beside it.
    channel_text = re.sub(r"(?m)^brand_kit: .*$", "brand_kit: kit", EXAMPLE_CHANNEL.read_text(encoding="utf-8"))
    (tmp_path / "channel.yaml").write_text(channel_text.replace("glossary: glossary.yaml\n", ""), encoding="utf-8")
    (tmp_path / "ep.yaml").write_text(
        f"""version: 1
format: erklaervideo
channel: channel.yaml
segments:
  - {{source: {INTERVIEW}, in: 0, out: 3}}
lower_thirds:
  - {{name: Aylin Demir, role: Beraterin, start: 0.5, end: 2.5}}
""",
        encoding="utf-8",
    )
    warned = CliRunner().invoke(check, [str(tmp_path / "ep.yaml")])
    assert warned.exit_code == 0, warned.output
    assert "warn  safe-zone: lower-third overlay" in warned.output
    strict = CliRunner().invoke(check, [str(tmp_path / "ep.yaml"), "--strict"])
    assert isinstance(strict.exception, PolicyError)
    assert (strict.exception.rule, strict.exception.field) == ("safe-zone", "lower_thirds.0")


def test_no_cover_is_made_for_an_episode_that_breaks_the_rule(tmp_path: Path) -> None:
    from vidcoop.cover import make_cover

    still = Segment(DIAKONIE_BUMPER, duration=Fraction(2), field="segments.1")
    with pytest.raises(PolicyError) as err:
        make_cover(explainer(still), tmp_path / "cover.jpg")
    assert err.value.rule == "unlabelled-partner-media"
    assert not (tmp_path / "cover.jpg").exists()
