"""Weekly batches: week manifests, incremental keys, executors (local pool, Dask)."""

from vidcoop.batch.executors import (
    EXECUTORS,
    DaskExecutor,
    Executor,
    InlineExecutor,
    LocalExecutor,
    make_executor,
)
from vidcoop.batch.manifest import EpisodeEntry, JobBoardSpec, Week, load_week, resolve_episodes
from vidcoop.batch.naming import output_path
from vidcoop.batch.report import BatchEvent, BatchOptions, BatchReport, EpisodeOutcome, OutputOutcome
from vidcoop.batch.runner import check_week, run_batch
from vidcoop.batch.state import BatchState
from vidcoop.batch.work import RenderTask, TaskDone, run_task
from vidcoop.review.keys import FileHasher, output_key

__all__ = [
    "EXECUTORS",
    "BatchEvent",
    "BatchOptions",
    "BatchReport",
    "BatchState",
    "DaskExecutor",
    "EpisodeEntry",
    "EpisodeOutcome",
    "Executor",
    "FileHasher",
    "InlineExecutor",
    "JobBoardSpec",
    "LocalExecutor",
    "OutputOutcome",
    "RenderTask",
    "TaskDone",
    "Week",
    "check_week",
    "load_week",
    "make_executor",
    "output_key",
    "output_path",
    "resolve_episodes",
    "run_batch",
    "run_task",
]
