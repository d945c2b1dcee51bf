"""Run a week: load, check, skip what is up to date, render the rest, report.

The coordinator (this module) is the only writer of the state file and the
report; workers only render. Every output is recorded as soon as it lands,
so a killed batch resumes where it stopped. One broken episode (a bad
file, a policy violation, an ffmpeg failure) fails only itself.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from fractions import Fraction
from pathlib import Path
from typing import Any

from vidcoop.batch.executors import Executor, check_scheduler, executor_name, make_executor, threads_per_worker
from vidcoop.batch.manifest import EpisodeEntry, Week, load_week, week_episodes
from vidcoop.batch.naming import COVER, cover_paths, output_path, rendition_paths
from vidcoop.batch.publish import ICS_NAME, LINK_PAGE_DIR, check_publish_time, check_texts, publish_week, week_plan
from vidcoop.batch.report import (
    AWAITING,
    FAILED,
    OK,
    RENDERED,
    REPORT_NAME,
    SKIPPED,
    BatchEvent,
    BatchOptions,
    BatchReport,
    EpisodeOutcome,
    EventHook,
    OutputOutcome,
    one_line,
    write_report,
)
from vidcoop.batch.state import BatchState, folder_lock
from vidcoop.batch.work import RenderTask, TaskDone, render_function_path
from vidcoop.brand.kit import load_kit
from vidcoop.channel.assemble import as_rendered, check_as_rendered
from vidcoop.channel.config import ChannelCache
from vidcoop.channel.report import report_path
from vidcoop.cover.make import check_cover_time
from vidcoop.errors import ManifestError, VidcoopError
from vidcoop.files import remove_stale_temps, work_dir
from vidcoop.jobboard.episode import board_part
from vidcoop.outputs import SIDECAR_SUFFIXES, Input, check_folder, check_outputs, episode_inputs, sidecar_plan
from vidcoop.partners.signoff import missing_signoffs
from vidcoop.review import FileHasher, ReviewBook, content_key, input_dirs, output_key, required_approvals
from vidcoop.review.keys import rendition_key
from vidcoop.shapes import DEFAULT_SHAPE, get_shape
from vidcoop.timeline.model import Episode, episode_shapes


@dataclass
class _Loaded:
    entry: EpisodeEntry
    name: str
    episode: Episode | None = None
    error: BaseException | None = None
    awaiting: bool = False
    waiting_for: str | None = None  # why it awaits beyond its review (partners' sign-offs)


def run_batch(
    week: str | Path | Week,
    options: BatchOptions | None = None,
    *,
    on_event: EventHook | None = None,
    executor: Executor | None = None,
) -> BatchReport:
    """Render a week, skipping what is up to date: by default every episode's preview for the review;
    with ``options.final`` the finals (the week's ``profiles:``) of approved episodes, or of all of them
    with ``options.all_episodes``.

    Args:
        week: A week manifest path (or a loaded :class:`Week`).
        options: Previews or finals, workers, force, scheduler, render function.
        on_event: Called for display updates (from a helper thread, too).
        executor: Use this executor instead of making one from ``options``.

    Returns:
        The per-episode report, also written to ``<output>/batch-report.json``.

    Raises:
        ManifestError: the week manifest itself is malformed (nothing runs).
        OutputError: the output folder is a file, read-only, outside the week's folder,
            or its state or report file would replace an input (nothing runs).
        VidcoopError: another batch is writing the same output folder; ``options.scheduler`` is
            not a scheduler address, or no Dask scheduler answers there.
    """
    opts = options or BatchOptions()
    emit = on_event or (lambda _event: None)
    started = time.monotonic()
    if executor is None:
        check_scheduler(opts.scheduler)
    wk = week if isinstance(week, Week) else load_week(week, output=opts.output)
    if isinstance(week, Week) and opts.output is not None:
        wk = replace(wk, output=Path(opts.output))
    check_folder(wk.output, "-o" if opts.output is not None else "output")
    with folder_lock(wk.output):
        policy = ChannelCache()
        loaded = _load_all(wk, policy=policy)
        state = BatchState.load(wk.output)
        _check_batch_files(wk, loaded, state, policy)
        planned, tasks = _plan_outputs(wk, loaded, state, policy, opts, emit)
        state.save()
        _remove_stale_temps(wk.output)

        name, workers = executor_name(opts.scheduler), 0
        if tasks:
            ex = executor or make_executor(opts.scheduler, max(1, min(opts.jobs, len(tasks))))
            name, workers = ex.name, ex.workers
            try:
                _execute(ex, tasks, loaded, planned, state, emit)
            finally:
                if executor is None:
                    ex.close()
        week_error: str | None = None
        gaps: tuple[str, ...] = ()
        try:
            gaps = _publish(wk, loaded, policy)
        except VidcoopError as exc:  # week.ics or the link page on a full disk: the rendered videos stand
            week_error = f"week plan or link page not written: {exc}"
        _withdraw_failed(loaded, planned, state)
        outcomes = tuple(_episode_outcome(item, planned[item.name], opts.profiles(wk)) for item in loaded)
        report = BatchReport(wk.path, outcomes, time.monotonic() - started, name, workers, report_error=week_error,
                             warnings=gaps)
        return write_report(wk, report)


def _plan_outputs(
    wk: Week, loaded: list[_Loaded], state: BatchState, policy: ChannelCache, opts: BatchOptions,
    emit: EventHook,
) -> tuple[dict[str, list[OutputOutcome]], list[tuple[RenderTask, dict[Path, str]]]]:
    """Key every wanted output; up-to-date ones are skipped, the rest become tasks (with their keys)."""
    hasher = FileHasher(state.hashes, exclude=[wk.output])
    render_path = render_function_path(opts.render)
    kit = str(wk.brand_kit) if wk.brand_kit is not None else None
    planned: dict[str, list[OutputOutcome]] = {item.name: [] for item in loaded}
    tasks: list[tuple[RenderTask, dict[Path, str]]] = []
    profiles = opts.profiles(wk)
    wanted = [(p, "video") for p in profiles] + ([(COVER, "cover")] if wk.covers else [])
    approved = _approval_check(wk, hasher, policy) if opts.needs_approval else None
    signed_off = _signoff_check(wk, loaded) if opts.needs_approval and opts.partner_signoffs else None
    for item in loaded:
        if item.episode is None:
            emit(BatchEvent(FAILED, item.name, message=one_line(item.error)))
            continue
        if approved is not None and not approved(item.name, item.episode):
            item.awaiting = True
            continue
        unsigned = signed_off(item.episode) if signed_off is not None else []
        if unsigned:
            item.awaiting = True
            item.waiting_for = f"waiting for the partners' sign-off: {', '.join(unsigned)}"
            continue
        try:
            dirs = input_dirs(item.episode, policy, wk.brand_kit)
            _check_episode_outputs(wk, item, policy, profiles)
            if wk.covers and item.entry.cover_at is not None:  # found now, not after the video rendered
                _check_cover_at(wk, item, kit)
        except VidcoopError as exc:
            item.error = exc
            emit(BatchEvent(FAILED, item.name, message=one_line(exc)))
            continue
        for profile, kind in wanted:
            output = output_path(wk, item.name, profile)
            cover_at = item.entry.cover_at if kind == "cover" else None
            task_id = _task_id(item.name, profile)
            if kind == "video":
                # every picture shape is its own output with its own key; the stale ones render in one run
                stale = {}
                for shape, path in rendition_paths(wk, item.name, profile, _shapes(item.episode, policy, profile)):
                    key = rendition_key(item.episode, profile, shape, hasher=hasher, kit_dirs=dirs)
                    if not opts.force and state.is_done(path, key):
                        planned[item.name].append(OutputOutcome(profile, path, SKIPPED))
                        emit(BatchEvent(SKIPPED, item.name, task_id=task_id))
                    else:
                        stale[shape] = (path, key)
                if stale:
                    pairs = tuple((shape, path) for shape, (path, _) in stale.items())
                    task = RenderTask(task_id, item.episode, profile, pairs[0][1], None, render_path, kind=kind,
                                      renditions=pairs if pairs != (("9:16", output),) else ())
                    tasks.append((task, {path: key for path, key in stale.values()}))
                continue
            # one cover per picture shape the episode's videos come in, each its own task and key
            for shape, output in cover_paths(wk, item.name, _all_shapes(item.episode, policy, profiles)):
                settings = {"cover_at": str(cover_at), "kit": kit}
                if shape != DEFAULT_SHAPE:
                    settings["shape"] = shape
                key = output_key(item.episode, profile, hasher=hasher, kit_dirs=dirs, settings=settings)
                tid = task_id if shape == DEFAULT_SHAPE else f"{task_id}:{get_shape(shape).slug}"
                if not opts.force and state.is_done(output, key):
                    planned[item.name].append(OutputOutcome(profile, output, SKIPPED))
                    emit(BatchEvent(SKIPPED, item.name, task_id=tid))
                    continue
                task = RenderTask(tid, item.episode, profile, output, None, render_path,
                                  kind=kind, cover_at=cover_at, kit=kit, shape=shape)
                tasks.append((task, {output: key}))
    state.hashes = hasher.used()  # files no longer used drop out of the state
    return planned, tasks


def _shapes(episode: Episode, policy: ChannelCache, profile: str) -> tuple[str, ...]:
    """The picture shapes of an episode's ``profile`` videos: for finals, 9:16 and every shape its
    channel's platforms ask for (``renditions:`` in channel.yaml) or the episode itself does (``renditions:``
    in its manifest); 9:16 alone for previews."""
    if profile != "final":
        return (DEFAULT_SHAPE,)
    wanted = policy.channel(Path(episode.channel)).publish.shapes if episode.channel is not None else ()
    return tuple(dict.fromkeys((DEFAULT_SHAPE, *wanted, *episode_shapes(episode))))


def _all_shapes(episode: Episode, policy: ChannelCache, profiles: tuple[str, ...]) -> tuple[str, ...]:
    """Every picture shape any of the week's videos of ``episode`` comes in (9:16 first)."""
    return tuple(dict.fromkeys(s for p in profiles for s in _shapes(episode, policy, p)))


