"""Second hostile review (#31), the studio's part: each case fails without its fix.

Twin manifests, an empty caption save, saving through a symlink (CRLF, BOM, unused
anchors, indentation), approvals of unseen content, reviewer names and rows,
media beyond the week's own, and a broken reviews file.
"""

from __future__ import annotations

import codecs
import json
import os
import stat
from pathlib import Path

import pytest

pytest.importorskip("starlette")
from starlette.testclient import TestClient

from vidcoop.cli.main import main
from vidcoop.review import book as rv
from vidcoop.studio.app import create_app

from .conftest import EPISODE, TRANSCRIPT
from .serving import csrf_token

PAGE = f"/episodes/{EPISODE}"  # where the tests read the editor's CSRF token

BOARD = "stellenboerse-kw48"
BATCH_FAKES = Path(__file__).resolve().parents[1] / "batch"


def _client(week: Path, **kw: object) -> TestClient:
    return TestClient(create_app(week, **kw), base_url="http://127.0.0.1:8765")  # type: ignore[arg-type]


def _post(client: TestClient, url: str, body: object, csrf: str) -> object:
    return client.post(url, content=json.dumps(body),
                       headers={"X-CSRF-Token": csrf, "Content-Type": "application/json"})


def _data(client: TestClient, name: str = EPISODE) -> dict[str, object]:
    data: dict[str, object] = client.get(f"/api/episodes/{name}").json()
    return data


def _save(client: TestClient, csrf: str, **extra: object) -> object:
    data = _data(client)
    body = {"version": data["version"], "cues": data["cues"], **extra}
    return _post(client, f"/api/episodes/{EPISODE}/captions", body, csrf)


def _review(client: TestClient, csrf: str, name: str = EPISODE, **body: object) -> object:
    # the example's cue 3 breaks a rule: the approval is confirmed as the page's "Trotzdem freigeben" does
    full = {"decision": "approve", "key": _data(client, name)["key"], "confirm_open": True, **body}
    return _post(client, f"/api/episodes/{name}/review", full, csrf)


# --- 2. twin manifests ---------------------------------------------------------------------------


@pytest.mark.parametrize("twin", [f"{EPISODE}.yml", f"{EPISODE.title()}.yaml"])
def test_twin_manifests_are_refused_when_the_week_loads(example_week: Path, twin: str) -> None:
    episodes = example_week.parent / "episodes"
    (episodes / twin).write_bytes((episodes / f"{EPISODE}.yaml").read_bytes())
    week = example_week.read_text(encoding="utf-8")
    example_week.write_text(week.replace("episodes:\n", f"episodes:\n  - path: episodes/{twin}\n    name: zwilling\n"),
                            encoding="utf-8")
    client = _client(example_week)
    rows = {r["name"]: r for r in client.get("/api/week").json()["episodes"]}
    assert rows["zwilling"]["error"] is None  # the first keeps working
    error = rows[EPISODE]["error"]
    assert f"{EPISODE}.yaml would save its captions to the same file as {twin}" in error
    assert "episodes.1" in error and str(example_week) in error
    r = _save(client, csrf_token(client, PAGE))
    assert r.status_code == 400 and "same file" in r.json()["error"]  # type: ignore[attr-defined]
    assert not list(episodes.glob("*.captions.*"))


# --- 3. an empty caption save --------------------------------------------------------------------


def test_an_empty_caption_save_needs_an_explicit_no_captions(example_week: Path) -> None:
    manifest = example_week.parent / "episodes" / f"{EPISODE}.yaml"
    before = manifest.read_bytes()
    client = _client(example_week)
    csrf = csrf_token(client, PAGE)
    version = _data(client)["version"]
    r = _post(client, f"/api/episodes/{EPISODE}/captions", {"version": version, "cues": []}, csrf)
    assert r.status_code == 422  # type: ignore[attr-defined]
    assert "ohne Untertitel" in r.json()["error"]  # type: ignore[attr-defined]
    assert manifest.read_bytes() == before and not list(manifest.parent.glob("*.captions.*"))
    body = {"version": version, "cues": [], "no_captions": True}
    r = _post(client, f"/api/episodes/{EPISODE}/captions", body, csrf)
    assert r.status_code == 200 and r.json()["saved"] is None  # type: ignore[attr-defined]
    assert "captions: {mode: off}" in manifest.read_text(encoding="utf-8")
    assert not list(manifest.parent.glob("*.captions.*"))  # no empty caption file
    cues = _data(client)["cues"]
    r = _post(client, f"/api/episodes/{EPISODE}/captions",
              {"version": _data(client)["version"], "cues": cues or [{"start_ms": 0, "end_ms": 900, "text": "x"}],
               "no_captions": True}, csrf)
    assert r.status_code == 422  # type: ignore[attr-defined]


# --- 5. symlinks, CRLF, BOM, anchors, indentation ------------------------------------------------


