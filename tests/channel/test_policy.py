"""The partner-slot rule: every rule raises with its id and exact message; clean episodes pass."""

from __future__ import annotations

import pickle
from fractions import Fraction
from pathlib import Path

import pytest

from vidcoop.brand.safezone import SAFE_ZONES
from vidcoop.channel.config import Channel
from vidcoop.channel.policy import check_episode
from vidcoop.channel.rules import slot_position
from vidcoop.errors import PolicyError
from vidcoop.timeline.model import Episode, Overlay, Segment

CARITAS = "caritas-musterstadt"
DIAKONIE = "diakonie-musterstadt"
PARITAET = "paritaetischer-musterstadt"
LOGO = Path("logo.png")
SIZES = {LOGO: (400, 200)}


def intro() -> Segment:
    return Segment("intro.png", duration=2, kind="intro")


def outro() -> Segment:
    return Segment("outro.png", duration=2, kind="outro")


def body(length: float = 10) -> Segment:
    return Segment("talk.mp4", start=0, end=length)


def card(partner: str | None = None) -> Segment:
    return Segment("job.png", duration=4, kind="card", partner=partner)


def bumper(partner: str | None = CARITAS, length: float = 2) -> Segment:
    return Segment("bumper.png", duration=length, kind="bumper", partner=partner)


def episode(*segments: Segment, fmt: str | None = "stellenboerse", overlays: tuple[Overlay, ...] = (),
            crossfade: float = 0) -> Episode:
    return Episode(segments=segments, overlays=overlays, format=fmt, name="ep1", crossfade=Fraction(str(crossfade)))


def check(ep: Episode, channel: Channel, **kw: object) -> object:
    kw.setdefault("image_sizes", SIZES)
    return check_episode(ep, channel, **kw)  # type: ignore[arg-type]


def broken(ep: Episode, channel: Channel, **kw: object) -> PolicyError:
    with pytest.raises(PolicyError) as info:
        check(ep, channel, **kw)
    return info.value


def test_clean_job_board_episode_passes_every_rule(channel: Channel) -> None:
    ep = episode(intro(), bumper(CARITAS, 3), card(CARITAS), bumper(DIAKONIE), card(DIAKONIE), card(), bumper(PARITAET),
                 outro(),
                 overlays=(Overlay(LOGO, anchor="center", width=400, start=Fraction(5), end=Fraction(9),
                                   partner=CARITAS, kind="logo"),))
    report = check(ep, channel)
    assert report.passed == ("format-known", "partners-known", "partner-slots", "partner-media",
                             "partner-segment-kinds", "bumper-count", "slot-position", "slot-count", "bumper-length",
                             "partner-logo-in-slot", "partner-texts", "partner-logo-contrast", "partner-bumper-shape",
                             "safe-zone",
                             "max-length", "structure")
    assert report.warnings == ()
    assert report.format == "stellenboerse" and report.episode == "ep1"


def test_explainer_without_partners_passes(channel: Channel) -> None:
    ep = episode(intro(), body(), Segment("end.png", duration=3, kind="endcard"), outro(), fmt="erklaervideo")
    assert "partner-slots" in check(ep, channel).passed


def test_unknown_format(channel: Channel) -> None:
    err = broken(episode(intro(), body(), fmt="quiz"), channel)
    assert err.rule == "unknown-format"
    assert err.message == "format 'quiz' is not defined in channel 'Wege zum Job' (known: erklaervideo, stellenboerse)"
    assert err.field == "format"


def test_bumper_in_format_without_slots(channel: Channel) -> None:
    err = broken(episode(intro(), bumper(CARITAS), body(), outro(), fmt="erklaervideo"), channel)
    assert (err.rule, err.episode, err.format, err.field) == ("no-partner-slots", "ep1", "erklaervideo", "segments.1")
    assert err.message == (
        "partner bumper of 'caritas-musterstadt' in format 'erklaervideo', which has no partner slots"
    )
    assert str(err) == (
        "episode 'ep1', format 'erklaervideo', rule no-partner-slots: [segments.1] partner bumper of "
        "'caritas-musterstadt' in format 'erklaervideo', which has no partner slots"
    )


def test_partner_logo_in_format_without_slots(channel: Channel) -> None:
    ov = Overlay(LOGO, partner=DIAKONIE, kind="logo", start=Fraction(0), end=Fraction(1))
    err = broken(episode(intro(), body(), outro(), fmt="erklaervideo", overlays=(ov,)), channel)
    assert err.rule == "no-partner-slots"
    assert err.message == (
        "logo of partner 'diakonie-musterstadt' shown in format 'erklaervideo', which has no partner slots"
    )


