"""``vidcoop status``, ``vidcoop studio`` and ``vidcoop batch --approved-only`` in-process."""

from __future__ import annotations

import json
import threading
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from vidcoop.cli.main import cli
from vidcoop.review import book as rv
from vidcoop.studio.week import WeekView

from .conftest import EPISODE
from .serving import free_port

BOARD = "stellenboerse-kw48"
BATCH_FAKES = Path(__file__).resolve().parents[1] / "batch"


def _approve(week: Path, name: str, who: str = "Anna") -> None:
    info = WeekView.open(week).get(name)
    assert info is not None
    rv.ReviewBook.for_week(week).add(rv.Review(episode=name, reviewer=who, decision=rv.APPROVE, key=info.key))


def test_status_table_and_json(example_week: Path) -> None:
    _approve(example_week, EPISODE)
    result = CliRunner().invoke(cli, ["status", str(example_week), "--json"])
    assert result.exit_code == 0, result.output
    rows = {r["name"]: r for r in json.loads(result.output)["episodes"]}
    assert rows[EPISODE]["status"] == "approved" and (rows[EPISODE]["approvals"], rows[EPISODE]["required"]) == (1, 1)
    assert rows[BOARD]["status"] == "not rendered" and rows[BOARD]["format"] == "stellenboerse"
    assert json.loads(result.output)["warnings"] == ["erklaervideo: 1 of 2 planned this week"]
    days = json.loads(result.output)["plan"]
    assert [p["episode"] for d in days for p in d["posts"]] == [EPISODE, BOARD]
    table = CliRunner().invoke(cli, ["status", str(example_week)])
    assert table.exit_code == 0
    assert f"Tue 2026-11-24  17:00  {EPISODE} (approved)" in table.output
    assert "warning: erklaervideo: 1 of 2 planned this week" in table.output
    assert "approved" in table.output and "21.5s" in table.output and "1/1" in table.output
    assert "[green]" not in table.output


