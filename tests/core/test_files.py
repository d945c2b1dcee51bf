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
