"""A stand-in render function for batch tests (selected via VIDCOOP_BATCH_RENDER).

It behaves like the real facade where the batch cares: it probes every
source (so a broken file raises MediaError), raises typed errors on demand,
reports progress, optionally takes its time, and writes its output
atomically -- the bytes are a JSON description of what it rendered, so tests
can check which inputs an output was made from.
"""

from __future__ import annotations

import json
import os
import time
from fractions import Fraction
from pathlib import Path
from typing import Any

from vidcoop.errors import PolicyError, RenderError
from vidcoop.files import atomic_path, file_sha256
from vidcoop.media.probing import probe
from vidcoop.media.runner import Progress, run_ffmpeg

SLEEP_ENV = "VIDCOOP_FAKE_SLEEP"
LOG_ENV = "VIDCOOP_FAKE_LOG"
FFMPEG_ENV = "VIDCOOP_FAKE_FFMPEG"
PAD_ENV = "VIDCOOP_FAKE_PAD"


def fake_render(episode: Any, output: str | Path, *, progress: Any = None, options: Any = None,
                profile: Any = None) -> Any:
    out = Path(output)
    for seg in episode.segments:
        probe(seg.source)
    if episode.title == "policy-violation":
        raise PolicyError("partner bumper in a format without partner slots", episode=episode.name,
                          format=episode.format or "erklaervideo", rule="no-partner-slots", field="segments.0")
    if episode.title == "ffmpeg-fails":
        raise RenderError("render failed (exit 1): boom", command=["ffmpeg", "-i", "x"], stderr_tail="boom",
                          returncode=1)
    sleep = float(os.environ.get(SLEEP_ENV, "0") or 0)
    with atomic_path(out) as tmp:
        if os.environ.get(FFMPEG_ENV) and sleep:
            # A real ffmpeg that runs for `sleep` seconds, so fault tests can see it die with its parent.
            run_ffmpeg(["-loglevel", "error", "-re", "-f", "lavfi", "-i", f"color=s=16x16:r=10:d={sleep}",
                        "-f", "null", "-"], what="fake render")
            sleep = 0
        steps = 5
        for i in range(steps):
            if sleep:
                time.sleep(sleep / steps)
            if progress is not None:
                progress(Progress(Fraction(i + 1), Fraction(steps)))
        body = {
            "episode": episode.name,
            "profile": getattr(options, "profile", None) or profile,
            "threads": getattr(options, "threads", None),
            "sources": {seg.source.name: file_sha256(seg.source) for seg in episode.segments},
            "pid": os.getpid(),
            "pad": "x" * int(os.environ.get(PAD_ENV, "0") or 0),  # to fill a small disk
        }
        tmp.write_text(json.dumps(body), encoding="utf-8")
    log = os.environ.get(LOG_ENV)
    if log:
        with open(log, "a", encoding="utf-8") as fh:
            fh.write(f"{episode.name}:{body['profile']}\n")
    if episode.title == "left-out-speech":  # as RenderResult carries them
        from types import SimpleNamespace

        return SimpleNamespace(output=out, warnings=("captions: no captions at 1.0-2.0s: [sic] check it",))
    return out