def test_partner_job_card_in_format_without_slots(channel: Channel) -> None:
    err = broken(episode(intro(), card(PARITAET), outro(), fmt="erklaervideo"), channel)
    assert err.rule == "no-partner-slots"
    assert err.message == (
        "partner 'paritaetischer-musterstadt' shown in format 'erklaervideo', which has no partner slots"
    )


def test_episode_without_format_has_no_slots(channel: Channel) -> None:
    err = broken(episode(intro(), bumper(), body(), fmt=None), channel)
    assert err.rule == "no-partner-slots"
    assert err.message == (
        "partner bumper of 'caritas-musterstadt' in an episode without a format, which has no partner slots"
    )
    report = check(episode(intro(), body(), outro(), fmt=None), channel)
    assert [w.rule for w in report.warnings] == ["unknown-format"]


def test_unknown_partner(channel: Channel) -> None:
    err = broken(episode(intro(), bumper("awo-musterstadt"), card(), outro()), channel)
    assert err.rule == "unknown-partner"
    assert err.message == (
        "unknown partner 'awo-musterstadt' "
        "(known: caritas-musterstadt, diakonie-musterstadt, paritaetischer-musterstadt)"
    )
    ov = Overlay(LOGO, partner="awo", kind="logo")
    err = broken(episode(intro(), card(), outro(), overlays=(ov,)), channel)
    assert err.rule == "unknown-partner" and err.field == "overlays.0"


def test_bumper_without_partner(channel: Channel) -> None:
    err = broken(episode(intro(), bumper(None), card(), outro()), channel)
    assert err.rule == "bumper-without-partner"
    assert (err.message, err.field) == ("bumper names no partner", "segments.1")


def test_partner_on_body_segment(channel: Channel) -> None:
    seg = Segment("talk.mp4", start=0, end=5, partner=CARITAS)
    err = broken(episode(intro(), seg, outro()), channel)
    assert err.rule == "partner-segment-kind"
    assert err.message == (
        "partner 'caritas-musterstadt' on a body segment; partners appear only in bumper or card segments"
    )


def test_too_many_bumpers(channel: Channel) -> None:
    ep = episode(intro(), bumper(), card(), bumper(), card(), bumper(), card(), bumper(), card(), bumper(), outro())
    err = broken(ep, channel)
    assert err.rule == "too-many-bumpers"
    assert err.message == "episode has 5 partner bumpers, but format 'stellenboerse' has 4 slot(s)"


def test_bumper_before_intro_is_not_a_slot(channel: Channel) -> None:
    err = broken(episode(bumper(), intro(), card(), outro()), channel)
    assert err.rule == "slot-position"
    assert err.field == "segments.0"
    assert err.message == (
        "bumper of 'caritas-musterstadt' sits between the start and intro, where format "
        "'stellenboerse' has no partner slot (slots: after-intro, between-items, before-outro)"
    )


def test_bumper_after_outro_is_not_a_slot(channel: Channel) -> None:
    err = broken(episode(intro(), card(), outro(), bumper()), channel)
    assert err.rule == "slot-position"
    assert "sits between outro and the end" in err.message


def test_slot_full_at_one_position(channel: Channel) -> None:
    err = broken(episode(intro(), bumper(CARITAS), bumper(DIAKONIE), card(), outro()), channel)
    assert err.rule == "slot-full"
    assert err.message == "format 'stellenboerse' takes 1 bumper(s) after-intro, but the episode has 2 there"


def test_bumper_too_long(channel: Channel) -> None:
    err = broken(episode(intro(), card(), bumper(DIAKONIE, 2.5), card(), outro()), channel)
    assert err.rule == "bumper-too-long"
    assert err.field == "segments.2"
    assert err.message == (
        "bumper of 'diakonie-musterstadt' runs 2.5 s, but the between-items slot of format "
        "'stellenboerse' allows at most 2 s"
    )


