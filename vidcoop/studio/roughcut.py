"""The Rohschnitt view's plain code: the week's footage, transcription jobs, cut plans and the save.

Everything that is not page or endpoint lives in :mod:`vidcoop.roughcut` (sentences, suggestions,
clean edges, the manifest's ``segments:`` and the kept words as captions) and
:mod:`vidcoop.channel.cutsave` (the format's caption style and intro); this module finds the
footage a week may be cut from, runs each source's transcription once in a worker thread (the
page polls, nothing blocks) and turns what the page sends back into library calls.

Footage is the files of ``footage/`` beside the week manifest and of every folder the week's
episodes take sources from (the week names those folders through its episodes). Edges travel
to and from the page as whole frames of the output rate, so a one-frame nudge is exact.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path, PurePosixPath
from typing import Any

from vidcoop.captions.options import TranscribeOptions
from vidcoop.channel.cutsave import Speech, channel_speech, manifest_channel, speech_options
from vidcoop.engine.profiles import get_profile
from vidcoop.errors import VidcoopError, brief
from vidcoop.media.playback import playable
from vidcoop.roughcut import (
    CutOptions,
    RoughCut,
    SourceAudio,
    SourceTranscript,
    Suggestion,
    SuggestOptions,
    WordRange,
    corrected,
    cut_from_ranges,
    plan_cut,
    read_source,
    suggest,
)
from vidcoop.studio.week import JOBBOARD, EpisodeInfo, WeekView
from vidcoop.timing import to_frames

#: Files a source may be: video (and sound only, which a ``<video>`` plays too).
FOOTAGE_SUFFIXES = frozenset({".mp4", ".mov", ".m4v", ".webm", ".mkv", ".wav", ".mp3", ".m4a", ".flac", ".ogg",
                              ".opus"})
FOOTAGE_FOLDER = "footage"
#: The profile whose frame rate the cuts snap to (what ``vidcoop cut`` uses by default).
CUT_PROFILE = "final"


def cut_fps() -> Fraction:
    return Fraction(get_profile(CUT_PROFILE).fps)


def manifest_of(view: WeekView, info: EpisodeInfo) -> Path | None:
    """The episode's own manifest file, also while it does not load yet (``segments: []`` before the first cut).

    None for the job board and for an episode written inside the week manifest: those are not cut from footage.
    """
    if info.kind == JOBBOARD:
        return None
    if info.manifest is not None:
        return info.manifest
    assert view.week is not None
    entry = next((e for e in view.week.entries if e.field == info.field), None)
    return entry.path if entry is not None and entry.path is not None and entry.jobboard is None else None


@dataclass(frozen=True)
class Footage:
    """A file the week may be cut from: ``ref`` is its path below the week's folder (its ``/media/`` address)."""

    ref: str
    path: Path
    size: int


def footage_folders(view: WeekView) -> list[Path]:
    """``footage/`` beside the week, then the folders the week's episodes take sources from (resolved, once each)."""
    assert view.week is not None
    folders = [view.week.path.parent.resolve() / FOOTAGE_FOLDER]
    for info in view.items:
        for segment in info.episode.segments if info.episode is not None else ():
            if isinstance(segment.source, Path) and segment.kind == "body":
                folders.append(segment.source.resolve().parent)
    return [f for f in dict.fromkeys(folders) if f.is_dir()]


def footage_files(view: WeekView) -> list[Footage]:
    """Every footage file of the week, by folder and name; hidden files and files outside the week's tree left out."""
    assert view.week is not None
    root = view.week.path.parent.resolve()
    found: dict[Path, Footage] = {}
    for folder in footage_folders(view):
        for path in sorted(folder.iterdir()):
            real = path.resolve()
            if path.name.startswith(".") or real.suffix.lower() not in FOOTAGE_SUFFIXES or not real.is_file() \
                    or not real.is_relative_to(root) or real in found \
                    or any(part.startswith(".") for part in real.relative_to(root).parts):  # a link into .ssh/
                continue
            found[real] = Footage(real.relative_to(root).as_posix(), real, real.stat().st_size)
    return list(found.values())


