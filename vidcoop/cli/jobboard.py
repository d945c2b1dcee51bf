"""``vidcoop jobboard JOBS.csv --channel channel.yaml``: validate, build and render the job board."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from vidcoop.cli._echo import cell, say

EXIT_INVALID_ROWS = 2


@click.command()
@click.argument("jobs", type=click.Path(path_type=Path))
@click.option("--channel", "channel_path", required=True, type=click.Path(path_type=Path),
              help="The channel's channel.yaml (partners, stellenboerse format, brand kit).")
@click.option("--week", default=None, help="ISO week, e.g. 2026-W48 (default: this week).")
@click.option("-o", "--out", "out_dir", type=click.Path(path_type=Path), default=None,
              help="Output folder (default: jobboard-<week>).")
@click.option("--check", is_flag=True, help="Validate only; exit 2 when any row is invalid.")
@click.option("--no-render", is_flag=True, help="Write cards, captions and manifests, but no video.")
@click.option("--profile", default=None, help="Output profile: final (1080x1920) or preview (540x960).")
@click.option("--music", type=click.Path(path_type=Path), default=None, help="Background music (ducked).")
@click.option("--template", "template_path", type=click.Path(path_type=Path), default=None,
              help="A job-card template YAML (overrides the kit's jobcard.yaml).")
def jobboard(jobs: Path, channel_path: Path, week: str | None, out_dir: Path | None, check: bool,
             no_render: bool, profile: str | None, music: Path | None, template_path: Path | None) -> None:
    """Turn a week's job listings into job-board episodes with their captions.

    Prints a row-by-row report first: every row is ok, expired or invalid,
    none is dropped silently. Invalid and expired rows are left out of the
    video. With --check nothing is written, and the exit code is 2 when any
    row is invalid (0 otherwise), so a partner's upload can be checked in CI.
    When the channel posts other picture shapes (renditions: in channel.yaml),
    the cards are drawn for each and one ffmpeg run writes NAME.mp4,
    NAME.4x5.mp4, NAME.1x1.mp4, ... each with its audit report.
    """
    from vidcoop.jobboard import load, validate
    from vidcoop.jobboard.board import board_channel
    from vidcoop.jobboard.week import parse_week

    wk = parse_week(week)
    board = board_channel(channel_path)
    if template_path is not None:
        from dataclasses import replace

        from vidcoop.jobboard.templates import load_template

        board = replace(board, template=load_template(template_path, safe=board.safe_box, base=board.template))
    report = validate(load(jobs), board, wk)
    _print_report(report)
    if check:
        if report.has_errors:
            raise click.exceptions.Exit(EXIT_INVALID_ROWS)
        return
    folder = out_dir or Path(f"jobboard-{wk.label}")
    from vidcoop.outputs import Input, config_inputs

    inputs = [Input(jobs, "JOBS"), Input(channel_path, "--channel"), *config_inputs(board, "a channel file")]
    inputs += [Input(p, name) for p, name in ((template_path, "--template"), (music, "--music")) if p is not None]
    written = _build(report, board, wk, folder, inputs, render=not no_render, profile=profile, music=music)
    for line in written:
        say(line)


def _print_report(report: Any) -> None:
    from rich.console import Console
    from rich.table import Table

    # Job text is literal: "Erzieher [m/w/d]" or "[link=...]" must print as typed, never as markup,
    # and a control character in it is shown escaped, never sent to the terminal.
    table = Table(title=cell(f"Job listings: {report.source}"), show_lines=False)
    for name in ("row", "status", "partner", "title", "note"):
        table.add_column(name, overflow="fold")
    colours = {"ok": "green", "expired": "yellow", "invalid": "red"}
    for row in report.rows():
        table.add_row(cell(row[0]), f"[{colours[row[1]]}]{row[1]}[/]", cell(row[2]), cell(row[3]),
                      cell(row[4]))
    console = Console(soft_wrap=False, width=160)
    console.print(table, markup=True)
    say(report.summary())


def _build(report: Any, board: Any, wk: Any, folder: Path, inputs: list[Any], *, render: bool,
           profile: str | None, music: Path | None) -> list[str]:
    from vidcoop.channel.report import report_path
    from vidcoop.files import atomic_write_json, atomic_write_text
    from vidcoop.jobboard.cues import write_cues
    from vidcoop.jobboard.episode import board_part, build_episode, card_shapes, part_names
    from vidcoop.jobboard.manifest import episode_manifest
    from vidcoop.jobboard.parts import BoardOptions
    from vidcoop.outputs import check_folder, check_outputs
    from vidcoop.publish.linkpage import link_page_files, numbered_jobs, write_link_page
    from vidcoop.shapes import DEFAULT_SHAPE

    check_folder(folder, "-o")
    check_folder(folder / "cards", "-o")
    options = BoardOptions(cards_dir=folder / "cards", music=music, profile=profile or "final")
    shapes = (DEFAULT_SHAPE, *card_shapes(board, options))
    outputs = [folder / "report.txt", *link_page_files(folder / "jobs", wk)]
    for name in part_names(report, board, wk, options=options):  # every part's files, every shape's video
        base = folder / name
        outputs += [base.with_suffix(s) for s in (".srt", ".vtt", ".episode.json")]
        if render:
            outputs += [p for video in _videos(base, shapes).values() for p in (video, report_path(video))]
    check_outputs([("-o", p) for p in outputs], inputs)  # before drawing a card
    episodes = build_episode(report, board, wk, options=options)
    atomic_write_text(folder / "report.txt", report.text())
    page, _ = write_link_page(numbered_jobs(episodes), board, wk, folder / "jobs")
    lines = [f"link page: {page.parent / 'index.html'} (archive: {page.name})"]
    for ep in episodes:
        info = board_part(ep)
        assert info is not None  # build_episode made it
        base = folder / str(ep.name)
        srt, vtt = write_cues(list(info.cues), base)
        atomic_write_json(base.with_suffix(".episode.json"), episode_manifest(ep, folder))
        lines.append(f"part {info.part}/{info.parts}: {len(info.cards)} cards "
                     f"({info.rendered_cards} drawn, the rest cached), {srt.name}, {vtt.name}")
        if render:
            lines += _render(ep, base)
    return lines


def _videos(base: Path, shapes: tuple[str, ...]) -> dict[str, Path]:
    """Each picture shape's video of a board part: ``NAME.mp4`` (9:16), ``NAME.4x5.mp4``, ..."""
    from vidcoop.shapes import shape_output

    return {shape: shape_output(base.with_suffix(".mp4"), shape) for shape in shapes}


def _render(episode: Any, base: Path) -> list[str]:
    """Render every picture shape the episode was built for (its cards drawn for that frame) in one ffmpeg run;
    one line per file written."""
    from vidcoop.cli._progress import progress_bar
    from vidcoop.pipeline import render, render_renditions
    from vidcoop.shapes import DEFAULT_SHAPE
    from vidcoop.timeline.model import episode_shapes

    videos = _videos(base, episode_shapes(episode) or (DEFAULT_SHAPE,))
    with progress_bar(f"render {', '.join(p.name for p in videos.values())}") as callback:
        if list(videos) == [DEFAULT_SHAPE]:
            results = [render(episode, videos[DEFAULT_SHAPE], progress=callback)]
        else:
            results = render_renditions(episode, videos, progress=callback)
    lines = []
    for shape, result in zip(videos, results, strict=True):
        # render() checked the episode as rendered and wrote its audit report beside each video
        report_note = f", audit {result.report.name}" if result.report is not None else ""
        size = f"{result.plan.profile.width}x{result.plan.profile.height}"
        lines.append(f"wrote {result.output} ({shape}, {size}, {float(result.duration):.1f}s{report_note})")
    return lines
