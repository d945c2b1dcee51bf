"""The studio app in-process (Starlette TestClient): pages, saving, reviews, and every safety rule."""

from __future__ import annotations

import json
import os
import re
import sys
from pathlib import Path

import pytest

pytest.importorskip("starlette")
from starlette.testclient import TestClient

from vidcoop.studio.app import create_app

from .conftest import EPISODE, TRANSCRIPT
from .serving import csrf_token

PAGE = f"/episodes/{EPISODE}"  # where the tests read the editor's CSRF token

BOARD = "stellenboerse-kw48"


def _client(week: Path, **kw: object) -> TestClient:
    return TestClient(create_app(week, **kw), base_url="http://127.0.0.1:8765")  # type: ignore[arg-type]


def _key(client: TestClient, name: str = EPISODE) -> str:
    """The content key the episode's page shows (what a review names)."""
    key: str = client.get(f"/api/episodes/{name}").json()["key"]
    return key


def _post(client: TestClient, url: str, body: object, csrf: str) -> object:
    return client.post(
        url, content=json.dumps(body), headers={"X-CSRF-Token": csrf, "Content-Type": "application/json"}
    )


def test_week_page_lists_every_episode_with_its_facts(example_week: Path) -> None:
    client = _client(example_week)
    html = client.get("/").text
    assert '<html lang="de">' in html
    assert "<h1>KW 48</h1>" in html  # not "Woche kw48"
    # titles and the channel's format names, not slugs and ids; the caption source in words
    assert f'<a href="/episodes/{EPISODE}">Was ist Bürgergeld?</a>' in html
    assert f'<a href="/episodes/{BOARD}">' in html
    assert "<td>Erklärvideo</td>" in html and "<td>Stellenbörse</td>" in html
    assert "erklaervideo" not in html.split('id="strings"')[0]
    assert f"<td>Datei {TRANSCRIPT}</td>" in html and "<td>Text der Karten</td>" in html
    data = client.get("/api/week").json()
    rows = {r["name"]: r for r in data["episodes"]}
    assert rows[EPISODE]["format"] == "erklaervideo" and rows[EPISODE]["captions"] == TRANSCRIPT
    assert rows[EPISODE]["duration"] == pytest.approx(21.5, abs=0.1)
    assert rows[BOARD]["captions"] == "cards" and rows[BOARD]["kind"] == "jobboard"
    assert {r["status"] for r in rows.values()} <= {"not rendered", "preview ready"}


def test_episode_page_names_exactly_as_the_issue_lists(example_week: Path) -> None:
    de = _client(example_week).get(f"/episodes/{EPISODE}").text
    for text in (
        ">Untertitel speichern<",
        ">Freigeben<",
        ">Änderungen anfordern<",
        '<label for="reviewer">Name<',
        '<label for="comment">Kommentar<',
        "<video",
    ):
        assert text in de
    assert de.count('role="status"') == 1
    en = _client(example_week, lang="en").get(f"/episodes/{EPISODE}").text
    assert '<html lang="en">' in en
    for text in (
        ">Save captions<",
        ">Approve<",
        ">Request changes<",
        '<label for="reviewer">Reviewer<',
        '<label for="comment">Comment<',
    ):
        assert text in en
    assert '"cue": "Cue {n}"' in en and '"cue": "Untertitel {n}"' in de
    # the names issue 24 adds (the delete button is drawn per cue from the labels)
    for text in (">Rückgängig<", ">Entwurf wiederherstellen<", ">Trotzdem freigeben<", ">Nächstes Problem<"):
        assert text in de
    assert '"delete": "Untertitel l\\u00f6schen"' in de and '"split": "Aufteilen"' in de
    for text in (">Undo<", ">Restore draft<", ">Approve anyway<", ">Next problem<", '"delete": "Delete cue"'):
        assert text in en