@pytest.mark.skipif(os.name == "nt", reason="symlinks and modes")
def test_saving_through_a_symlink_writes_the_shared_original_and_keeps_its_form(example_week: Path) -> None:
    episodes = example_week.parent / "episodes"
    link = episodes / f"{EPISODE}.yaml"
    shared = episodes / "shared.yaml"
    text = link.read_text(encoding="utf-8").replace('title: "Was', 'title: &titel "Was')  # an anchor nobody uses
    shared.write_bytes(codecs.BOM_UTF8 + text.replace("\n", "\r\n").encode("utf-8"))
    shared.chmod(0o640)
    link.unlink()
    link.symlink_to(shared.name)
    client = _client(example_week)
    assert _save(client, csrf_token(client, PAGE)).status_code == 200  # type: ignore[attr-defined]
    assert link.is_symlink() and os.readlink(link) == shared.name
    assert stat.S_IMODE(shared.stat().st_mode) == 0o640
    raw = shared.read_bytes()
    assert raw.startswith(codecs.BOM_UTF8)
    body = raw[len(codecs.BOM_UTF8) :].decode("utf-8")
    assert body.count("\r\n") == body.count("\n")  # every line end still CRLF
    assert 'title: &titel "Was ist Bürgergeld?"' in body
    assert "captions: {mode: file, file: shared.captions.srt}" in body
    assert (episodes / "shared.captions.srt").is_file()
    # every other line as it was, indentation included
    before = [line for line in text.splitlines() if not line.startswith("captions:")]
    after = [line for line in body.splitlines() if not line.startswith("captions:")]
    assert after == before


def test_a_save_without_change_leaves_the_manifest_byte_for_byte(example_week: Path) -> None:
    client = _client(example_week)
    csrf = csrf_token(client, PAGE)
    assert _save(client, csrf).status_code == 200  # type: ignore[attr-defined]
    manifest = example_week.parent / "episodes" / f"{EPISODE}.yaml"
    # An editor's own layout: four-space sequences, a comment; then the same cues again.
    text = manifest.read_text(encoding="utf-8").replace("\n  - ", "\n    - ").replace("\n    ", "\n      ")
    text = text.replace("\n      - source", "\n    - source")
    manifest.write_text(text + "# kept\n", encoding="utf-8")
    before = manifest.read_bytes()
    assert _save(client, csrf).status_code == 200  # type: ignore[attr-defined]
    assert manifest.read_bytes() == before


# --- 6. approvals name the content they saw ------------------------------------------------------


@pytest.mark.parametrize(("lang", "says"), [("de", "noch einmal ansehen"), ("en", "look again")])
def test_an_approval_of_content_that_changed_since_it_was_shown_is_refused(
    example_week: Path, lang: str, says: str
) -> None:
    client = _client(example_week, lang=lang)
    csrf = csrf_token(client, PAGE)
    seen = _data(client)["key"]
    srt = example_week.parent / "episodes" / TRANSCRIPT
    srt.write_text(srt.read_text(encoding="utf-8").replace("Bürgergeld", "Buergergeld", 1), encoding="utf-8")
    r = _post(client, f"/api/episodes/{EPISODE}/review", {"reviewer": "Anna", "decision": "approve", "key": seen},
              csrf)
    assert r.status_code == 409 and says in r.json()["error"]  # type: ignore[attr-defined]
    assert not rv.reviews_path(example_week).exists()
    assert _review(client, csrf, reviewer="Anna").status_code == 200  # type: ignore[attr-defined]
    assert _post(client, f"/api/episodes/{EPISODE}/review", {"reviewer": "Anna", "decision": "approve"},
                 csrf).status_code == 422  # type: ignore[attr-defined]


def test_the_page_sends_the_key_it_shows() -> None:
    js = (Path(__file__).resolve().parents[2] / "vidcoop" / "studio" / "static" / "episode.js").read_text("utf-8")
    assert "reviewer, decision, row, key," in js and "key = data.key" in js


# --- 7. reviewer names and rows ------------------------------------------------------------------


@pytest.mark.parametrize("name", ["   ", "\u200b", "\u200b \u2060\ufeff", "\u3164", "\t\n"])
def test_an_empty_or_invisible_reviewer_name_is_refused(example_week: Path, name: str) -> None:
    client = _client(example_week)
    r = _review(client, csrf_token(client, PAGE), reviewer=name)
    assert r.status_code == 422 and "Namen" in r.json()["error"]  # type: ignore[attr-defined]
    assert not rv.reviews_path(example_week).exists()