def _approval_check(wk: Week, hasher: FileHasher, policy: ChannelCache) -> Callable[[str, Episode], bool]:
    """Whether an episode's approval (in the week's reviews file) matches its current content."""
    book = ReviewBook.for_week(wk.path)

    def approved(name: str, episode: Episode) -> bool:
        key = content_key(episode, hasher, policy, wk.brand_kit)
        return book.is_approved(name, key, required_approvals(episode, policy))

    return approved


def _signoff_check(wk: Week, loaded: list[_Loaded]) -> Callable[[Episode], list[str]] | None:
    """The partners on a job-board episode without a current sign-off of the week's board (vidcoop.partners)."""
    board = [item.episode for item in loaded if item.episode is not None and board_part(item.episode) is not None]
    if wk.jobboard is None or not board:
        return None
    missing = set(missing_signoffs(board, wk.jobboard.channel))

    def unsigned(episode: Episode) -> list[str]:
        part = board_part(episode)
        return sorted({card.job.partner for card in part.cards} & missing) if part is not None else []

    return unsigned


def _check_cover_at(wk: Week, item: _Loaded, kit: str | None) -> None:
    assert item.episode is not None and item.entry.cover_at is not None
    try:
        check_cover_time(item.episode, item.entry.cover_at, kit)
    except ManifestError as exc:
        if exc.field != "cover.at":
            raise
        raise ManifestError(exc.message, path=wk.path, field=f"{item.entry.field}.cover_at") from None