def test_job_board_page_shows_cards_with_partner_and_row(example_week: Path) -> None:
    client = _client(example_week)
    html = client.get(f"/episodes/{BOARD}").text
    rows = re.findall(r'data-row="(\d+)"', html)
    assert rows and 'id="partner-filter"' in html
    assert "Änderungen anfordern: Zeile" in html
    assert client.get(f"/episodes/{BOARD}/cards/0.png").headers["content-type"] == "image/png"
    assert client.get(f"/episodes/{BOARD}/cards/999.png").status_code == 404
    csrf = csrf_token(client, PAGE)
    r = _post(
        client,
        f"/api/episodes/{BOARD}/review",
        {"reviewer": "Diakonie", "decision": "changes", "row": int(rows[0]), "key": _key(client, BOARD)},
        csrf,
    )
    assert r.status_code == 200 and r.json()["status"] == "changes requested"  # type: ignore[attr-defined]
    assert r.json()["reviews"][-1]["row"] == int(rows[0])  # type: ignore[attr-defined]


def test_job_board_page_names_every_row_it_does_not_show_and_why(example_week: Path) -> None:
    # The example's jobs.csv has 8 rows; the board shows 5. The other 3 are listed with partner and reason (#25).
    html = _client(example_week).get(f"/episodes/{BOARD}").text
    section = html[html.index('id="left-out"'):]
    section = section[: section.index("</ul>")]
    items = re.findall(r'<li data-row="(\d+)" data-partner="([^"]+)">(.*?)</li>', section, re.S)
    assert [(row, partner) for row, partner, _ in items] == [
        ("7", "paritaetischer-musterstadt"), ("8", "awo-musterstadt"), ("9", "paritaetischer-musterstadt")]
    texts = {row: text for row, _, text in items}
    # The reasons in the page's language, German by default (#25: they were English).
    assert "abgelaufen (Ablaufdatum: abgelaufen am 15.11.2026)" in texts["7"]
    assert "ungültig" in texts["8"] and "Partner: unbekannte Partner-ID (bekannt: " in texts["8"]
    assert "unknown" not in texts["8"]
    assert "Bewerbung: Webadressen müssen mit https:// (oder http://) beginnen" in texts["9"]
    assert "Beginn: diesen Tag gibt es im Kalender nicht (oder „ab sofort“): &#39;31.11.2026&#39;" in texts["9"]
    assert "Nicht gezeigte Zeilen (3)" in html
    english = _client(example_week, lang="en").get(f"/episodes/{BOARD}").text
    assert "partner: unknown partner id (known: " in english and "expires: expired on 15.11.2026" in english
    assert "start: no such day in the calendar (or &#39;ab sofort&#39;): &#39;31.11.2026&#39;" in english


def test_save_captions_points_the_manifest_and_a_stale_save_is_refused(example_week: Path) -> None:
    client = _client(example_week)
    episodes = example_week.parent / "episodes"
    transcript = (episodes / TRANSCRIPT).read_bytes()
    data = client.get(f"/api/episodes/{EPISODE}").json()
    assert data["editable"] and data["cues"][0]["text"] == "Was ist eigentlich Bürgergeld?"
    assert data["rules"][2] == ["duration"]  # "Kurz." is shown 0.4 s
    cues = data["cues"]
    cues[0]["text"] = "Was ist das Bürgergeld?"
    csrf = csrf_token(client, PAGE)
    r = _post(client, f"/api/episodes/{EPISODE}/captions", {"version": data["version"], "cues": cues}, csrf)
    assert r.status_code == 200, r.text  # type: ignore[attr-defined]
    manifest = (episodes / f"{EPISODE}.yaml").read_text(encoding="utf-8")
    assert f"file: {EPISODE}.captions.srt" in manifest
    assert "# An explainer" in manifest and "# the kit's logo over the body" in manifest
    assert (episodes / TRANSCRIPT).read_bytes() == transcript  # the transcript is never overwritten
    assert "Was ist das Bürgergeld?" in client.get(f"/episodes/{EPISODE}/captions.vtt").text
    saved = (episodes / f"{EPISODE}.captions.srt").read_bytes()

    cues[0]["text"] = "Zweiter Browser"  # based on the old version: refused, nothing written
    r = _post(client, f"/api/episodes/{EPISODE}/captions", {"version": data["version"], "cues": cues}, csrf)
    assert r.status_code == 409 and "neu laden" in r.json()["error"]  # type: ignore[attr-defined]
    assert (episodes / f"{EPISODE}.captions.srt").read_bytes() == saved


