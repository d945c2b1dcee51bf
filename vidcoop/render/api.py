"""The ``render()`` facade: plan, check, compile, run, write atomically.

One episode becomes one ffmpeg process. The output appears under its final
name only when ffmpeg has finished; a failure or an interrupt leaves no file
there and removes the temp file.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

from vidcoop.files import atomic_path
from vidcoop.media.runner import ProgressCallback, run_ffmpeg
from vidcoop.render.graph import CompileOptions, compile_render
from vidcoop.render.plan import RenderPlan, plan_episode
from vidcoop.render.profiles import Profile
from vidcoop.timeline.model import Episode


@dataclass(frozen=True)
class RenderOptions:
    """Choices about one render that are not part of the episode.

    Attributes:
        profile: Output profile name or object (default: the episode's).
        threads: ffmpeg threads (batch workers divide the machine's cores).
        crf, preset: Override the profile's x264 quality and speed.
    """

    profile: str | Profile | None = None
    threads: int | None = None
    crf: int | None = None
    preset: str | None = None


@dataclass(frozen=True)
class RenderResult:
    """What a render produced."""

    output: Path
    plan: RenderPlan
    command: tuple[str, ...]
    seconds: float

    @property
    def duration(self) -> Fraction:
        return self.plan.duration

    @property
    def frames(self) -> int:
        return self.plan.total_frames


def render(
    episode: Episode,
    output: str | Path,
    *,
    progress: ProgressCallback | None = None,
    options: RenderOptions | None = None,
    profile: str | Profile | None = None,
) -> RenderResult:
    """Render an episode to a vertical MP4 in one ffmpeg run.

    Args:
        episode: What to render (from a manifest or built in Python).
        output: The MP4 to write. Written atomically.
        progress: Called with :class:`~vidcoop.media.runner.Progress` while ffmpeg runs.
        options: Profile, threads and quality overrides.
        profile: Shortcut for ``options.profile``.

    Raises:
        ManifestError, MediaError: before ffmpeg starts, for bad input.
        RenderError: ffmpeg failed; carries the command and stderr tail.
    """
    opts = options or RenderOptions()
    started = time.monotonic()
    plan = plan_episode(episode, profile or opts.profile)
    if opts.crf is not None or opts.preset is not None:
        from dataclasses import replace

        plan = replace(plan, profile=plan.profile.with_quality(crf=opts.crf, preset=opts.preset))
    out = Path(output)
    compile_options = CompileOptions(threads=opts.threads)
    with atomic_path(out) as tmp:
        args = compile_render(plan, tmp, compile_options)
        run_ffmpeg(args, total=plan.duration, progress=progress, what=f"render of {out.name}")
    return RenderResult(out, plan, tuple(args), time.monotonic() - started)