def _execute(
    ex: Executor, tasks: list[tuple[RenderTask, dict[Path, str]]], loaded: list[_Loaded],
    planned: dict[str, list[OutputOutcome]], state: BatchState, emit: EventHook,
) -> None:
    """Run the tasks; record each finished output at once, keep each failure with its episode."""
    keys = {task.task_id: key for task, key in tasks}
    names = {task.task_id: task.episode.name or "" for task, _ in tasks}
    by_name = {item.name: item for item in loaded}
    # ffmpeg threads divide the machine among local workers; a remote cluster's machines decide their own.
    threads = threads_per_worker(ex.workers) if ex.shares_machine else None
    work = [replace(task, threads=threads) for task, _ in tasks]
    for task in work:
        emit(BatchEvent("queued", names[task.task_id], task_id=task.task_id))

    def progress(task_id: str, fraction: float) -> None:
        emit(BatchEvent("progress", names.get(task_id, ""), task_id=task_id, fraction=fraction))

    for task, result in ex.run(work, progress):
        name = names[task.task_id]
        outputs = list(keys[task.task_id])  # the task's output, or every shape it rendered in its one run
        if isinstance(result, TaskDone):
            try:
                for output, key in keys[task.task_id].items():
                    state.record(output, key, name, result.seconds)
            except VidcoopError as exc:  # a full disk: not recorded, so it is redone next time
                result = exc
        if isinstance(result, TaskDone):
            planned[name] += [OutputOutcome(task.profile, output, RENDERED, result.seconds, warnings=result.warnings)
                              for output in outputs]
            emit(BatchEvent("done", name, task_id=task.task_id))
        else:
            text = one_line(result)
            planned[name] += [OutputOutcome(task.profile, output, FAILED, 0.0, text) for output in outputs]
            if by_name[name].error is None:
                by_name[name].error = result
            emit(BatchEvent(FAILED, name, task_id=task.task_id, message=text))