def test_video_bumper_length_comes_from_durations(channel: Channel) -> None:
    video = Segment("bumper.mp4", kind="bumper", partner=CARITAS, start=Fraction(1))
    ep = episode(intro(), video, card(), outro())
    err = broken(ep, channel)
    assert err.rule == "unknown-length"
    assert err.message == "the length of the bumper of 'caritas-musterstadt' is unknown"
    assert err.hint is not None and "durations=" in err.hint
    # 4.5 s file, in-point at 1 s: 3.5 s, too long for the 3 s after-intro slot
    err = broken(ep, channel, durations={Path("bumper.mp4"): Fraction(9, 2)})
    assert err.rule == "bumper-too-long" and "runs 3.5 s" in err.message
    # a callable (a render plan) gives each segment's own exact length
    report = check(ep, channel, durations=lambda seg: Fraction(5, 2) if seg.source == Path("bumper.mp4") else None)
    assert "bumper-length" in report.passed
    err = broken(ep, channel, durations=lambda seg: Fraction(16, 5) if seg.source == Path("bumper.mp4") else None)
    assert err.rule == "bumper-too-long" and "runs 3.2 s" in err.message


def test_partner_logo_outside_its_slot(channel: Channel) -> None:
    # timeline: intro 0-2, caritas bumper 2-4, card(caritas) 4-8, outro 8-10
    inside = Overlay(LOGO, partner=CARITAS, kind="logo", start=Fraction(4), end=Fraction(8))
    assert "partner-logo-in-slot" in check(episode(intro(), bumper(CARITAS), card(CARITAS), outro(),
                                                   overlays=(inside,)), channel).passed
    spill = Overlay(LOGO, partner=CARITAS, kind="logo", start=Fraction(4), end=Fraction(17, 2))
    err = broken(episode(intro(), bumper(CARITAS), card(CARITAS), outro(), overlays=(spill,)), channel)
    assert err.rule == "partner-logo-outside-slot"
    assert err.field == "overlays.0"
    assert err.message == (
        "logo of partner 'caritas-musterstadt' shows from 4 s to 8.5 s, outside that partner's bumpers and cards"
    )


def test_partner_logo_may_span_its_bumper_and_card(channel: Channel) -> None:
    # bumper 2-4 and card 4-8 of the same partner touch: a logo over both is inside its slot
    ov = Overlay(LOGO, partner=CARITAS, kind="logo", start=Fraction(2), end=Fraction(8))
    assert "partner-logo-in-slot" in check(episode(intro(), bumper(CARITAS), card(CARITAS), outro(),
                                                   overlays=(ov,)), channel).passed
    # ...but not across another partner's card in between
    ep = episode(intro(), bumper(CARITAS), card(DIAKONIE), card(CARITAS), outro(),
                 overlays=(Overlay(LOGO, partner=CARITAS, kind="logo", start=Fraction(2), end=Fraction(12)),))
    assert broken(ep, channel).rule == "partner-logo-outside-slot"


def test_partner_logo_over_another_partners_card(channel: Channel) -> None:
    ov = Overlay(LOGO, partner=DIAKONIE, kind="logo", start=Fraction(4), end=Fraction(8))
    err = broken(episode(intro(), bumper(CARITAS), card(CARITAS), outro(), overlays=(ov,)), channel)
    assert err.rule == "partner-logo-outside-slot"


def test_partner_logo_without_end_runs_to_episode_end(channel: Channel) -> None:
    ov = Overlay(LOGO, partner=CARITAS, kind="logo", start=Fraction(4))
    err = broken(episode(intro(), bumper(CARITAS), card(CARITAS), outro(), overlays=(ov,)), channel)
    assert "from 4 s to 10 s" in err.message


def test_crossfade_shifts_spans_for_logo_check(channel: Channel) -> None:
    # with 0.5 s crossfades the card runs 3.0-7.0, so a logo at 4-8 leaves it
    ov = Overlay(LOGO, partner=CARITAS, kind="logo", start=Fraction(4), end=Fraction(8))
    err = broken(episode(intro(), bumper(CARITAS), card(CARITAS), outro(), overlays=(ov,), crossfade=0.5), channel)
    assert err.rule == "partner-logo-outside-slot"
    ok = Overlay(LOGO, partner=CARITAS, kind="logo", start=Fraction(3), end=Fraction(7))
    check(episode(intro(), bumper(CARITAS), card(CARITAS), outro(), overlays=(ok,), crossfade=0.5), channel)