def test_one_person_counts_once_however_the_name_is_typed(example_week: Path) -> None:
    channel = example_week.parent / "channel" / "channel.yaml"
    channel.write_text(channel.read_text(encoding="utf-8") + "review: {approvals: 2}\n", encoding="utf-8")
    client = _client(example_week)
    csrf = csrf_token(client, PAGE)
    for name in ("Anna", "Anna\u200b", " ANNA ", "\uff21nna"):  # the last: a full-width A
        r = _review(client, csrf, reviewer=name)
        assert r.status_code == 200 and r.json()["status"] == "in review", name  # type: ignore[attr-defined]
        assert r.json()["approvals"] == 1  # type: ignore[attr-defined]
    assert {x.reviewer for x in rv.ReviewBook.for_week(example_week).reviews} == {"Anna", "ANNA"}
    assert _review(client, csrf, reviewer="Ben").json()["status"] == "approved"  # type: ignore[attr-defined]


def test_a_change_request_names_a_row_that_exists(example_week: Path) -> None:
    client = _client(example_week)
    csrf = csrf_token(client, PAGE)
    r = _review(client, csrf, BOARD, reviewer="Diakonie", decision="changes", row=9999999)
    assert r.status_code == 422 and "9999999" in r.json()["error"]  # type: ignore[attr-defined]
    r = _review(client, csrf, reviewer="Diakonie", decision="changes", row=2)  # the explainer has no rows
    assert r.status_code == 422  # type: ignore[attr-defined]
    assert not rv.reviews_path(example_week).exists()


def test_clean_name() -> None:
    assert rv.clean_name(" Anna\u200b  Maria\u00a0Schulz ") == "Anna Maria Schulz"
    assert rv.clean_name("\uff21nna") == "Anna"
    assert rv.clean_name("\u200b") == rv.clean_name("...") == ""
    assert rv.same_person("ANNA\u200d") == rv.same_person("anna")


# --- 8. media: only what the week uses -----------------------------------------------------------


def test_media_serves_only_the_weeks_media_never_hidden_files(example_week: Path) -> None:
    root = example_week.parent  # a week kept in a home folder
    (root / ".ssh").mkdir()
    (root / ".ssh" / "id_rsa").write_text("PRIVATE KEY", encoding="utf-8")
    (root / ".ssh" / "clip.mp4").write_bytes(b"\0" * 16)
    (root / "footage" / ".hidden.mp4").write_bytes(b"\0" * 16)
    (root / "unused.mp4").write_bytes((root / "footage" / "phone.mp4").read_bytes())
    (root / "footage" / "used.mp4").symlink_to(root / ".ssh" / "clip.mp4")
    (root / "footage" / "new.mp4").write_bytes((root / "footage" / "phone.mp4").read_bytes())
    client = _client(example_week)
    for bad in (".ssh/id_rsa", ".ssh/clip.mp4", "footage/.hidden.mp4", "unused.mp4", "footage/used.mp4",
                f"episodes/{EPISODE}.yaml", "week.yaml", f"episodes/{TRANSCRIPT}x"):
        r = client.get(f"/media/{bad}")
        assert r.status_code == 404, bad
        assert "PRIVATE" not in r.text
    assert client.get("/media/footage/interview.mp4").status_code == 200
    assert client.get(f"/media/episodes/{TRANSCRIPT}").status_code == 200  # its caption file
    # footage no episode uses yet is what the Rohschnitt view cuts from; a link into a hidden folder is not
    assert client.get("/media/footage/new.mp4").status_code == 200
    listed = [f["source"] for f in client.get(f"/api/episodes/{EPISODE}/roughcut").json()["footage"]]
    assert "footage/new.mp4" in listed and not [s for s in listed if ".ssh" in s]
    assert "Speichern ersetzt sie durch diesen Schnitt" in client.get(f"/episodes/{EPISODE}/roughcut").text


# --- 16. a broken reviews file -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "says"),
    [
        (json.dumps({"schema": "vidcoop.reviews", "version": 1, "reviews": [
            {"episode": EPISODE, "reviewer": None, "decision": "approve", "key": "k"}]}).encode(),
         "[reviews.0.reviewer]"),
        (json.dumps({"schema": "vidcoop.reviews", "version": 1, "reviews": []}).encode("utf-16"), "not UTF-8"),
    ],
)
def test_a_broken_reviews_file_is_named_in_one_line(
    example_week: Path, content: bytes, says: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.syspath_prepend(str(BATCH_FAKES))
    monkeypatch.setenv("VIDCOOP_BATCH_RENDER", "batch_fakes:fake_render")  # nothing renders for real
    client = _client(example_week)
    path = rv.reviews_path(example_week)
    path.write_bytes(content)
    for url in ("/", f"/episodes/{EPISODE}"):
        r = client.get(url)
        assert r.status_code == 422 and "<h1>" in r.text, url
        assert str(path) in r.text and says in r.text
    r = client.get("/api/week")
    assert r.status_code == 422 and str(path) in r.json()["error"] and says in r.json()["error"]
    batch = ["batch", str(example_week), "--approved-only", "--scheduler", "inline"]
    for args in (["status", str(example_week)], batch):
        with pytest.raises(SystemExit) as stop:
            main(args)
        assert stop.value.code != 0, args
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and err.startswith("vidcoop: error: ")
        assert str(path) in err and says in err, err