def check_week(week: str | Path | Week, *, output: Path | None = None) -> BatchReport:
    """Validate every episode without rendering: manifest, media (probe), channel policy.

    Returns:
        A report whose episodes are ``ok`` or ``failed`` (with the first error).

    Raises:
        ManifestError: the week manifest itself is malformed.
    """
    started = time.monotonic()
    wk = week if isinstance(week, Week) else load_week(week, output=output)
    loaded = _load_all(wk)
    outcomes = tuple(
        EpisodeOutcome(
            name=item.name, field=item.entry.field, status=FAILED if item.error else OK, seconds=0.0,
            outputs=tuple(OutputOutcome(p, output_path(wk, item.name, p), OK) for p in wk.profiles)
            if item.error is None else (),
            error=one_line(item.error) if item.error else None,
            error_type=type(item.error).__name__ if item.error else None,
            left_out=_left_out(item),
        )
        for item in loaded
    )
    return BatchReport(wk.path, outcomes, time.monotonic() - started, "check", 0, checked_only=True,
                       warnings=_plan_warnings(wk, loaded))


def _plan_warnings(wk: Week, loaded: list[_Loaded]) -> tuple[str, ...]:
    """The week plan's gaps (cadence, no publish time) for the episodes that loaded."""
    items = [(item.entry, item.name, item.episode) for item in loaded if item.episode is not None]
    return tuple(week_plan(wk, items).warnings()) if items else ()


def _check_as_rendered(episode: Episode, profile: str, policy: ChannelCache) -> Fraction:
    """Plan an episode as render() would (format parts from the kit, every source probed), with or
    without a channel, run the channel rules on the plan's exact lengths, and return its length."""
    channel = policy.channel(Path(episode.channel)) if episode.channel is not None else None
    with work_dir("check") as work:
        rendered = as_rendered(episode, work, channel=channel, profile=profile, loudness=False)
        check_as_rendered(rendered)
        return Fraction(rendered.plan.duration)


def _load_all(wk: Week, *, policy: ChannelCache | None = None) -> list[_Loaded]:
    loaded: list[_Loaded] = []
    policy = policy or ChannelCache()
    for found in week_episodes(wk):  # every row keeps a name of its own; twins fail after the first
        item = _Loaded(found.entry, found.name, error=found.error)
        episode = found.episode
        if episode is not None and found.error is None:
            try:
                # Every episode is planned as render() would (render() checks again on its exact plan),
                # and its post texts are filled with the planned length: a text that breaks a platform's
                # limit only with the real {duration} fails here, not after a long render.
                duration = _check_as_rendered(episode, wk.profiles[0], policy)
                channel = policy.channel(Path(episode.channel)) if episode.channel is not None else None
                check_texts(episode, channel, duration=duration)
                check_publish_time(wk, found.entry, episode, policy.channel)
                item.episode = episode
            except VidcoopError as exc:
                item.error = exc
        loaded.append(item)
    return loaded


def _publish(wk: Week, loaded: list[_Loaded], policy: ChannelCache) -> tuple[str, ...]:
    """Post packages beside the videos, the job link page and ``week.ics`` (see :mod:`vidcoop.batch.publish`);
    an episode whose package breaks a platform rule fails with that error. Returns the plan's warnings."""
    ready = [item for item in loaded if item.episode is not None and item.error is None]
    done = publish_week(wk, [(item.entry, item.name, item.episode) for item in ready if item.episode is not None],
                        policy.channel)
    for item in ready:
        if item.name in done.errors:
            item.error = done.errors[item.name]
    return tuple(done.plan.warnings())


def _withdraw_failed(loaded: list[_Loaded], planned: dict[str, list[OutputOutcome]], state: BatchState) -> None:
    """A failed episode keeps none of this run's videos or cover under their final names.

    Its post texts (checked with the planned length before rendering) may still break a limit with the
    real length, or another of its outputs may have failed: the rendered files are removed and
    forgotten, so nothing in the output folder looks ready to post.
    """
    for item in loaded:
        if item.error is None:
            continue
        outs = planned[item.name]
        for i, out in enumerate(outs):
            if out.status != RENDERED:
                continue
            why = f"removed, the episode failed: {one_line(item.error)}"
            try:
                out.output.unlink(missing_ok=True)
            except OSError as exc:
                why = f"the episode failed, but {out.output.name} could not be removed: {exc.strerror or exc}"
            with contextlib.suppress(VidcoopError):  # a full disk: the record stays, the missing file is redone
                state.forget(out.output)
            outs[i] = replace(out, status=FAILED, error=why)


