"""Executors: where a batch's render tasks run.

A registry of small classes with one method, :meth:`Executor.run`, which
takes tasks and yields ``(task, TaskDone | exception)`` as each finishes,
in completion order. Exceptions are the workers' own typed vidcoop errors,
unpickled, so the coordinator treats a failure on another machine exactly
like a local one.

* ``local``: a ``concurrent.futures.ProcessPoolExecutor`` with the spawn
  start method (safe with threads, same behaviour on every OS).
* ``dask``: a Dask ``distributed`` cluster (``tcp://host:8786``), or a
  ``LocalCluster`` started for the run (``local``). Needs ``vidcoop[distributed]``;
  the workers must see the same storage paths as the coordinator.
"""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import threading
import time
import uuid
import warnings
from collections.abc import Callable, Iterator, Sequence
from typing import Any, Protocol

from vidcoop.batch.scheduler import REACH_TIMEOUT, parse_scheduler, reach_scheduler, unreachable
from vidcoop.batch.work import RenderTask, TaskDone, run_task
from vidcoop.batch.worker import run_on_worker, task_needs
from vidcoop.errors import VidcoopError, WorkerError, brief
from vidcoop.media.runner import die_with_parent, usable_cores

ProgressHook = Callable[[str, float], None]
Outcome = tuple[RenderTask, "TaskDone | BaseException"]


class Executor(Protocol):
    """Runs render tasks somewhere and reports each as it finishes."""

    name: str
    workers: int
    #: True when the workers run on this machine, so ffmpeg threads are divided among them.
    shares_machine: bool

    def run(self, tasks: Sequence[RenderTask], on_progress: ProgressHook | None = None) -> Iterator[Outcome]:
        """Yield ``(task, result or exception)`` in completion order."""
        ...

    def close(self) -> None:
        """Release workers and connections."""
        ...