def footage_path(view: WeekView, ref: str) -> Path | None:
    """The footage file ``ref`` names, or None when it is not one of :func:`footage_files` (no other file is read)."""
    if not ref or ref.startswith("/") or "\\" in ref or any(p in ("..", ".") for p in PurePosixPath(ref).parts):
        return None
    return next((f.path for f in footage_files(view) if f.ref == ref), None)


@dataclass
class SourceJob:
    """One source's transcription (through the render's cache) and its sound, as the page polls it."""

    path: Path
    state: str = "running"  # running, done, error
    started: float = field(default_factory=time.monotonic)
    took: float = 0.0
    error: str = ""
    transcript: SourceTranscript | None = None
    audio: SourceAudio | None = None
    play: Path | None = None  # what the browser plays: the file, or its playback copy (vidcoop.media.playback)
    play_error: str = ""  # why neither plays (the transcript is still there to cut by)
    suggestions: dict[Fraction, list[Suggestion]] = field(default_factory=dict)
    done: threading.Event = field(default_factory=threading.Event)

    def suggested(self, pause: Fraction) -> list[Suggestion]:
        """The suggestions with pauses longer than ``pause`` (computed once per threshold)."""
        assert self.transcript is not None and self.audio is not None
        if pause not in self.suggestions:
            self.suggestions[pause] = suggest(self.transcript, self.audio, SuggestOptions(pause=pause))
        return self.suggestions[pause]


def week_speech(view: WeekView) -> Speech | None:
    """Its channel's language and caption glossary, when the week's episodes share one channel (else None).

    The words the Rohschnitt view shows become the episode's captions, so they are transcribed as the
    channel's renders transcribe: its language, its terms, its fixed spellings. A channel that does not
    load counts as none here (the week page says what is wrong with it).
    """
    channels = {c for c in (_channel_of(view, i) for i in view.items) if c is not None}
    if len(channels) != 1:
        return None
    try:
        return channel_speech(channels.pop())
    except VidcoopError:
        return None


def _channel_of(view: WeekView, info: EpisodeInfo) -> Path | None:
    """The channel file an episode names, also while it does not load yet (before its first cut)."""
    if info.episode is not None:
        return Path(info.episode.channel).resolve() if info.episode.channel is not None else None
    manifest = manifest_of(view, info)
    try:
        return manifest_channel(manifest) if manifest is not None else None
    except VidcoopError:
        return None


class Sources:
    """The transcription jobs of one studio: one at a time in a worker thread, each source once."""

    def __init__(self, options: TranscribeOptions | None = None) -> None:
        self.options = options or TranscribeOptions()  # the defaults `vidcoop cut SOURCE` uses: one cache entry
        self.speech: Speech | None = None  # the week channel's language and glossary over ``options``
        self.jobs: dict[Path, SourceJob] = {}
        self.lock = threading.Lock()
        self.pool = ThreadPoolExecutor(1, thread_name_prefix="transcribe")

    def use(self, speech: Speech | None) -> None:
        """Transcribe with this language and glossary from now on; when they changed, every source afresh."""
        with self.lock:
            if speech != self.speech:
                self.speech = speech
                self.jobs = {}

    def transcribe_options(self) -> TranscribeOptions:
        """``options`` with the week channel's language and glossary, when there is one channel."""
        return speech_options(self.speech, self.options)

    def start(self, path: Path) -> SourceJob:
        """The job for ``path``, started unless it runs or is done (a failed one starts again)."""
        with self.lock:
            job = self.jobs.get(path)
            if job is not None and job.state != "error":
                return job
            job = self.jobs[path] = SourceJob(path)
        self.pool.submit(self._run, job)
        return job

    def get(self, path: Path) -> SourceJob | None:
        return self.jobs.get(path)

    def ready(self, path: Path) -> SourceJob:
        """The finished job for ``path``, waiting for it (a save names sources the page has seen transcribed)."""
        job = self.start(path)
        job.done.wait()
        return job

    def _run(self, job: SourceJob) -> None:
        try:
            job.transcript, job.audio = read_source(job.path, self.transcribe_options())
            try:  # a phone's HEVC or a camera's ProRes: a copy the browser plays, made once per file content
                job.play = playable(job.path)
            except VidcoopError as exc:
                job.play_error = brief(exc)
            job.state = "done"
        except Exception as exc:  # shown on the page; the server keeps running
            job.state, job.error = "error", brief(exc)
        finally:
            job.took = time.monotonic() - job.started
            job.done.set()

    def shutdown(self) -> None:
        self.pool.shutdown(wait=False, cancel_futures=True)