def test_live_rule_check_names_each_broken_rule(example_week: Path) -> None:
    client = _client(example_week)
    csrf = csrf_token(client, PAGE)
    cues = [
        {"start_ms": 0, "end_ms": 2000, "text": "Kurz und gut."},
        {"start_ms": 1500, "end_ms": 3000, "text": "Diese Zeile ist ganz bestimmt viel länger als erlaubt"},
        {"start_ms": 3000, "end_ms": 3500, "text": "eins\nzwei\ndrei"},
    ]
    r = _post(client, f"/api/episodes/{EPISODE}/check", {"cues": cues}, csrf)
    assert r.status_code == 200  # type: ignore[attr-defined]
    rules = r.json()["rules"]  # type: ignore[attr-defined]
    assert rules[0] == []
    assert {"overlaps", "line_chars", "pixel_width", "reading_speed"} <= set(rules[1])
    assert {"line_count", "duration"} <= set(rules[2])


def test_approval_records_the_content_and_a_changed_source_shows(example_week: Path) -> None:
    client = _client(example_week)
    csrf = csrf_token(client, PAGE)
    r = _post(
        client,
        f"/api/episodes/{EPISODE}/review",
        {"reviewer": "Anna", "organisation": "Caritas", "comment": "<b>ok</b>", "decision": "approve",
         "key": _key(client), "confirm_open": True},
        csrf,
    )
    assert r.status_code == 200 and r.json()["status"] == "approved"  # type: ignore[attr-defined]
    assert "&lt;b&gt;ok&lt;/b&gt;" in client.get(f"/episodes/{EPISODE}").text  # user text is literal
    source = example_week.parent / "footage" / "phone.mp4"
    data = bytearray(source.read_bytes())
    data[len(data) // 2] ^= 0xFF
    source.write_bytes(bytes(data))
    assert client.get(f"/episodes/{EPISODE}").status_code == 200  # a page load re-reads the week
    assert client.get(f"/api/episodes/{EPISODE}").json()["status"] == "changed since approval"


def test_channel_may_require_two_approvals(example_week: Path) -> None:
    channel = example_week.parent / "channel" / "channel.yaml"
    channel.write_text(channel.read_text(encoding="utf-8") + "review: {approvals: 2}\n", encoding="utf-8")
    client = _client(example_week)
    csrf = csrf_token(client, PAGE)
    body = {"reviewer": "Anna", "decision": "approve", "key": _key(client), "confirm_open": True}
    assert _post(client, f"/api/episodes/{EPISODE}/review", body, csrf).json()["status"] == "in review"  # type: ignore[attr-defined]
    body["reviewer"] = "Ben"
    assert _post(client, f"/api/episodes/{EPISODE}/review", body, csrf).json()["status"] == "approved"  # type: ignore[attr-defined]


# --- safety --------------------------------------------------------------------------------------


def test_other_hosts_need_the_token_then_the_cookie(example_week: Path) -> None:
    client = _client(example_week, token="s3cret-token")
    assert client.get(f"/episodes/{EPISODE}").status_code == 401
    assert client.get(f"/api/episodes/{EPISODE}").status_code == 401
    assert client.get(f"/episodes/{EPISODE}?token=wrong").status_code == 401
    first = client.get(f"/episodes/{EPISODE}?token=s3cret-token", follow_redirects=False)
    assert first.status_code == 303 and first.headers["location"] == f"/episodes/{EPISODE}"
    assert "httponly" in first.headers["set-cookie"].lower()
    assert client.get(f"/episodes/{EPISODE}").status_code == 200  # the cookie now
    assert client.get(f"/api/episodes/{EPISODE}").status_code == 200
    stranger = _client(example_week, token="s3cret-token")
    assert stranger.post(f"/api/episodes/{EPISODE}/review").status_code == 401


def test_local_studio_answers_only_to_loopback_names(example_week: Path) -> None:
    app = create_app(example_week)
    for base in ("http://127.0.0.1:8765", "http://localhost:8765", "http://[::1]:8765"):
        assert TestClient(app, base_url=base).get("/api/episodes/" + EPISODE).status_code == 200
    rebound = TestClient(app, base_url="http://evil.example:8765")
    assert rebound.get(f"/episodes/{EPISODE}").status_code == 421
    assert rebound.get("/api/week").status_code == 421


def test_post_needs_the_csrf_token_valid_json_and_at_most_1_mib(example_week: Path) -> None:
    client = _client(example_week)
    url = f"/api/episodes/{EPISODE}/review"
    good = {"reviewer": "Anna", "decision": "approve", "key": _key(client)}
    assert client.post(url, json=good).status_code == 403
    assert client.post(url, json=good, headers={"X-CSRF-Token": "nope"}).status_code == 403
    csrf = csrf_token(client, PAGE)
    assert _post(client, url, {**good, "decision": "maybe"}, csrf).status_code == 422  # type: ignore[attr-defined]
    assert _post(client, url, {**good, "admin": True}, csrf).status_code == 422  # type: ignore[attr-defined]
    assert _post(client, url, {"decision": "approve"}, csrf).status_code == 422  # type: ignore[attr-defined]
    big = {**good, "comment": "x" * (1 << 20)}
    assert _post(client, url, big, csrf).status_code == 413  # type: ignore[attr-defined]
    text = client.post(
        url,
        content="reviewer=Anna",
        headers={"X-CSRF-Token": csrf, "Content-Type": "application/x-www-form-urlencoded"},
    )
    assert text.status_code == 415
    assert not (example_week.parent / "week.reviews.json").exists()  # nothing was recorded


def test_media_only_from_the_week_tree_and_output(example_week: Path, tmp_path: Path) -> None:
    client = _client(example_week)
    root = example_week.parent
    assert client.get("/media/footage/phone.mp4").status_code == 200  # a source of the explainer
    secret = tmp_path / "secret.txt"
    secret.write_text("secret", encoding="utf-8")
    (root / "footage" / "link-out.txt").symlink_to(secret)
    (root / "footage" / "link-in.mp4").symlink_to(root / "footage" / "phone.mp4")
    from vidcoop.batch.manifest import load_week

    output = load_week(example_week).output
    output.mkdir(parents=True, exist_ok=True)
    (output / "report.json").write_text("{}", encoding="utf-8")
    (output / "x.mp4").write_bytes(b"\0" * 16)
    for bad in (
        "/media/..%2fsecret.txt",
        "/media/..%2f..%2fsecret.txt",
        "/media/footage/..%2f..%2f..%2fsecret.txt",
        f"/media/{secret}",
        f"/media/%2F{str(secret).lstrip('/')}",
        "/media/footage/link-out.txt",
        "/media/footage/%2e%2e/%2e%2e/secret.txt",
        "/media/footage",
    ):
        r = client.get(bad)
        assert r.status_code == 404, bad
        assert "secret" not in r.text
    assert client.get("/media/footage/link-in.mp4").status_code == 200  # the same source, through a link
    assert client.get("/media/x.mp4").status_code == 200  # the output folder
    assert client.get("/media/report.json").status_code == 404  # not media
    if sys.platform != "win32":
        assert os.path.islink(root / "footage" / "link-out.txt")


def test_safe_media_path_refuses_escapes_itself(tmp_path: Path) -> None:
    from vidcoop.studio.views.media import safe_media_path

    root = tmp_path / "week"
    (root / "a").mkdir(parents=True)
    (root / "a" / "f.txt").write_text("x", encoding="utf-8")
    (tmp_path / "out.txt").write_text("x", encoding="utf-8")
    assert safe_media_path("a/f.txt", [root]) == (root / "a" / "f.txt").resolve()
    for bad in (
        "../out.txt",
        "a/../../out.txt",
        str(tmp_path / "out.txt"),
        "a/..%2f..%2fout.txt",
        "a\\..\\f.txt",
        "",
        "a",
    ):
        assert safe_media_path(bad, [root]) is None, bad
