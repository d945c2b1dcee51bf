"""The openai-whisper backend, through whisper's real checkpoint loading, with random weights.

No real openai-whisper checkpoint can be fetched here, so the test writes a
tiny, randomly initialised model in whisper's own checkpoint format (a dict
with ``dims`` and ``model_state_dict``, what ``whisper.load_model`` reads)
and checks that the adapter returns a well-formed transcript. With random
weights the words are nonsense; structure, types and times are what count.
"""

from __future__ import annotations

from dataclasses import asdict
from fractions import Fraction
from pathlib import Path

import pytest

from vidcoop.captions.model import Transcript
from vidcoop.captions.options import TranscribeOptions
from vidcoop.captions.transcribe import AudioSpan, transcribe, transcribe_spans
from vidcoop.errors import TranscriptionError

MEDIA = Path(__file__).resolve().parents[1] / "media"


@pytest.fixture(scope="module")
def random_checkpoint(tmp_path_factory: pytest.TempPathFactory) -> Path:
    torch = pytest.importorskip("torch")
    pytest.importorskip("whisper")
    from whisper.model import ModelDimensions, Whisper

    torch.manual_seed(0)
    dims = ModelDimensions(
        n_mels=80,  # what log_mel_spectrogram gives by default
        n_audio_ctx=1500,  # 30 s windows: fixed by whisper's audio pipeline
        n_audio_state=64,
        n_audio_head=2,
        n_audio_layer=1,
        n_vocab=51865,  # the multilingual tokenizer's size
        n_text_ctx=16,  # at most 8 tokens per window: random weights never stop on their own
        n_text_state=64,
        n_text_head=2,
        n_text_layer=1,
    )
    model = Whisper(dims)
    with torch.no_grad():
        for param in model.parameters():  # some are torch.empty: give every one real numbers
            torch.nn.init.normal_(param, std=0.02)
    path = tmp_path_factory.mktemp("ckpt") / "random-whisper.pt"
    torch.save({"dims": asdict(dims), "model_state_dict": model.state_dict()}, path)
    return path


@pytest.mark.slow
def test_random_checkpoint_gives_a_well_formed_transcript(random_checkpoint: Path, tmp_path: Path) -> None:
    import torch

    torch.manual_seed(1)  # whisper samples at temperature > 0: make the nonsense repeatable
    clip = MEDIA / "de_jobcenter.opus"
    opts = TranscribeOptions(backend="openai-whisper", model=str(random_checkpoint), beam_size=1, cache_dir=tmp_path)
    # A short span keeps the work small: random weights make whisper fall back through every temperature.
    span = AudioSpan(clip, Fraction(1, 2), Fraction(5, 2), Fraction(3))
    t = transcribe_spans([span], opts)
    assert isinstance(t, Transcript)
    assert (t.backend, t.model, t.language) == ("openai-whisper", str(random_checkpoint), "de")
    assert t.duration == 5
    assert t.segments, "whisper always emits something for speech, even with random weights"
    for seg in t.segments:
        assert isinstance(seg.text, str)
        assert isinstance(seg.start, Fraction) and isinstance(seg.end, Fraction)
        assert 3 <= seg.start <= seg.end <= 5
        for w in seg.words:
            assert isinstance(w.text, str) and w.text == w.text.strip() and w.text
            assert isinstance(w.start, Fraction) and isinstance(w.end, Fraction)
            assert seg.start <= w.start <= w.end <= seg.end
            assert 0.0 <= w.probability <= 1.0
    starts = [w.start for w in t.words]
    assert starts == sorted(starts)
    assert transcribe_spans([span], opts) == t  # second time from the JSON cache, identical


def test_broken_checkpoint_is_a_transcription_error(tmp_path: Path) -> None:
    torch = pytest.importorskip("torch")
    pytest.importorskip("whisper")
    bad = tmp_path / "bad.pt"
    torch.save({"model_state_dict": {}}, bad)
    opts = TranscribeOptions(backend="openai-whisper", model=str(bad), cache=False)
    with pytest.raises(TranscriptionError) as info:
        transcribe(MEDIA / "de_jobcenter.opus", opts)
    assert info.value.field == "model"


def test_named_model_without_download_fails_fast(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    pytest.importorskip("whisper")
    monkeypatch.setenv("VIDCOOP_CACHE_DIR", str(tmp_path))
    monkeypatch.delenv("VIDCOOP_ALLOW_DOWNLOAD", raising=False)
    with pytest.raises(TranscriptionError, match="downloads are off"):
        transcribe(MEDIA / "de_jobcenter.opus", TranscribeOptions(backend="openai-whisper", model="base"))
