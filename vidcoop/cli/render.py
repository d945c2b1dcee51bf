"""``vidcoop render EPISODE.yaml``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from vidcoop.cli._echo import say, warn


@click.command()
@click.argument("episode", type=click.Path(path_type=Path))
@click.option("-o", "--output", type=click.Path(path_type=Path),
              help="Output MP4 (default: beside the manifest); other shapes go beside it as NAME.4x5.mp4.")
@click.option("--profile", default=None, help="Output profile: final (1080x1920) or preview (540x960).")
@click.option("--shape", "shapes", multiple=True, metavar="SHAPE",
              help="Picture shape: 9:16, 4:5, 1:1, 16:9; repeat it or give a list (--shape 9:16,1:1): "
                   "all come from one ffmpeg run (default: the manifest's renditions:, else 9:16).")
@click.option("--changed-only", is_flag=True,
              help="Skip shapes whose output is up to date (the key in its report matches the inputs).")
@click.option("--threads", type=click.IntRange(1, 64), default=None, help="ffmpeg threads, 1..64 (default: all cores).")
@click.option("--quiet", is_flag=True, help="No progress bar.")
def render(episode: Path, output: Path | None, profile: str | None, shapes: tuple[str, ...], changed_only: bool,
           threads: int | None, quiet: bool) -> None:
    """Render an episode manifest to a vertical MP4 (or several picture shapes) in one ffmpeg pass."""
    from vidcoop.cli._progress import progress_bar
    from vidcoop.engine import RenderOptions, get_profile
    from vidcoop.errors import ManifestError
    from vidcoop.outputs import same_file
    from vidcoop.pipeline import render as do_render
    from vidcoop.pipeline import render_renditions
    from vidcoop.shapes import DEFAULT_SHAPE, parse_shapes, shape_output
    from vidcoop.timeline.manifest import load_episode
    from vidcoop.timeline.model import episode_shapes

    try:
        wanted = parse_shapes(shapes)
    except ValueError as exc:
        raise ManifestError(str(exc), field="--shape") from None
    ep = load_episode(episode)
    wanted = wanted or episode_shapes(ep) or (DEFAULT_SHAPE,)  # --shape, else the manifest's renditions:
    prof = get_profile(profile or ep.profile)
    declared = ep.extra.get("output")
    out = output or default_output(declared if isinstance(declared, Path) else None, episode, prof.suffix)
    options = RenderOptions(profile=prof, threads=threads)
    if wanted == (DEFAULT_SHAPE,) and not changed_only:
        with progress_bar(f"render {out.name}", enabled=not quiet) as callback:
            results = [do_render(ep, out, progress=callback, options=options)]
    else:
        first = out if len(wanted) == 1 else None  # one shape: -o (or the default name) as it is
        outputs = {shape: first or shape_output(out, shape, prof.suffix) for shape in wanted}
        keys = _keys(ep, prof.name, wanted)
        if changed_only:
            for shape in [s for s in wanted if _up_to_date(outputs[s], keys[s])]:
                say(f"{outputs.pop(shape)} is up to date ({shape})")
        results = []
        if outputs:
            label = ", ".join(p.name for p in outputs.values())
            with progress_bar(f"render {label}", enabled=not quiet) as callback:
                results = render_renditions(ep, outputs, progress=callback, options=options, keys=keys)
    shared = set.intersection(*(set(r.warnings) for r in results)) if len(results) > 1 else set()
    for result in results:
        size = f"{result.plan.profile.width}x{result.plan.profile.height}"
        say(f"wrote {result.output} ({size}, {float(result.duration):.2f}s, {result.frames} frames, "
            f"{result.seconds:.1f}s wall)")
        for line in result.warnings:
            if line not in shared:  # a shape's own warning, under its file
                warn(line)
    for line in dict.fromkeys(w for w in results[0].warnings if w in shared) if shared else ():
        warn(f"{line} (every shape)")
    own = ep.captions.path
    if own is not None and any(same_file(p, own) for r in results for p in r.captions):
        say(f"kept {own} as the caption sidecar: it is the episode's own caption file, never rewritten")


def _keys(episode: Any, profile: str, shapes: tuple[str, ...]) -> dict[str, str]:
    """Each shape's skip key (:func:`vidcoop.review.keys.rendition_key`)."""
    from vidcoop.channel.config import ChannelCache
    from vidcoop.review import FileHasher, input_dirs
    from vidcoop.review.keys import rendition_key

    hasher = FileHasher()
    dirs = input_dirs(episode, ChannelCache())
    return {shape: rendition_key(episode, profile, shape, hasher=hasher, kit_dirs=dirs) for shape in shapes}


def _up_to_date(output: Path, key: str) -> bool:
    """The output exists and its report records ``key`` (written by the render that made it)."""
    import json

    from vidcoop.channel.report import report_path

    try:
        data = json.loads(report_path(output).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return output.is_file() and isinstance(data, dict) and data.get("extra", {}).get("content_key") == key


def default_output(declared: Path | None, manifest: Path, suffix: str) -> Path:
    """The manifest's ``output``, else ``<manifest>.mp4``; the profile suffix goes before ``.mp4``.

    Raises:
        OutputError: the manifest's ``output`` leaves the manifest's folder (``-o`` may).
    """
    from vidcoop.outputs import inside_project

    base = inside_project(declared, manifest) if declared else manifest.with_suffix(".mp4")
    return base.with_name(base.stem + suffix + ".mp4") if suffix else base