def job_state(job: SourceJob, pause: Fraction) -> dict[str, Any]:
    """What the page polls: the state, and once done the transcript (paragraphs of words) and the suggestions."""
    out: dict[str, Any] = {"state": job.state, "seconds": round(time.monotonic() - job.started, 1)}
    if job.state == "error":
        out["error"] = job.error
    if job.state == "done" and job.transcript is not None:
        out["seconds"] = round(job.took, 1)
        out["playback_copy"] = job.play is not None and job.play != job.path
        if job.play_error:
            out["play_error"] = job.play_error
        out["transcript"] = {k: v for k, v in job.transcript.to_dict().items() if k != "source"}
        out["suggestions"] = [s.to_dict() for s in job.suggested(pause)]
    return out


def plan_pieces(job: SourceJob, ref: str, ranges: Iterable[tuple[int, int]], accept: Iterable[str],
                pause: Fraction, fps: Fraction) -> list[dict[str, Any]]:
    """The kept word ranges of one source as pieces with the library's clean edges, in whole frames.

    Each piece is named by its first word (``id``), so the page keeps its place and nudges across plans.
    """
    assert job.transcript is not None and job.audio is not None
    keys = set(accept)
    accepted = [s for s in job.suggested(pause) if s.key in keys]
    keep = [WordRange(a, b) for a, b in sorted(ranges)]
    cut = plan_cut(job.transcript, job.audio, keep, accepted, CutOptions(fps=fps))
    index = {id(w): i for i, w in enumerate(job.transcript.words)}
    pieces = []
    for piece in cut.pieces:
        first = index[id(piece.words[0])] if piece.words else -1
        last = index[id(piece.words[-1])] if piece.words else -1
        pieces.append({"id": f"{ref}#{first}", "source": ref, "first": first, "last": last,
                       "start_frame": to_frames(piece.start, fps), "end_frame": to_frames(piece.end, fps),
                       "text": " ".join(w.text for w in piece.words)})
    return pieces


@dataclass(frozen=True)
class PieceEdit:
    """A piece as the page sends it back for saving: its source and its edges in whole frames."""

    source: Path
    start_frame: int
    end_frame: int


def cut_of(jobs: Mapping[Path, SourceJob], pieces: Sequence[PieceEdit], fps: Fraction,
           corrections: Mapping[Path, Mapping[int, str]] | None = None) -> RoughCut:
    """The page's pieces (in its order, after nudges and moves) as a rough cut; words retyped in the page carry over.

    Raises:
        ManifestError: no piece, or a piece that ends before it starts (field ``ranges.N``).
        CaptionError: a correction names no word of its source, or is empty.
    """
    transcripts = {}
    for path, job in jobs.items():
        assert job.transcript is not None
        texts = (corrections or {}).get(path)
        transcripts[path] = corrected(job.transcript, texts) if texts else job.transcript
    ranges = [(p.source, Fraction(p.start_frame) / fps, Fraction(p.end_frame) / fps) for p in pieces]
    return cut_from_ranges(transcripts, ranges, CutOptions(fps=fps))

