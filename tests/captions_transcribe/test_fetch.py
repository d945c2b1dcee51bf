"""``vidcoop models fetch``: the whole path against a hub on 127.0.0.1 (no network).

The server speaks the two endpoints a fetch uses, in the hub's layout: the
repository listing ``/api/models/{repo}/revision/main?blobs=true`` (sizes, git
blob ids, LFS SHA-256) and ``/{repo}/resolve/{commit}/{file}`` (with the hub's
``X-Repo-Commit``/``ETag`` headers, and a redirect for the large file as the
hub sends one to its CDN). Each test sets how it misbehaves.
"""

from __future__ import annotations

import hashlib
import http.server
import json
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import vidcoop.captions.offline as offline
from vidcoop.captions.fetch import FETCHABLE, FetchProgress, fetch_model, fetch_root, fetched_model
from vidcoop.captions.options import TranscribeOptions
from vidcoop.captions.transcribe import transcribe
from vidcoop.cli.main import main
from vidcoop.errors import TranscriptionError

REPO = FETCHABLE["small"].repo
COMMIT = "0123456789abcdef0123456789abcdef01234567"
FILES = {
    "config.json": b'{"alignment_heads": [], "lang_ids": [], "suppress_ids": []}\n',
    "tokenizer.json": b'{"model": {"vocab": {}}}\n',
    "vocabulary.txt": b"a\nb\nc\n",
    "model.bin": bytes(range(256)) * 4096,  # 1 MiB: several chunks, so progress moves
    "README.md": b"# not a model file: never fetched\n",
}
LFS = {"model.bin"}


def _git_blob(data: bytes) -> str:
    return hashlib.sha1(b"blob %d\0" % len(data) + data, usedforsecurity=False).hexdigest()


def _listing(files: dict[str, bytes], commit: str) -> dict[str, Any]:
    siblings = []
    for name, data in files.items():
        entry: dict[str, Any] = {"rfilename": name, "size": len(data), "blobId": _git_blob(data)}
        if name in LFS:
            entry["lfs"] = {"sha256": hashlib.sha256(data).hexdigest(), "size": len(data), "pointerSize": 134}
            entry["blobId"] = _git_blob(b"version https://git-lfs.github.com/spec/v1\n")
        siblings.append(entry)
    return {"id": REPO, "sha": commit, "siblings": siblings}


class FakeHub(http.server.ThreadingHTTPServer):
    daemon_threads = True
    mode = "ok"  # ok | corrupt | cut | sleep-api | sleep-file
    files = FILES
    commit = COMMIT
    requests: list[str]
    release: threading.Event