def _episode_outcome(item: _Loaded, outputs: list[OutputOutcome], profiles: tuple[str, ...]) -> EpisodeOutcome:
    order = {p: i for i, p in enumerate(profiles)}
    outs = tuple(sorted(outputs, key=lambda o: order.get(o.profile, 99)))
    seconds = sum(o.seconds for o in outs)
    left = _left_out(item)
    if item.awaiting:
        return EpisodeOutcome(item.name, item.entry.field, AWAITING, 0.0, error=item.waiting_for, left_out=left)
    if item.error is not None:  # set at loading, or by the first failed output
        return EpisodeOutcome(item.name, item.entry.field, FAILED, seconds, outs, one_line(item.error),
                              type(item.error).__name__, left)
    status = RENDERED if any(o.status == RENDERED for o in outs) else SKIPPED
    return EpisodeOutcome(item.name, item.entry.field, status, seconds, outs, left_out=left)


def _left_out(item: _Loaded) -> tuple[dict[str, Any], ...]:
    """The job rows a job-board episode does not show (see :func:`vidcoop.jobboard.episode.left_out_rows`)."""
    board = board_part(item.episode) if item.episode is not None else None
    return board.left_out if board is not None else ()


def _episode_inputs(wk: Week, item: _Loaded, policy: ChannelCache) -> list[Any]:
    episode = item.episode
    assert episode is not None
    channel = policy.channel(Path(episode.channel)) if episode.channel is not None else None
    kit = channel.kit() if channel is not None else load_kit(wk.brand_kit or "neutral")
    inputs = [Input(wk.path, "the week manifest"), *episode_inputs(episode, channel=channel, kit=kit)]
    if item.entry.jobboard is not None:
        inputs.append(Input(item.entry.jobboard.jobs, "jobboard.jobs"))
    return inputs


def _check_episode_outputs(wk: Week, item: _Loaded, policy: ChannelCache, profiles: tuple[str, ...]) -> None:
    """Refuse an episode whose outputs (videos, sidecars, reports, cover) would replace one of its inputs."""
    episode = item.episode
    assert episode is not None
    outputs: list[tuple[str, Path]] = []
    for profile in profiles:
        video = output_path(wk, item.name, profile)
        outputs.append(("output", video))
        for shape, path in rendition_paths(wk, item.name, profile, _shapes(episode, policy, profile))[1:]:
            outputs += [(f"{shape} output", path), ("report", report_path(path))]
            if episode.captions.mode != "off":
                outputs += [("sidecar", p) for p in sidecar_plan(path, episode)[0]]
        if episode.captions.mode != "off":
            outputs += [("sidecar", p) for p in sidecar_plan(video, episode)[0]]
        elif item.entry.jobboard is not None:  # the cards' text as SRT/VTT (vidcoop.batch.publish)
            outputs += [("sidecar", video.with_suffix(suffix)) for suffix in SIDECAR_SUFFIXES]
        outputs.append(("report", report_path(video)))
        outputs += [("post", video.with_suffix(suffix)) for suffix in (".post.json", ".post.md")]
    if wk.covers:
        outputs += [(f"{shape} cover" if shape != DEFAULT_SHAPE else "cover", path)
                    for shape, path in cover_paths(wk, item.name, _all_shapes(episode, policy, profiles))]
    check_outputs(outputs, _episode_inputs(wk, item, policy))


def _check_batch_files(wk: Week, loaded: list[_Loaded], state: BatchState, policy: ChannelCache) -> None:
    """The state file and batch-report.json must not replace any episode's input (checked before any work)."""
    inputs: list[Any] = [Input(wk.path, "the week manifest")]
    for item in loaded:
        if item.episode is not None:
            with contextlib.suppress(VidcoopError):  # such an episode fails on its own, later
                inputs += _episode_inputs(wk, item, policy)

    outputs = [("state", state.path), ("report", wk.output / REPORT_NAME), ("plan", wk.output / ICS_NAME)]
    if wk.jobboard is not None:
        from vidcoop.jobboard.week import parse_week
        from vidcoop.publish.linkpage import link_page_files

        pages = link_page_files(wk.output / LINK_PAGE_DIR, parse_week(wk.jobboard.week))
        outputs += [("link page", page) for page in pages]
    check_outputs(outputs, inputs)


def _remove_stale_temps(folder: Path) -> None:
    """Delete the temp files killed runs left in the output folder (never a live writer's).

    Under the folder's lock no other batch writes here; every output, sidecar and week file
    is a candidate, not only the outputs this run redoes.
    """
    remove_stale_temps(folder)
    remove_stale_temps(folder / LINK_PAGE_DIR)


def _task_id(name: str, profile: str) -> str:
    return f"{name}:{profile}"