def test_batch_approved_only_renders_only_current_approvals(
    example_week: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.syspath_prepend(str(BATCH_FAKES))
    monkeypatch.setenv("VIDCOOP_BATCH_RENDER", "batch_fakes:fake_render")
    from vidcoop.batch import BatchOptions, run_batch

    _approve(example_week, EPISODE)
    options = BatchOptions(scheduler="inline", approved_only=True)
    report = run_batch(example_week, options)
    status = {e.name: e.status for e in report.episodes}
    assert status == {EPISODE: "rendered", BOARD: "awaiting review"}
    assert report.ok
    from vidcoop.batch.manifest import load_week

    output = load_week(example_week).output
    assert (output / f"{EPISODE}.mp4").is_file()
    assert not (output / f"{BOARD}.mp4").exists()


def _fake_server(served: list[tuple[object, str, int, object]]) -> object:
    def run(app: object, host: str, port: int, sock: object = None) -> None:
        bound = sock.getsockname()[1] if sock is not None else None  # type: ignore[attr-defined]
        served.append((app, host, port, bound))

    return run


def test_studio_command_prints_the_url_and_a_token_for_other_hosts(
    example_week: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    served: list[tuple[object, str, int, object]] = []
    monkeypatch.setattr("vidcoop.studio.app.run_server", _fake_server(served))
    opened: list[str] = []
    monkeypatch.setattr("webbrowser.open", opened.append)
    port = free_port()
    local = CliRunner().invoke(cli, ["studio", str(example_week), "--port", str(port)])
    assert local.exit_code == 0, local.output
    assert f"http://127.0.0.1:{port}/" in local.output and "token" not in local.output
    assert opened == [f"http://127.0.0.1:{port}/"]
    remote = CliRunner().invoke(cli, ["studio", str(example_week), "--host", "0.0.0.0", "--no-open", "--lang", "en",
                                      "--port", "0"])
    assert remote.exit_code == 0, remote.output
    assert "http://0.0.0.0:" in remote.output and "/?token=" in remote.output and len(opened) == 1


def test_studio_port_0_prints_and_opens_the_port_it_got(example_week: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    served: list[tuple[object, str, int, object]] = []
    monkeypatch.setattr("vidcoop.studio.app.run_server", _fake_server(served))
    opened: list[str] = []
    monkeypatch.setattr("webbrowser.open", opened.append)
    result = CliRunner().invoke(cli, ["studio", str(example_week), "--port", "0"])
    assert result.exit_code == 0, result.output
    ((_app, _host, port, bound),) = served
    assert port != 0 and bound == port  # the socket the server gets is bound to the printed port
    assert f"vidcoop studio: http://127.0.0.1:{port}/" in result.output and ":0/" not in result.output
    assert opened == [f"http://127.0.0.1:{port}/"]


def test_studio_on_a_taken_port_is_one_line_and_opens_nothing(
    example_week: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import socket

    from vidcoop.cli.main import main

    def no_server(*args: object, **kwargs: object) -> None:
        raise AssertionError("the server must not start on a port another program holds")

    monkeypatch.setattr("vidcoop.studio.app.run_server", no_server)
    opened: list[str] = []
    monkeypatch.setattr("webbrowser.open", opened.append)
    with socket.socket() as other:  # another program's page
        other.bind(("127.0.0.1", 0))
        other.listen()
        port = other.getsockname()[1]
        with pytest.raises(SystemExit) as info:
            main(["studio", str(example_week), "--port", str(port)])
    out = capsys.readouterr()
    assert info.value.code == 1
    assert opened == [] and "http://" not in out.out
    assert len(out.err.strip().splitlines()) == 1, out.err
    assert f"cannot listen on 127.0.0.1:{port}: another program uses this port" in out.err and "--port 0" in out.err


def test_studio_serves_on_the_port_it_printed(example_week: Path, tmp_path: Path) -> None:
    """End to end: `vidcoop studio --port 0` in its own process answers on the address it printed."""
    import os
    import signal
    import subprocess
    import sys
    import urllib.request

    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    command = [sys.executable, "-c", "from vidcoop.cli.main import main; main()",
               "studio", str(example_week), "--port", "0", "--no-open"]
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline().decode()
        assert line.startswith("vidcoop studio: http://127.0.0.1:") and ":0/" not in line, line
        url = line.split(": ", 1)[1].strip()
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(url, timeout=10) as page:
                    assert page.status == 200
                    break
            except OSError:
                if time.monotonic() > deadline or proc.poll() is not None:
                    raise
                time.sleep(0.2)
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def test_a_broken_week_is_one_line(tmp_path: Path) -> None:
    week = tmp_path / "week.yaml"
    week.write_text("version: 1\nepisodes: 3\n", encoding="utf-8")
    from vidcoop.cli.main import main

    with pytest.raises(SystemExit) as exc:
        main(["status", str(week)])
    assert exc.value.code == 1


def test_stopping_the_server_stops_a_running_preview(example_week: Path) -> None:
    pytest.importorskip("starlette")
    from starlette.testclient import TestClient

    from vidcoop.studio.app import create_app

    app = create_app(example_week)
    studio = app.state.studio
    with TestClient(app, base_url="http://127.0.0.1") as client:
        page = client.get(f"/episodes/{EPISODE}").text
        csrf = page.split('name="csrf-token" content="', 1)[1].split('"', 1)[0]
        state = client.post(f"/api/episodes/{EPISODE}/preview", headers={"X-CSRF-Token": csrf}).json()
        assert state["state"] == "running"
        deadline = time.monotonic() + 120
        while studio.previews.jobs[EPISODE].fraction <= 0 and time.monotonic() < deadline:
            time.sleep(0.2)  # ffmpeg is encoding
        preview = studio.previews.jobs[EPISODE].path
    # leaving the block is the server's shutdown: the render stops, nothing lands in the cache
    assert studio.previews.jobs[EPISODE].state == "error"
    assert not preview.exists()
    assert not list(preview.parent.glob(".*.part*"))
    assert not [t for t in threading.enumerate() if t.name.startswith("preview")]