def threads_per_worker(workers: int, cores: int | None = None) -> int:
    """ffmpeg threads per worker so that workers do not fight over the cores."""
    total = cores if cores is not None else usable_cores()
    return max(1, total // max(1, workers))


class LocalExecutor:
    """A local process pool (spawn start method)."""

    name = "local"
    shares_machine = True

    def __init__(self, workers: int = 1) -> None:
        self.workers = max(1, workers)

    def run(self, tasks: Sequence[RenderTask], on_progress: ProgressHook | None = None) -> Iterator[Outcome]:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor, as_completed

        if not tasks:
            return
        from multiprocessing.managers import SyncManager

        ctx = multiprocessing.get_context("spawn")
        # Workers and the manager die with this process even when it is killed outright (kill -9).
        manager = SyncManager(ctx=ctx)
        manager.start(_manager_setup, (os.getpid(),))
        with manager:
            queue = manager.Queue() if on_progress is not None else None
            drain = _start_drain(queue, on_progress) if queue is not None and on_progress else None
            # The queue proxy goes to each worker once, at its start: a task queued behind a render carries
            # no proxy, so a worker that takes it after the coordinator died never dials the dead manager.
            pool = ProcessPoolExecutor(max_workers=min(self.workers, len(tasks)), mp_context=ctx,
                                       initializer=_quiet_interrupt, initargs=(os.getpid(), queue))
            try:
                futures = {pool.submit(_run_in_pool, task): task for task in tasks}
                for future in as_completed(futures):
                    task = futures[future]
                    error = future.exception()
                    yield (task, error) if error is not None else (task, future.result())
            except BaseException:
                # SIGTERM (or an error here) reached only this process: stop the renders as Ctrl-C would.
                _interrupt_workers(pool)
                raise
            finally:
                pool.shutdown(wait=True, cancel_futures=True)
                if queue is not None and drain is not None:
                    # After Ctrl-C the manager may be gone already; the original error matters more.
                    with contextlib.suppress(Exception):
                        queue.put(None)
                    drain.join(timeout=5)

    def close(self) -> None:
        """Nothing to release: the pool lives for one run."""


class InlineExecutor:
    """Render in the coordinator's own process, one task after another (debugging, tests)."""

    name = "inline"
    workers = 1
    shares_machine = True

    def run(self, tasks: Sequence[RenderTask], on_progress: ProgressHook | None = None) -> Iterator[Outcome]:
        queue = _CallbackQueue(on_progress) if on_progress is not None else None
        for task in tasks:
            result: TaskDone | BaseException
            try:
                result = run_task(task, queue)
            except Exception as exc:  # the coordinator reports it, like a worker's error
                result = exc
            yield task, result

    def close(self) -> None:
        """Nothing to release."""


class _CallbackQueue:
    def __init__(self, hook: ProgressHook) -> None:
        self._hook = hook

    def put(self, item: tuple[str, float]) -> None:
        self._hook(*item)


class DaskExecutor:
    """A Dask distributed cluster: an existing scheduler, or a LocalCluster for this run.

    Args:
        address: ``tcp://host:8786`` of a running ``dask scheduler``, or ``local``.
        workers: Worker processes of a LocalCluster (ignored for a remote scheduler).
        only: For a remote scheduler: use only this many of its workers (0 = all).
        timeout: Seconds to reach a remote scheduler and hear it answer.

    Raises:
        VidcoopError: distributed is missing; the address is malformed, or no Dask
            scheduler answers there within ``timeout`` (one line naming the address).
    """

    name = "dask"

    def __init__(self, address: str = "local", workers: int = 1, only: int = 0,
                 timeout: float = REACH_TIMEOUT) -> None:
        try:
            from distributed import Client, LocalCluster
        except ImportError:
            raise VidcoopError(
                "the dask scheduler needs dask.distributed",
                field="scheduler",
                hint='pip install "vidcoop[distributed]"',
            ) from None
        self._cluster: Any = None
        self._client: Any = None
        self._only: list[str] | None = None
        if address == "local":
            try:
                # The workers must not get the terminal's Ctrl-C: each would print its tracebacks while this
                # process stops them anyway (cancel, then close the cluster). A blocked signal, unlike a
                # handler, is inherited by the processes the cluster spawns; a Ctrl-C during the start
                # waits until the cluster is up, then stops it.
                with _sigint_blocked():
                    # The workers' log (a cancelled render, a heartbeat to a scheduler that is shutting down)
                    # only repeats what the batch reports per episode; VIDCOOP_DEBUG=1 shows its warnings.
                    debug = os.environ.get("VIDCOOP_DEBUG", "") not in ("", "0")
                    quiet = logging.WARNING if debug else logging.CRITICAL
                    with warnings.catch_warnings():
                        # Without a dashboard the scheduler still serves health checks, on 8787 if free.
                        warnings.filterwarnings("ignore", message="Port .* is already in use", category=UserWarning)
                        self._cluster = LocalCluster(n_workers=max(1, workers), threads_per_worker=1,
                                                     processes=True, dashboard_address=None, silence_logs=quiet)
                    self._client = Client(self._cluster)
            except BaseException:
                self.close()
                raise
            self.workers = max(1, workers)
            self.shares_machine = True
        else:
            target = parse_scheduler(address)
            reach_scheduler(target, timeout)  # within seconds: Client alone may wait for ever on a silent peer
            try:
                self._client = Client(target.url, timeout=f"{timeout}s")
                known = sorted(self._client.scheduler_info().get("workers", {}))
            except Exception as exc:  # it went away since the check, or refused this client
                raise unreachable(target, brief(exc)) from None
            # ``only`` > 0 keeps the tasks on that many of the cluster's workers (benchmarks compare 1 and 2).
            self._only = known[:only] if only else None
            self.workers = max(1, len(self._only) if self._only else len(known))
            self.shares_machine = False  # each worker machine decides its own threads

    def run(self, tasks: Sequence[RenderTask], on_progress: ProgressHook | None = None) -> Iterator[Outcome]:
        from distributed import Queue, as_completed

        if not tasks:
            return
        # Described on the client (absolute paths, input sizes, models), checked on the worker.
        needs = {task.task_id: task_needs(task) for task in tasks}
        run_id = uuid.uuid4().hex[:8]
        queue = Queue(f"vidcoop-progress-{run_id}", client=self._client) if on_progress is not None else None
        stop = threading.Event()
        drain = _start_dask_drain(queue, on_progress, stop) if queue is not None and on_progress else None
        futures = {
            self._client.submit(run_on_worker, task, queue, needs[task.task_id],
                                key=f"vidcoop-{run_id}-{task.task_id}", pure=False,
                                workers=self._only, allow_other_workers=False): task
            for task in tasks
        }
        try:
            for future in as_completed(list(futures)):
                task = futures[future]
                if future.status == "error":
                    yield task, _worker_death(future.exception())
                elif future.status == "cancelled":
                    yield task, VidcoopError("the render task was cancelled by the cluster", field=task.task_id)
                else:
                    yield task, future.result()
        except BaseException:
            # Ctrl-C, or the caller stopped listening: no worker goes on with an abandoned episode
            # (a running render notices at its next progress step and stops ffmpeg).
            with contextlib.suppress(Exception):
                self._client.cancel(list(futures), force=True)
            raise
        finally:
            stop.set()
            if drain is not None:
                drain.join(timeout=5)
            for future in futures:
                future.release()

    def close(self) -> None:
        """Close the client and the LocalCluster, quietly: after Ctrl-C, workers still stopping a
        cancelled render make the cluster log errors that do not matter to the batch."""
        from distributed.utils import silence_logging_cmgr

        with silence_logging_cmgr(logging.CRITICAL + 1):
            for part in (self._client, self._cluster):
                if part is not None:
                    with contextlib.suppress(Exception):  # closing must not hide the batch's own outcome
                        part.close()


def _worker_death(error: BaseException | None) -> BaseException:
    """Dask's KilledWorker (the task's workers kept dying) as one line naming the last worker."""
    from distributed.scheduler import KilledWorker

    if error is None:  # pragma: no cover - a future in "error" state always has its exception
        return VidcoopError("the render task failed without an error on the cluster")
    if not isinstance(error, KilledWorker):
        return error
    last = getattr(error, "last_worker", None)
    address = getattr(last, "address", None) or str(last or "?")
    tries = getattr(error, "allowed_failures", None)
    after = f" after {tries + 1} tries" if isinstance(tries, int) else ""
    return WorkerError(f"the worker died while rendering; the cluster gave up{after}", worker=address,
                       check="died", hint="see the worker's log (memory? killed?); nothing was written")


# Executor registry: name -> factory(scheduler address or None, workers).
EXECUTORS: dict[str, Callable[[str | None, int], Executor]] = {
    "local": lambda _address, workers: LocalExecutor(workers),
    "inline": lambda _address, _workers: InlineExecutor(),
    "dask": lambda address, workers: DaskExecutor(address or "local", workers),
}


def executor_name(scheduler: str | None) -> str:
    """The registry name for a ``--scheduler`` value: none = ``local`` pool, ``inline``, else ``dask``."""
    return {"": "local", "pool": "local", "inline": "inline"}.get(scheduler or "", "dask")


def check_scheduler(scheduler: str | None) -> None:
    """Refuse a malformed ``--scheduler`` address before any work (reaching it comes later).

    Raises:
        VidcoopError: naming ``--scheduler`` and the value.
    """
    if executor_name(scheduler) == "dask" and scheduler not in (None, "local"):
        parse_scheduler(scheduler)


def make_executor(scheduler: str | None, workers: int) -> Executor:
    """Choose an executor: no scheduler = local pool; ``inline`` = this process;
    ``local`` or ``tcp://...`` = Dask."""
    return EXECUTORS[executor_name(scheduler)](scheduler, workers)


def _start_dask_drain(queue: Any, on_progress: ProgressHook, stop: threading.Event) -> threading.Thread:
    """Read workers' progress from a distributed Queue until ``stop`` is set."""

    def drain() -> None:
        while True:
            finished = stop.is_set()
            try:
                # batch=True returns what is waiting without blocking (a blocking get with a
                # timeout makes the scheduler log an error for every timeout).
                items = queue.get(batch=True)
            except Exception:  # the cluster going away must not break the batch
                items = []
            for item in items:
                on_progress(*item)
            if finished:
                return
            stop.wait(0.25)

    thread = threading.Thread(target=drain, name="vidcoop-dask-progress", daemon=True)
    thread.start()
    return thread


_interrupted = False
_parent: int | None = None
_progress: Any = None


def _quiet_interrupt(parent: int | None = None, progress: Any = None) -> None:
    """Pool worker set-up: Ctrl-C (or SIGTERM) stops the current render and refuses the queued ones.

    The pool's worker loop catches every exception of a task and goes on to the
    next queued task, so after a Ctrl-C a worker would otherwise start a whole
    new render while the coordinator waits for it to shut down. A coordinator
    that dies (even by kill -9) sends the same SIGINT (``PR_SET_PDEATHSIG``).
    """
    def stop(_signum: int, _frame: Any) -> None:
        global _interrupted
        if _interrupted:  # the terminal's SIGINT and the coordinator's: one is enough, let cleanup finish
            return
        _interrupted = True
        # Unwinds like KeyboardInterrupt (ffmpeg stopped, temp file removed), without a traceback dump.
        raise SystemExit(130)

    global _parent, _progress
    _parent = parent
    _progress = progress
    signal.signal(signal.SIGINT, stop)
    # SIGTERM to the whole process group (a service manager, `timeout`, kill -TERM -PGID) reaches the
    # workers too: they unwind the same way instead of dying with their temp files left behind.
    signal.signal(signal.SIGTERM, stop)
    die_with_parent(signal.SIGINT, parent)
    if parent is not None:
        threading.Thread(target=_watch_parent, args=(parent,), name="vidcoop-orphan-watch", daemon=True).start()


#: How long an orphaned worker may take to stop its render and clean up before it is ended outright.
ORPHAN_GRACE = 15.0


def _watch_parent(parent: int, every: float = 0.2) -> None:
    """A pool worker's safety net: once the coordinator is gone, never outlive it for long.

    The kernel's SIGINT (``PR_SET_PDEATHSIG``) normally stops the render and the worker exits after it;
    but a worker between tasks, or one the signal reached at an unlucky moment, would otherwise wait on
    the pool's queue for ever, holding the terminal's pipes open. This sends the same SIGINT again and,
    after :data:`ORPHAN_GRACE` seconds for the cleanup, ends the process.
    """
    while os.getppid() == parent:
        time.sleep(every)
    if not _interrupted:
        with contextlib.suppress(OSError):
            os.kill(os.getpid(), signal.SIGINT)
    time.sleep(ORPHAN_GRACE)
    os._exit(130)


def _manager_setup(parent: int) -> None:
    """The progress manager outlives Ctrl-C and SIGTERM (it ignores SIGINT by itself) until the
    coordinator shuts it down: workers that unwind still reach it. It dies with the coordinator."""
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    die_with_parent(signal.SIGKILL, parent)


@contextlib.contextmanager
def _sigint_blocked() -> Iterator[None]:
    """Block SIGINT in this thread (and the threads and processes it starts); a pending one arrives after."""
    if not hasattr(signal, "pthread_sigmask"):  # pragma: no cover - Windows
        yield
        return
    from multiprocessing import resource_tracker

    # The first process spawned starts multiprocessing's resource tracker, which unblocks SIGINT in the
    # thread that spawns (the cluster's event loop): started here first, it leaves the mask alone.
    resource_tracker.ensure_running()
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def _interrupt_workers(pool: Any) -> None:
    """Send SIGINT to the pool's live worker processes (they stop their render and clean up)."""
    for proc in list((getattr(pool, "_processes", None) or {}).values()):
        if proc.is_alive() and proc.pid is not None:
            with contextlib.suppress(OSError):
                os.kill(proc.pid, signal.SIGINT)


def _orphaned() -> bool:
    return _parent is not None and os.getppid() != _parent


def _run_in_pool(task: RenderTask) -> TaskDone:
    if _orphaned():
        os._exit(130)  # a task taken after the coordinator died: nobody waits for it
    if _interrupted:
        raise SystemExit(130)
    try:
        return run_task(task, _progress)
    finally:
        if _orphaned():
            # The coordinator died (kill -9) and the render has unwound: nobody waits for a result, and
            # the pool loop would otherwise block on its own queue for a next task forever.
            os._exit(130)


def _start_drain(queue: Any, on_progress: ProgressHook) -> threading.Thread:
    def drain() -> None:
        while True:
            try:
                item = queue.get()
            except (EOFError, OSError):
                return
            if item is None:
                return
            on_progress(*item)

    thread = threading.Thread(target=drain, name="vidcoop-batch-progress", daemon=True)
    thread.start()
    return thread
