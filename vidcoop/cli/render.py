"""``vidcoop render EPISODE.yaml``."""

from __future__ import annotations

from pathlib import Path

import click

from vidcoop.cli._echo import say, warn


@click.command()
@click.argument("episode", type=click.Path(path_type=Path))
@click.option("-o", "--output", type=click.Path(path_type=Path), help="Output MP4 (default: beside the manifest).")
@click.option("--profile", default=None, help="Output profile: final (1080x1920) or preview (540x960).")
@click.option("--threads", type=click.IntRange(1, 64), default=None, help="ffmpeg threads, 1..64 (default: all cores).")
@click.option("--quiet", is_flag=True, help="No progress bar.")
def render(episode: Path, output: Path | None, profile: str | None, threads: int | None, quiet: bool) -> None:
    """Render an episode manifest to a vertical MP4 in one ffmpeg pass."""
    from vidcoop.cli._progress import progress_bar
    from vidcoop.engine import RenderOptions, get_profile
    from vidcoop.outputs import same_file
    from vidcoop.pipeline import render as do_render
    from vidcoop.timeline.manifest import load_episode

    ep = load_episode(episode)
    prof = get_profile(profile or ep.profile)
    declared = ep.extra.get("output")
    out = output or default_output(declared if isinstance(declared, Path) else None, episode, prof.suffix)
    with progress_bar(f"render {out.name}", enabled=not quiet) as callback:
        result = do_render(ep, out, progress=callback, options=RenderOptions(profile=prof, threads=threads))
    say(f"wrote {result.output} ({float(result.duration):.2f}s, {result.frames} frames, {result.seconds:.1f}s wall)")
    for line in result.warnings:
        warn(line)
    own = ep.captions.path
    if own is not None and any(same_file(p, own) for p in result.captions):
        say(f"kept {own} as the caption sidecar: it is the episode's own caption file, never rewritten")


def default_output(declared: Path | None, manifest: Path, suffix: str) -> Path:
    """The manifest's ``output``, else ``<manifest>.mp4``; the profile suffix goes before ``.mp4``.

    Raises:
        OutputError: the manifest's ``output`` leaves the manifest's folder (``-o`` may).
    """
    from vidcoop.outputs import inside_project

    base = inside_project(declared, manifest) if declared else manifest.with_suffix(".mp4")
    return base.with_name(base.stem + suffix + ".mp4") if suffix else base
