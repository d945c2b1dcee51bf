"""The reviews file and what counts as approved."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from vidcoop.errors import ManifestError, OutputError
from vidcoop.review import book as rv


def _r(decision: str, key: str = "k1", who: str = "Anna", episode: str = "ep") -> rv.Review:
    return rv.Review(episode=episode, reviewer=who, decision=decision, key=key)


@pytest.mark.parametrize(
    ("reviews", "required", "expected"),
    [
        ((), 1, None),
        ((_r("approve"),), 1, rv.APPROVED),
        ((_r("approve"),), 2, rv.IN_REVIEW),
        ((_r("approve"), _r("approve", who=" anna ")), 2, rv.IN_REVIEW),  # one reviewer counts once
        ((_r("approve"), _r("approve", who="Ben")), 2, rv.APPROVED),
        ((_r("approve"), _r("changes", who="Ben")), 1, rv.CHANGES_REQUESTED),
        ((_r("changes"), _r("approve", who="Ben")), 1, rv.APPROVED),
        ((_r("approve", key="old"),), 1, rv.CHANGED_SINCE_APPROVAL),
        ((_r("changes", key="old"),), 1, rv.IN_REVIEW),
    ],
)
def test_review_status(reviews: tuple[rv.Review, ...], required: int, expected: str | None) -> None:
    assert rv.review_status(reviews, "k1", required) == expected


def test_book_appends_atomically_and_keeps_other_writers(tmp_path: Path) -> None:
    week = tmp_path / "kw48.yaml"
    path = rv.reviews_path(week)
    assert path.name == "kw48.reviews.json"
    first = rv.ReviewBook.for_week(week)
    second = rv.ReviewBook.for_week(week)  # another server loaded the same (empty) file
    first.add(_r("approve"))
    second.add(_r("changes", who="Ben", episode="other"))
    book = rv.ReviewBook.for_week(week)
    assert [r.reviewer for r in book.reviews] == ["Anna", "Ben"]
    assert all(r.at for r in book.reviews)
    assert book.is_approved("ep", "k1") and not book.is_approved("other", "k1")
    # no temp file left beside it; the lock file all studios share stays (hidden)
    assert sorted(p.name for p in tmp_path.iterdir()) == [f".{path.name}.lock", path.name]
    assert json.loads(path.read_text(encoding="utf-8"))["schema"] == rv.SCHEMA


def test_a_failed_write_leaves_the_old_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    week = tmp_path / "kw48.yaml"
    rv.ReviewBook.for_week(week).add(_r("approve"))
    before = rv.reviews_path(week).read_bytes()

    def boom(*_a: object, **_k: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", boom)
    with pytest.raises(OutputError) as err:
        rv.ReviewBook.for_week(week).add(_r("approve", who="Ben"))
    assert "No space left" in str(err.value)
    assert rv.reviews_path(week).read_bytes() == before
    assert not list(tmp_path.glob("*.part*")) and not list(tmp_path.glob(".*.part*"))


def test_a_broken_reviews_file_names_itself(tmp_path: Path) -> None:
    path = tmp_path / "kw48.reviews.json"
    path.write_text('{"schema": "other"}', encoding="utf-8")
    with pytest.raises(ManifestError) as err:
        rv.ReviewBook.load(path)
    assert err.value.path == str(path)


def test_channel_review_setting_is_validated(tmp_path: Path) -> None:
    from vidcoop.channel.config import parse_channel

    base = {"version": 1, "name": "K", "formats": {"erklaervideo": {"max_length": 90}}}
    assert parse_channel(base, tmp_path / "channel.yaml").approvals == 1
    assert parse_channel({**base, "review": {"approvals": 2}}, tmp_path / "channel.yaml").approvals == 2
    with pytest.raises(ManifestError) as err:
        parse_channel({**base, "review": {"approvals": 0}}, tmp_path / "channel.yaml")
    assert err.value.field == "review.approvals"


def test_an_approval_given_anyway_is_recorded_and_old_files_stay_readable(tmp_path: Path) -> None:
    week = tmp_path / "kw48.yaml"
    path = rv.reviews_path(week)
    old = {"schema": rv.SCHEMA, "version": 1,  # as written before open points were recorded
           "reviews": [{"episode": "ep", "reviewer": "Anna", "decision": "approve", "key": "k1", "organisation": "",
                        "comment": "", "row": None, "at": "2026-12-04T16:55:00+00:00"}]}
    path.write_text(json.dumps(old), encoding="utf-8")
    book = rv.ReviewBook.for_week(week)
    assert book.reviews[0].open_rules == 0 and not book.reviews[0].approved_anyway
    book.add(rv.Review(episode="ep", reviewer="Ben", decision="approve", key="k1", open_rules=3, open_words=30))
    again = rv.ReviewBook.for_week(week).reviews
    assert (again[1].open_rules, again[1].open_words, again[1].approved_anyway) == (3, 30, True)
    assert again[0] == book.reviews[0]  # the old entry is kept as it was
    broken = json.loads(path.read_text(encoding="utf-8"))
    broken["reviews"][1]["open_words"] = -1
    path.write_text(json.dumps(broken), encoding="utf-8")
    with pytest.raises(ManifestError) as err:
        rv.ReviewBook.for_week(week)
    assert err.value.field == "reviews.1.open_words"


def test_times_weeks_and_caption_sources_in_words() -> None:
    from datetime import datetime, timezone

    from vidcoop.studio.i18n import caption_source_text, local_time, translator, week_heading

    now = datetime(2026, 12, 5, tzinfo=timezone.utc)
    assert local_time("2026-12-04T16:55:00+00:00", "Europe/Berlin", "de", now) == "Fr., 4. Dez., 17:55"
    assert local_time("2026-06-04T16:55:00+00:00", "Europe/Berlin", "de", now) == "Do., 4. Juni, 18:55"  # summer
    assert local_time("2025-12-04T16:55:00+00:00", "Europe/Vienna", "de", now) == "Do., 4. Dez. 2025, 17:55"
    assert local_time("2026-12-04T16:55:00+00:00", "Europe/Berlin", "en", now) == "Fri 4 Dec, 17:55"
    assert local_time("gestern", "Europe/Berlin", "de", now) == "gestern"
    de = translator("de")
    assert [week_heading(n, de) for n in ("kw50", "KW-7", "kw 48", "sommer")] == ["KW 50", "KW 7", "KW 48",
                                                                                 "Woche sommer"]
    assert [caption_source_text(s, de) for s in ("auto", "cards", "off", "ep.captions.srt", "clip.srt")] == [
        "automatisch erkannt", "Text der Karten", "keine", "korrigiert (ep.captions.srt)", "Datei clip.srt"]
