import pytest

from vidcoop.files import atomic_path, atomic_write_text, stable_hash


def test_atomic_write_replaces_only_when_complete(tmp_path):
    target = tmp_path / "out.txt"
    atomic_write_text(target, "old")
    with pytest.raises(RuntimeError), atomic_path(target) as tmp:
        tmp.write_text("half")
        raise RuntimeError("crash")
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["out.txt"]  # temp file cleaned up


def test_atomic_path_keeps_suffix_for_tools(tmp_path):
    with atomic_path(tmp_path / "video.mp4") as tmp:
        assert tmp.suffix == ".mp4"
        assert tmp.parent == tmp_path
        tmp.write_bytes(b"x")
    assert (tmp_path / "video.mp4").read_bytes() == b"x"


def test_stable_hash_ignores_dict_order():
    assert stable_hash({"a": 1, "b": 2}) == stable_hash({"b": 2, "a": 1})
    assert stable_hash({"a": 1}) != stable_hash({"a": 2})


def test_atomic_outputs_get_ordinary_permissions(tmp_path):
    import os
    import stat

    from vidcoop.files import _umask

    out = atomic_write_text(tmp_path / "report.json", "{}")
    assert stat.S_IMODE(os.stat(out).st_mode) == 0o666 & ~_umask()


def test_a_live_writers_temp_file_is_never_removed_a_dead_ones_is(tmp_path):
    from vidcoop.files import remove_stale_parts

    target = tmp_path / "ep.mp4"
    stale = tmp_path / ".ep.abcd1234.part.mp4"  # left by a killed run: nobody holds its lock
    stale.write_bytes(b"half")
    other = tmp_path / ".ep2.abcd1234.part.mp4"  # another output's temp file
    other.write_bytes(b"half")
    with atomic_path(target) as live:
        assert not stale.exists()  # cleared when the new write began
        remove_stale_parts(tmp_path, ".ep.", ".part.mp4")  # a second run looking at the folder
        assert live.exists()  # locked by this writer, so left alone
        live.write_bytes(b"done")
    assert target.read_bytes() == b"done"
    assert other.exists()


def test_atomic_path_refuses_folders_and_devices(tmp_path):
    import os

    from vidcoop.errors import OutputError

    with pytest.raises(OutputError, match="folder"), atomic_path(tmp_path):
        pass
    if os.path.exists("/dev/null"):
        with pytest.raises(OutputError, match="special file"), atomic_path("/dev/null"):
            pass
    (tmp_path / "file").write_text("x")
    with pytest.raises(OutputError, match="cannot write"), atomic_path(tmp_path / "file" / "below.txt"):
        pass


def test_work_folders_of_dead_processes_are_removed(tmp_path):
    import os
    import subprocess
    import sys

    from vidcoop.files import remove_dead_work_dirs, work_dir

    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    dead = tmp_path / f"vidcoop-render-{int(gone.stdout)}-abc_12"
    live = tmp_path / f"vidcoop-render-{os.getpid()}-abc_12"
    unrelated = tmp_path / "vidcoop-notes"
    for folder in (dead, live, unrelated):
        folder.mkdir()
    assert remove_dead_work_dirs(tmp_path) == [dead]
    assert live.exists() and unrelated.exists()
    with work_dir("render") as work:
        assert work.name.startswith(f"vidcoop-render-{os.getpid()}-")
    assert not work.exists()


def test_images_are_written_whole_or_not_at_all(tmp_path):
    from PIL import Image

    from vidcoop.files import atomic_save_image

    out = atomic_save_image(Image.new("RGB", (8, 8), "red"), tmp_path / "c.jpg", "JPEG", quality=90)
    with Image.open(out) as img:
        assert img.size == (8, 8)


def test_a_cache_folder_that_cannot_be_made_names_itself_and_the_setting(tmp_path, monkeypatch):
    from vidcoop.errors import OutputError
    from vidcoop.files import cache_dir

    blocker = tmp_path / "cache-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("VIDCOOP_CACHE_DIR", str(blocker))
    with pytest.raises(OutputError) as info:
        cache_dir("faces")
    assert info.value.path == str(blocker / "faces")
    assert "a file is in the way" in str(info.value) and f"VIDCOOP_CACHE_DIR={blocker}" in str(info.value)


def test_a_read_only_user_cache_names_the_folder_and_the_setting(small_disk, monkeypatch):
    from vidcoop.errors import OutputError
    from vidcoop.files import cache_dir

    disk = small_disk(64, read_only=True)
    monkeypatch.delenv("VIDCOOP_CACHE_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(disk))
    with pytest.raises(OutputError) as info:
        cache_dir("cards")
    assert info.value.path == str(disk / "vidcoop" / "cards")
    assert "Read-only" in str(info.value) and "set VIDCOOP_CACHE_DIR" in str(info.value)


def test_the_cli_names_an_unusable_cache_in_one_line(tmp_path, monkeypatch, capsys):
    from pathlib import Path

    from vidcoop.cli.main import main

    blocker = tmp_path / "cache-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("VIDCOOP_CACHE_DIR", str(blocker))
    example = Path(__file__).resolve().parents[2] / "examples" / "episodes" / "was-ist-buergergeld.yaml"
    with pytest.raises(SystemExit) as info:
        main(["check", str(example)])  # the channel's bumpers are cached
    err = capsys.readouterr().err
    assert info.value.code == 1 and len(err.strip().splitlines()) == 1, err
    assert "cache folder" in err and "VIDCOOP_CACHE_DIR" in err and "internal error" not in err