def test_safe_zone_warns_and_strict_raises(channel: Channel) -> None:
    # a 400 px wide logo at the top-right corner with a 20 px margin sits under TikTok's top bar and action rail
    ov = Overlay(LOGO, anchor="top-right", margin=20, width=400)
    ep = episode(intro(), body(), outro(), fmt="erklaervideo", overlays=(ov,))
    report = check(ep, channel)
    assert "safe-zone" not in report.passed
    [warning] = [w for w in report.warnings if w.rule == "safe-zone"]
    expected = (
        "image overlay at x=660 y=20 (400x200) leaves the tiktok safe zone (x 60..960, y 160..1420): "
        "top by 140 px, right by 100 px"
    )
    assert warning.message == expected and warning.field == "overlays.0"
    err = broken(ep, channel, strict=True)
    assert err.rule == "safe-zone" and err.message == expected


def test_safe_zone_profile_can_be_chosen(channel: Channel) -> None:
    ov = Overlay(LOGO, anchor="bottom", margin=500, width=400)  # bottom edge 1420: fine for TikTok, not Reels
    ep = episode(intro(), body(), outro(), fmt="erklaervideo", overlays=(ov,))
    assert "safe-zone" in check(ep, channel, strict=True).passed
    err = broken(ep, channel, strict=True, safe_zone=SAFE_ZONES["instagram-reels"])
    assert "bottom by 172 px" in err.message


def test_too_long_for_format(channel: Channel) -> None:
    err = broken(episode(intro(), body(100), outro(), fmt="erklaervideo"), channel)
    assert err.rule == "too-long"
    assert err.message == "episode runs 104 s, but format 'erklaervideo' allows at most 90 s"


def test_unknown_body_length_is_a_warning_not_an_error(channel: Channel) -> None:
    ep = episode(intro(), Segment("talk.mp4"), outro(), fmt="erklaervideo")
    report = check(ep, channel)
    assert [w.rule for w in report.warnings] == ["too-long", "structure"]


def test_structure_mismatch_warns(channel: Channel) -> None:
    report = check(episode(body(), fmt="erklaervideo"), channel)
    assert [w.message for w in report.warnings] == [
        "format 'erklaervideo' has an intro, but the episode has none",
        "format 'erklaervideo' has an outro, but the episode has none",
        "format 'erklaervideo' has an endcard, but the episode has none",
    ]


@pytest.mark.parametrize(
    ("kinds", "index", "position"),
    [
        (("intro", "bumper", "body"), 1, "after-intro"),
        (("intro", "bumper", "bumper", "body"), 2, "after-intro"),
        (("body", "bumper", "card"), 1, "between-items"),
        (("card", "bumper", "outro"), 1, "before-outro"),
        (("card", "bumper", "endcard", "outro"), 1, "before-outro"),
        (("card", "bumper"), 1, "before-outro"),
        (("bumper", "intro"), 0, None),
        (("outro", "bumper"), 1, None),
    ],
)
def test_slot_position(kinds: tuple[str, ...], index: int, position: str | None) -> None:
    segs = tuple(Segment("x.png", duration=1, kind=k, partner=CARITAS if k == "bumper" else None) for k in kinds)
    assert slot_position(segs, index)[0] == position


def test_policy_error_pickles(channel: Channel) -> None:
    err = broken(episode(intro(), bumper(None), card(), outro()), channel)
    back = pickle.loads(pickle.dumps(err))
    assert (back.rule, back.episode, back.format, back.field, back.message) == (
        err.rule, err.episode, err.format, err.field, err.message)


def test_overlay_over_the_caption_area_warns(channel: Channel) -> None:
    from vidcoop.timeline.model import CaptionSpec

    # wege-zum-job subtitle style: 2 lines of 62 px (+8 spacing, 4 outline), bottom 500 px up -> y 1258..1420
    low = Overlay(LOGO, anchor="bottom", margin=520, width=400)  # y 1200..1400
    ep = Episode(segments=(intro(), body(), Segment("end.png", duration=3, kind="endcard"), outro()),
                 overlays=(low,), format="erklaervideo", name="ep1", captions=CaptionSpec(mode="auto"))
    report = check(ep, channel)
    [warning] = [w for w in report.warnings if w.rule == "caption-area"]
    assert warning.message == "image overlay (y 1200..1400) covers the subtitle caption area (y 1258..1420)"
    assert warning.field == "overlays.0" and "caption-area" not in report.passed
    high = Overlay(LOGO, anchor="center", width=400)
    ok = check(Episode(segments=ep.segments, overlays=(high,), format="erklaervideo", name="ep1",
                       captions=CaptionSpec(mode="auto")), channel)
    assert "caption-area" in ok.passed
    # without captions there is nothing to cover
    assert "caption-area" not in check(episode(intro(), body(), outro(), fmt="erklaervideo",
                                               overlays=(low,)), channel).passed