class _Handler(http.server.BaseHTTPRequestHandler):
    server: FakeHub

    def log_message(self, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        hub = self.server
        hub.requests.append(self.path)
        if self.path == f"/api/models/{REPO}/revision/main?blobs=true":
            if hub.mode == "sleep-api":
                hub.release.wait(30)  # accepts, never answers (until the test ends)
                return
            body = json.dumps(_listing(hub.files, hub.commit)).encode()
            self._send(200, body, {"Content-Type": "application/json"})
            return
        prefix = f"/{REPO}/resolve/{hub.commit}/"
        if self.path.startswith(prefix):
            name = self.path[len(prefix):]
            if name in LFS:  # the hub redirects large files to its CDN
                self.send_response(302)
                self.send_header("Location", f"/cdn/{name}")
                self.send_header("X-Repo-Commit", hub.commit)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            self._file(name)
            return
        if self.path.startswith("/cdn/"):
            self._file(self.path[len("/cdn/"):])
            return
        self._send(404, b"not found", {})

    def _file(self, name: str) -> None:
        hub = self.server
        data = hub.files.get(name)
        if data is None:
            self._send(404, b"", {})
            return
        headers = {"X-Repo-Commit": hub.commit, "ETag": f'"{hashlib.sha256(data).hexdigest()}"'}
        if name == "model.bin" and hub.mode == "corrupt":
            data = data[:-1] + b"\x00"  # same size, one byte changed
        if name == "model.bin" and hub.mode in ("cut", "sleep-file"):
            self.send_response(200)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data[: len(data) // 2])
            self.wfile.flush()
            if hub.mode == "sleep-file":
                hub.release.wait(30)
            self.close_connection = True
            return
        self._send(200, data, headers)

    def _send(self, status: int, body: bytes, headers: dict[str, str]) -> None:
        self.send_response(status)
        for key, value in headers.items():
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture
def hub(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[FakeHub]:
    monkeypatch.setenv("VIDCOOP_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)
    server = FakeHub(("127.0.0.1", 0), _Handler)
    server.requests = []
    server.release = threading.Event()
    monkeypatch.setenv("HF_ENDPOINT", f"http://127.0.0.1:{server.server_address[1]}")
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.release.set()
        server.shutdown()
        server.server_close()
        thread.join(5)


def _nothing_stored() -> None:
    root = fetch_root()
    assert fetched_model("small") is None
    assert not (root / "small").exists()
    if root.exists():  # the hub's listing came before anything was made
        assert [p.name for p in root.iterdir() if not p.name.endswith(".lock")] == []


def test_fetch_verifies_stores_and_then_resolves_offline(hub: FakeHub) -> None:
    seen: list[FetchProgress] = []
    found = fetch_model("small", progress=seen.append)
    assert found.path == fetch_root() / "small"
    assert found.commit == COMMIT and found.repo == REPO
    stored = {p.name for p in found.path.iterdir()}
    assert stored == {"config.json", "tokenizer.json", "vocabulary.txt", "model.bin", "vidcoop-model.json"}
    for name in stored - {"vidcoop-model.json"}:
        assert (found.path / name).read_bytes() == FILES[name]
    assert f"/{REPO}/resolve/{COMMIT}/README.md" not in hub.requests
    assert "/cdn/model.bin" in hub.requests  # the redirect was followed
    # Progress: bytes of all files, never backwards, ending at all of them.
    total = sum(len(FILES[n]) for n in stored - {"vidcoop-model.json"})
    assert all(p.total == total for p in seen)
    assert [p.done for p in seen] == sorted(p.done for p in seen)
    assert seen[-1].fraction == 1.0 and len({p.file for p in seen}) == 4
    # The hub goes away: `captions: {model: small}` finds the fetched model without it.
    hub.shutdown()
    resolved = offline.resolve_model("small")
    assert resolved.path == found.path
    assert resolved.identity == f"fetched:{REPO}@{COMMIT}:{hashlib.sha256(FILES['model.bin']).hexdigest()}"


def test_cli_shows_progress_and_where_it_stored(hub: FakeHub, capsys: pytest.CaptureFixture[str]) -> None:
    main(["models"])  # listing asks no hub
    before = capsys.readouterr().out
    assert "can be fetched" in next(row for row in before.splitlines() if " small " in row)
    assert " medium " in before and " large-v3-turbo " in before and hub.requests == []
    main(["models", "fetch", "small"])
    out, err = capsys.readouterr()
    assert "fetching small:   0 %" in err and "fetching small: 100 %" in err
    assert f"stored small (1 MB, {REPO} at {COMMIT[:12]}) in {fetch_root() / 'small'}" in out
    main(["models"])
    listing = capsys.readouterr().out
    line = next(row for row in listing.splitlines() if " small " in row)
    assert "fetched" in line


def test_checksum_mismatch_is_one_line_and_stores_nothing(
    hub: FakeHub, capsys: pytest.CaptureFixture[str]
) -> None:
    hub.mode = "corrupt"
    with pytest.raises(SystemExit) as code:
        main(["models", "fetch", "small"])
    assert code.value.code == 1
    err_lines = [line for line in capsys.readouterr().err.splitlines() if not line.startswith("fetching small:")]
    assert err_lines == [
        "vidcoop: error: [model] model.bin of 'small' does not match the hub's checksum "
        "(a proxy or the disk damaged it; run the fetch again; nothing was stored)"
    ]
    _nothing_stored()
    with pytest.raises(TranscriptionError, match="not on this machine") as info:
        offline.resolve_model("small")
    assert "fetch it once with: vidcoop models fetch small" in str(info.value)


def test_an_interrupted_download_leaves_the_earlier_model_in_use(hub: FakeHub) -> None:
    first = fetch_model("small")
    before = (first.path / "vidcoop-model.json").read_bytes()
    # The same commit again: only the listing is asked for.
    hub.requests.clear()
    assert fetch_model("small") == first and hub.requests == [f"/api/models/{REPO}/revision/main?blobs=true"]
    # A new commit on the hub, and its download breaks off.
    hub.commit = "fedcba9876543210fedcba9876543210fedcba98"
    hub.mode = "cut"
    with pytest.raises(TranscriptionError, match=r"broke off at 524288 of 1048576 bytes"):
        fetch_model("small")
    # The complete earlier fetch is untouched; no half-written folder is left beside it.
    assert (first.path / "model.bin").read_bytes() == FILES["model.bin"]
    assert (first.path / "vidcoop-model.json").read_bytes() == before
    assert offline.resolve_model("small").path == first.path
    assert sorted(p.name for p in fetch_root().iterdir()) == [".small.lock", "small"]
    # The next complete download replaces it in one rename; nothing of the old one is left.
    hub.mode = "ok"
    assert fetch_model("small").commit == hub.commit
    assert offline.resolve_model("small").identity.startswith(f"fetched:{REPO}@{hub.commit}:")
    assert sorted(p.name for p in fetch_root().iterdir()) == [".small.lock", "small"]


def test_an_interrupted_first_download_stores_nothing(hub: FakeHub) -> None:
    hub.mode = "cut"
    with pytest.raises(TranscriptionError, match="broke off"):
        fetch_model("small")
    _nothing_stored()


@pytest.mark.parametrize("mode", ["sleep-api", "sleep-file"])
def test_a_hub_that_does_not_answer_fails_in_time(
    hub: FakeHub, mode: str, capsys: pytest.CaptureFixture[str]
) -> None:
    hub.mode = mode
    port = hub.server_address[1]
    started = time.monotonic()
    with pytest.raises(SystemExit):
        main(["models", "fetch", "small", "--timeout", "1"])
    assert time.monotonic() - started < 10
    err_lines = [line for line in capsys.readouterr().err.splitlines() if not line.startswith("fetching small:")]
    assert err_lines == [
        f"vidcoop: error: [model] no answer from 127.0.0.1:{port} within 1 s while fetching 'small' "
        "(check the network, or allow more time with VIDCOOP_FETCH_TIMEOUT; nothing was stored)"
    ]
    _nothing_stored()


def test_a_killed_fetchs_leftover_is_never_used_and_is_removed(hub: FakeHub) -> None:
    root = fetch_root()
    leftover = root / ".small.part-killed"
    leftover.mkdir(parents=True)
    (leftover / "model.bin").write_bytes(FILES["model.bin"][:100])
    with pytest.raises(TranscriptionError, match="not on this machine"):
        offline.resolve_model("small")
    fetch_model("small")
    assert not leftover.exists()


def test_a_fetched_folder_cut_short_is_not_used(hub: FakeHub) -> None:
    found = fetch_model("small")
    with open(found.path / "model.bin", "r+b") as fh:
        fh.truncate(10)
    assert fetched_model("small") is None


def test_a_full_disk_is_one_line_and_stores_nothing(
    hub: FakeHub, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import errno
    import os

    def full(fd: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr("vidcoop.captions.fetch.os.fsync", full)
    with pytest.raises(SystemExit):
        main(["models", "fetch", "small"])
    err = [line for line in capsys.readouterr().err.splitlines() if not line.startswith("fetching small:")]
    assert len(err) == 1 and "cannot store 'small' (No space left on device); nothing was stored" in err[0], err
    _nothing_stored()


def test_hub_offline_mode_is_respected(hub: FakeHub, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    with pytest.raises(TranscriptionError, match="HF_HUB_OFFLINE is set, so 'small' is not fetched"):
        fetch_model("small")
    assert hub.requests == []


def test_unknown_name_and_nothing_asked(hub: FakeHub) -> None:
    with pytest.raises(TranscriptionError, match=r"unknown model to fetch .huge. \(known: large-v3-turbo, medium"):
        fetch_model("huge")
    assert hub.requests == []


@pytest.mark.slow
@pytest.mark.whisper
@pytest.mark.skipif(not offline.base_installed(), reason="needs vidcoop[offline-models]")
def test_a_fetched_model_transcribes_offline(
    hub: FakeHub, model_cache_root: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Real weights through the whole path: the hub serves the base model's files as "small"."""
    fetch_cache = tmp_path / "cache"
    monkeypatch.setenv("VIDCOOP_CACHE_DIR", str(model_cache_root))
    base = offline.resolve_model("base").path
    monkeypatch.setenv("VIDCOOP_CACHE_DIR", str(fetch_cache))
    hub.files = {p.name: p.read_bytes() for p in base.iterdir() if p.name != "vidcoop-model.json"}
    fetch_model("small")
    hub.shutdown()  # offline from here
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    t = transcribe(Path(__file__).resolve().parents[1] / "media" / "de_jobcenter.opus",
                   TranscribeOptions(model="small", language="de", cache_dir=tmp_path / "transcripts"))
    assert t.model == "small"
    assert "Bürgergeld" in t.text and "Antrag ist kostenlos" in t.text, t.text
