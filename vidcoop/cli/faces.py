"""``vidcoop faces FILE``: the shots and face tracks the automatic reframe and anonymisation see."""

from __future__ import annotations

import json
from pathlib import Path

import click

from vidcoop.cli._echo import cell, say


@click.command()
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--in", "start", default="0", help="Start of the span (seconds or timecode).")
@click.option("--out", "end", default=None, help="End of the span (default: the end of the file).")
@click.option("--subject", type=click.Choice(["largest", "left", "right", "centre"]), default="largest",
              help="Whom reframe: auto follows.")
@click.option("--json", "as_json", is_flag=True, help="Print the analysis and the crop path as JSON.")
@click.option("--plot", "plot", type=click.Path(path_type=Path), default=None,
              help="Draw the crop path, the linked face tracks (one colour each, with the tracker's "
                   "predicted positions), pans and cuts into this PNG.")
def faces(file: Path, start: str, end: str | None, subject: str, as_json: bool, plot: Path | None) -> None:
    """Analyse FILE (a low-resolution proxy, cached by content) and show shots, tracks and the crop path."""
    from vidcoop.faces.analysis import analyse
    from vidcoop.faces.reframe import auto_path, format_moment
    from vidcoop.timing import parse_time

    times: dict[str, float | None] = {}
    for hint, value in (("--in", start), ("--out", end)):
        try:
            times[hint] = float(parse_time(value)) if value is not None else None
        except ValueError as exc:  # the same one-line treatment as ``vidcoop cover --at``
            raise click.BadParameter(str(exc), param_hint=hint) from None
    a, b = times["--in"] or 0.0, times["--out"]
    if plot is not None:
        from vidcoop.outputs import Input, check_outputs

        check_outputs([("--plot", plot)], [Input(file, "FILE")])  # before the analysis
    analysis = analyse(file, a, b)
    path = auto_path(analysis, subject=subject)
    if plot is not None:
        from vidcoop.faces.plot import plot_path

        plot_path(analysis, path, plot, title=f"{file.name}: crop path, face tracks (rings: predicted), "
                                              "shot cuts, pans")
    if as_json:
        data = analysis.to_dict()
        data["crop"] = {"mode": path.mode, "crop_width": path.crop_width, "subjects": list(path.subjects),
                        "focus": [[float(t), v] for t, v in path.keys], "widened": path.reason,
                        "widen": [[float(x) for x in moment] for moment in path.widen]}
        click.echo(json.dumps(data, indent=2))
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(title=cell(f"{file} ({analysis.width}x{analysis.height}, {analysis.duration:.2f} s)"))
    for col in ("shot", "from", "to", "faces", "followed", "crop"):
        table.add_column(col)
    for i, shot in enumerate(analysis.shots):
        tracks = analysis.tracks_in(i)
        followed = path.subjects[i] if i < len(path.subjects) else None
        keys = [k for k in path.keys if shot.start <= float(k[0]) < shot.end]
        crop = "fit-blur" if path.mode != "crop" else ("hold" if len({v for _, v in keys}) <= 1 else
                                                      f"follow ({len(keys)} keyframes)")
        whole = [format_moment(float(b_), float(c_)) for _, b_, c_, _ in path.widen if shot.start <= b_ < shot.end]
        if whole:
            crop += f"; whole picture {', '.join(whole)}"
        table.add_row(str(i + 1), f"{shot.start:.2f}", f"{shot.end:.2f}",
                      ", ".join(f"#{tr.id} ({len(tr.points)} det.)" for tr in tracks) or "none",
                      "-" if followed is None else f"#{followed}", crop)
    Console().print(table)
    for a_, b_ in analysis.pans:
        say(f"pan: {a_:.2f}-{b_:.2f} s (the picture moves; not a cut)")
    if path.reason:
        say(f"widened: {path.reason}")
    if plot is not None:
        say(f"plot: {plot}")
