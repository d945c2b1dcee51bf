import json
import subprocess
import sys

import pytest
from click.testing import CliRunner

from vidcoop.cli.main import cli, main


def run_main(args, capsys):
    with pytest.raises(SystemExit) as exc:
        main(args)
    return exc.value.code, capsys.readouterr()


def test_help_lists_commands_without_heavy_imports():
    code = ("import sys, vidcoop.cli.main as m; from click.testing import CliRunner; "
            "r = CliRunner().invoke(m.cli, ['--help']); assert r.exit_code == 0, r.output; "
            "heavy = [x for x in ('av', 'numpy', 'PIL', 'faster_whisper', 'moviepy', 'pysubs2') if x in sys.modules]; "
            "print(heavy)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


@pytest.mark.slow
def test_render_command(landscape_clip, tmp_path):
    manifest = tmp_path / "ep.yaml"
    manifest.write_text(f"version: 1\ntitle: CLI\nsegments:\n  - source: {landscape_clip}\n    out: 1\n")
    result = CliRunner().invoke(cli, ["render", str(manifest), "--profile", "preview", "--quiet"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "ep.preview.mp4").is_file()
    assert "wrote" in result.output


def test_probe_json(landscape_clip):
    result = CliRunner().invoke(cli, ["probe", str(landscape_clip), "--json"])
    assert result.exit_code == 0
    data = json.loads(result.output)
    assert data["video"]["width"] == 640 and data["audio"][0]["sample_rate"] == 44100


def test_errors_are_one_line_and_exit_nonzero(tmp_path, capsys, monkeypatch):
    monkeypatch.delenv("VIDCOOP_DEBUG", raising=False)
    manifest = tmp_path / "ep.yaml"
    manifest.write_text("version: 1\nsegments:\n  - source: missing.mp4\n    colour: red\n")
    code, out = run_main(["render", str(manifest)], capsys)
    assert code == 1
    assert out.err.strip() == f"vidcoop: error: {manifest} [segments.0.colour]: unknown key 'colour' in segments.0"
    assert "Traceback" not in out.err


def test_debug_shows_traceback(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("VIDCOOP_DEBUG", "1")
    code, out = run_main(["probe", str(tmp_path / "none.mp4")], capsys)
    assert code == 1
    assert "Traceback" in out.err and "MediaError" in out.err


def test_public_api_names():
    import inspect

    import vidcoop
    import vidcoop.engine  # importing the engine must not hide the function
    from vidcoop.pipeline import render

    assert vidcoop.render is render and inspect.isfunction(render)
    for name in ("transcribe", "TranscribeOptions", "Transcript", "load_episode", "Episode", "load_channel"):
        assert getattr(vidcoop, name) is not None


@pytest.mark.slow
def test_vidcoop_render_is_callable(landscape_clip, tmp_path):
    import vidcoop

    seen = []
    result = vidcoop.render(vidcoop.Episode([vidcoop.Segment(landscape_clip, end=1)]), tmp_path / "o.mp4",
                            profile="preview", progress=seen.append)
    assert result.output.is_file() and seen[-1].done
