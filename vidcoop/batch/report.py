"""What a batch run takes and reports: its options, events while it runs, each output's and episode's
outcome, the week's report (``batch-report.json``)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from vidcoop.batch.manifest import Week
from vidcoop.errors import VidcoopError, first_line
from vidcoop.files import atomic_write_json

REPORT_NAME = "batch-report.json"

RENDERED, SKIPPED, FAILED, OK = "rendered", "skipped", "failed", "ok"
AWAITING = "awaiting review"
PREVIEW = "preview"  # the profile a plain batch renders for the review (vidcoop.engine.profiles)


@dataclass(frozen=True)
class BatchOptions:
    """How to run a week.

    Attributes:
        jobs: Parallel workers (local pool size, or LocalCluster size).
        force: Re-render even up-to-date outputs.
        scheduler: None for the local pool; ``local`` or ``tcp://host:8786`` for Dask;
            ``inline`` renders in this process, one by one (debugging).
        render: Import path of the render function (default ``vidcoop.pipeline:render``,
            or ``VIDCOOP_BATCH_RENDER``).
        output: An output folder chosen by the user (``-o``) instead of the week's ``output:``.
        final: Render the finals (the week's ``profiles:``) instead of the previews. Without it a
            batch renders every episode's preview (the ``preview`` profile, captions burned in as the
            kit styles them, with caption files and covers) for the review, whatever ``profiles:`` says.
        all_episodes: With ``final``, render every episode's finals, approved or not (the
            finals-at-once path); without it only episodes whose approval in the week's reviews
            file matches their current content, and the rest are listed as ``awaiting review``.
        approved_only: The older name of ``final`` (approved episodes' finals); kept as an alias.
        partner_signoffs: With ``final`` (not ``all_episodes``), a job-board episode also needs a current
            sign-off from every partner with cards on it (``vidcoop.partners``; ``batch --approved-only``).
    """

    jobs: int = 1
    force: bool = False
    scheduler: str | None = None
    render: str | None = None
    output: Path | None = None
    approved_only: bool = False
    final: bool = False
    all_episodes: bool = False
    partner_signoffs: bool = False

    @property
    def finals(self) -> bool:
        """Whether this run renders finals (``final``, or its alias ``approved_only``)."""
        return self.final or self.approved_only

    @property
    def needs_approval(self) -> bool:
        """Whether only approved episodes render (finals without ``all_episodes``)."""
        return self.finals and not self.all_episodes

    def profiles(self, week: Week) -> tuple[str, ...]:
        """The profiles this run renders: the week's ``profiles:`` for finals, else the preview."""
        return week.profiles if self.finals else (PREVIEW,)


@dataclass(frozen=True)
class BatchEvent:
    """Something a display may show.

    ``kind`` is ``queued``, ``skipped``, ``progress``, ``done`` or ``failed``;
    ``fraction`` is 0..1 for progress.
    """

    kind: str
    episode: str
    task_id: str | None = None
    fraction: float | None = None
    message: str | None = None


EventHook = Callable[[BatchEvent], None]


@dataclass(frozen=True)
class OutputOutcome:
    """One output of one episode."""

    profile: str
    output: Path
    status: str
    seconds: float = 0.0
    error: str | None = None
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class EpisodeOutcome:
    """One row of the summary table."""

    name: str
    field: str
    status: str
    seconds: float
    outputs: tuple[OutputOutcome, ...] = ()
    error: str | None = None
    error_type: str | None = None
    #: A job board's rows that are not shown (invalid, expired), with partner and reason.
    left_out: tuple[dict[str, Any], ...] = ()

    @property
    def line(self) -> str:
        """Output names, or the error, in one line."""
        if self.error:
            return self.error.splitlines()[0]
        return ", ".join(o.output.name for o in self.outputs)

    def to_dict(self) -> dict[str, Any]:
        return {
            "episode": self.name,
            "field": self.field,
            "status": self.status,
            "seconds": round(self.seconds, 3),
            "outputs": [
                {"profile": o.profile, "path": str(o.output), "status": o.status,
                 "seconds": round(o.seconds, 3), "error": o.error, "warnings": list(o.warnings)}
                for o in self.outputs
            ],
            "error": self.error,
            "error_type": self.error_type,
            "left_out": list(self.left_out),
        }


@dataclass(frozen=True)
class BatchReport:
    """What a batch (or a check) did, per episode."""

    week: Path
    episodes: tuple[EpisodeOutcome, ...]
    seconds: float
    executor: str = "local"
    workers: int = 1
    checked_only: bool = False
    report_path: Path | None = field(default=None, compare=False)
    #: A week-level file (``batch-report.json``, ``week.ics``, the link page) that could not be
    #: written (a full disk), and why; None when all were written.
    report_error: str | None = field(default=None, compare=False)
    #: What the week's plan lacks (``erklaervideo: 1 of 2 planned this week``), as ``vidcoop status`` says.
    warnings: tuple[str, ...] = field(default=(), compare=False)

    @property
    def failed(self) -> tuple[EpisodeOutcome, ...]:
        return tuple(e for e in self.episodes if e.status == FAILED)

    @property
    def ok(self) -> bool:
        return not self.failed and self.report_error is None

    def counts(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for e in self.episodes:
            out[e.status] = out.get(e.status, 0) + 1
        return out

    def to_dict(self) -> dict[str, Any]:
        return {
            "version": 1,
            "week": str(self.week),
            "checked_only": self.checked_only,
            "executor": self.executor,
            "workers": self.workers,
            "seconds": round(self.seconds, 3),
            "counts": self.counts(),
            # Outputs render side by side: their times add up to more than the batch's wall time.
            "render_seconds": round(sum(e.seconds for e in self.episodes), 3),
            "warnings": list(self.warnings),
            "episodes": [e.to_dict() for e in self.episodes],
        }


def write_report(wk: Week, report: BatchReport) -> BatchReport:
    path = wk.output / REPORT_NAME
    try:
        atomic_write_json(path, report.to_dict())
    except VidcoopError as exc:  # a full disk: the caller still gets the outcomes to show
        earlier = f"{report.report_error}; " if report.report_error else ""
        return replace(report, report_error=f"{earlier}batch-report.json not written: {exc}")
    return replace(report, report_path=path)


def one_line(error: BaseException | None) -> str:
    if error is None:
        return ""
    text = first_line(error) if str(error).strip() else ""
    if not isinstance(error, VidcoopError):
        text = f"{type(error).__name__}: {text}" if text else type(error).__name__
    return text
