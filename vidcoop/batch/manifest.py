"""Week manifests: which episodes to render this week, where, and in which profiles.

Example (``version: 1``)::

    version: 1
    name: kw48
    output: out/                 # relative to this file
    profiles: [final, preview]   # out/<episode>.mp4 and out/<episode>.preview.mp4
    covers: true                 # out/<episode>.cover.jpg (default true)
    brand_kit: ../brand_kits/neutral   # optional; its files are part of the skip key
    episodes:
      - episodes/buergergeld.yaml          # a path, relative to this file
      - path: episodes/pflege.yaml
        name: pflege-teil-1                # optional override of the output name
        cover_at: 00:00:04                 # cover frame (episode time); default: sharpest frame
        publish: 2026-11-24 17:00          # when to post (the channel's time zone): post package, week.ics
      - name: kurz                         # an inline episode (the episode manifest schema)
        episode: {version: 1, title: Kurz, segments: [{source: clips/a.mp4}]}
      - {version: 1, name: kurz2, segments: [{source: clips/b.mp4}]}   # or written directly
    jobboard:                              # the weekly job board (partner-slot format)
      jobs: jobs/kw48.csv
      channel: ../channel/channel.yaml
      week: 2026-W48                       # ISO week; default: the current week
      name: stellenboerse-kw48             # optional; parts become <name>-teil<N>

Only the week's own structure is validated when it is loaded; each episode
is loaded later on its own (:func:`resolve_episodes`), so one broken episode
manifest fails that episode and not the week.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import datetime
from fractions import Fraction
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from vidcoop import jobboard
from vidcoop.datafiles import load_yaml, validate
from vidcoop.engine.profiles import get_profile
from vidcoop.errors import ManifestError, VidcoopError
from vidcoop.outputs import inside_project
from vidcoop.partners.store import recover_job_lists
from vidcoop.timeline.manifest import Time, check_version, episode_from_dict, load_episode
from vidcoop.timeline.model import Episode

SCHEMA_VERSION = 1
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,79}$")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _check_name(value: str | None) -> str | None:
    if value is not None and not _NAME.match(value):
        raise ValueError("a name is 1-80 letters, digits, '.', '_' or '-' and starts with a letter or digit")
    return value


class EpisodeRefModel(_Strict):
    path: str | None = None
    name: str | None = None
    episode: dict[str, Any] | None = None
    cover_at: Time | None = None
    publish: datetime | None = None
    direct: bool = False

    _name = field_validator("name")(_check_name)

    @model_validator(mode="before")
    @classmethod
    def _from_path(cls, data: Any) -> Any:
        # A bare string is the common case: an episode manifest path.
        if isinstance(data, str):
            return {"path": data}
        # An episode written directly in the list (it has 'segments'): wrap it.
        if isinstance(data, dict) and "segments" in data and "episode" not in data and "path" not in data:
            extra = {k: data[k] for k in ("publish",) if k in data}
            return {"episode": {k: v for k, v in data.items() if k not in extra}, "direct": True, **extra}
        return data

    @model_validator(mode="after")
    def _one_source(self) -> EpisodeRefModel:
        if (self.path is None) == (self.episode is None):
            raise ValueError("give either 'path' (an episode manifest) or 'episode' (an inline episode)")
        return self


class JobBoardModel(_Strict):
    jobs: str
    channel: str
    name: str | None = None
    week: str | None = None
    publish: datetime | None = None

    _name = field_validator("name")(_check_name)


class WeekModel(_Strict):
    version: Literal[1]
    name: str | None = None
    output: str = "out"
    profiles: list[str] = Field(default_factory=lambda: ["final"], min_length=1)
    brand_kit: str | None = None
    covers: bool = True
    episodes: list[EpisodeRefModel] = Field(default_factory=list)
    jobboard: JobBoardModel | None = None


@dataclass(frozen=True)
class EpisodeEntry:
    """One episode line of a week manifest, not yet loaded.

    Attributes:
        field: Where it sits in the week manifest (``episodes.2``), for errors.
        name: The output name, if the week fixes it (else the episode's own name).
        path: The episode manifest, for path entries.
        inline: The episode's data, for inline entries.
        inline_field: Field path of the inline episode's data in the week (for errors).
        jobboard: The job board settings, for the job-board entry.
        cover_at: Episode time of the cover frame; None = the sharpest frame.
        publish: When to post it (naive = the channel's time zone); job-board parts follow a day apart.
    """

    field: str
    name: str | None = None
    path: Path | None = None
    inline: dict[str, Any] | None = None
    jobboard: JobBoardSpec | None = None
    cover_at: Fraction | None = None
    inline_field: str | None = None
    publish: datetime | None = None


@dataclass(frozen=True)
class JobBoardSpec:
    """The week's job board: a jobs file and the channel whose partners own the slots."""

    jobs: Path
    channel: Path
    name: str | None = None
    week: str | None = None


@dataclass(frozen=True)
class Week:
    """A validated week manifest."""

    path: Path
    name: str
    output: Path
    profiles: tuple[str, ...]
    entries: tuple[EpisodeEntry, ...]
    brand_kit: Path | None = None
    jobboard: JobBoardSpec | None = None
    covers: bool = True


def load_week(path: str | Path, *, output: str | Path | None = None) -> Week:
    """Read and validate a week manifest (not the episodes it lists).

    Args:
        path: The week manifest.
        output: An output folder given by the user (``-o``); it replaces the week's
            ``output:``, which must stay inside the week's folder tree.

    Raises:
        ManifestError: naming the week file and the dotted field path.
        OutputError: the week's ``output:`` leaves its folder.
    """
    from dataclasses import replace

    p = Path(path)
    data = load_yaml(p, what="week manifest file")
    check_version(data, p, what="week manifest", main_key="episodes", version=SCHEMA_VERSION)
    model = validate(WeekModel, data, path=p)
    week = _to_week(model, p)
    if output is not None:
        return replace(week, output=Path(output))
    inside_project(week.output, p)
    return week


def _to_week(m: WeekModel, p: Path) -> Week:
    # Everything the week names is absolute from here on: tasks go to workers whose working folder differs.
    base = p.absolute().parent
    for i, name in enumerate(m.profiles):
        try:
            get_profile(name)
        except ManifestError as exc:
            raise ManifestError(exc.message, path=p, field=f"profiles.{i}") from None
    if len(set(m.profiles)) != len(m.profiles):
        raise ManifestError("a profile is listed twice", path=p, field="profiles")
    entries: list[EpisodeEntry] = []
    for i, item in enumerate(m.episodes):
        where = f"episodes.{i}"
        if item.path is not None:
            entries.append(EpisodeEntry(field=where, name=item.name, path=_resolve(base, item.path),
                                        cover_at=item.cover_at, publish=item.publish))
        else:
            # Errors inside an inline episode point at its fields, e.g. episodes.2.episode.segments.0.in.
            prefix = where if item.direct else f"{where}.episode"
            entries.append(EpisodeEntry(field=where, name=item.name, inline=item.episode, cover_at=item.cover_at,
                                        inline_field=prefix, publish=item.publish))
    board = None
    if m.jobboard is not None:
        j = m.jobboard
        board = JobBoardSpec(jobs=_resolve(base, j.jobs), channel=_resolve(base, j.channel), name=j.name,
                             week=j.week)
        entries.append(EpisodeEntry(field="jobboard", name=j.name, jobboard=board, publish=j.publish))
    if not entries:
        raise ManifestError("the week lists no episodes and no job board", path=p, field="episodes")
    fixed = [(e.name, e.field) for e in entries if e.name]
    seen: dict[str, str] = {}
    for name, where in fixed:
        if name in seen:
            raise ManifestError(f"episode name {name!r} is used twice (also at {seen[name]})", path=p,
                                field=f"{where}.name" if where != "jobboard" else "jobboard.name")
        seen[name] = where
    return Week(
        path=p,
        name=m.name or p.stem,
        output=_resolve(base, m.output),
        profiles=tuple(m.profiles),
        entries=tuple(entries),
        brand_kit=_resolve(base, m.brand_kit) if m.brand_kit else None,
        jobboard=board,
        covers=m.covers,
    )


def resolve_episodes(week: Week, entry: EpisodeEntry) -> list[Episode]:
    """Load one entry's episodes: one for a path or inline entry, one per part for the job board.

    Raises:
        ManifestError: for a broken episode manifest (naming that file, or the
            week file and ``episodes.N.episode.<field>`` for inline episodes).
        VidcoopError: whatever the job board raises for bad job data or policy.
    """
    from dataclasses import replace

    if entry.jobboard is not None:
        return jobboard_episodes(entry.jobboard)
    if entry.path is not None:
        episode = load_episode(entry.path)
    elif entry.inline is not None:
        try:
            episode = episode_from_dict(entry.inline, base=week.path.absolute().parent, source=week.path)
        except ManifestError as exc:
            prefix = entry.inline_field or f"{entry.field}.episode"
            inner = prefix + (f".{exc.field}" if exc.field else "")
            raise ManifestError(exc.message, path=week.path, field=inner, hint=exc.hint) from None
    else:  # pragma: no cover - _to_week always sets one
        raise ManifestError("empty episode entry", path=week.path, field=entry.field)
    name = entry.name or episode.name
    if not name or not _NAME.match(name):
        raise ManifestError(
            f"episode has no usable name ({name!r}); add 'name:' to the week entry",
            path=week.path, field=f"{entry.field}.name",
        )
    return [replace(episode, name=name)]


@dataclass(frozen=True)
class WeekEpisode:
    """One episode of the week as loaded: its entry, the name its outputs use, and the episode or why not."""

    entry: EpisodeEntry
    name: str
    episode: Episode | None = None
    error: VidcoopError | None = None


def week_episodes(week: Week) -> list[WeekEpisode]:
    """Every episode of the week in order, each with a name of its own: the one loop over a week's entries.

    An entry that does not load keeps its row, with the error. Twins fail after the first, naming it:
    two names equal but for case (their outputs would overwrite each other; on many disks they are one
    file), and two manifests whose edited captions would be one file (``x.yaml`` and ``x.yml``). A twin's
    name gets its field appended, so every row stays addressable.
    """
    items: list[WeekEpisode] = []
    for i, entry in enumerate(week.entries):
        fallback = entry.name or (entry.path.stem if entry.path else f"episode-{i + 1}")
        try:
            episodes = resolve_episodes(week, entry)
        except VidcoopError as exc:
            items.append(WeekEpisode(entry, fallback, error=exc))
            continue
        items += [WeekEpisode(entry, episode.name or fallback, episode) for episode in episodes]
    return _refuse_twins(week, items)


def _refuse_twins(week: Week, items: list[WeekEpisode]) -> list[WeekEpisode]:
    # Loaded episodes claim their names first (in order), then the rows that failed to load.
    names: dict[str, WeekEpisode] = {}
    files: dict[tuple[Path, str], WeekEpisode] = {}
    out = list(items)
    for k in sorted(range(len(items)), key=lambda n: items[n].error is not None):
        item = items[k]
        key = item.name.casefold()
        if key in names:
            error = item.error or ManifestError(
                f"episode name {item.name!r} is already used by {names[key].entry.field}",
                path=week.path, field=f"{item.entry.field}.name", hint="set a distinct 'name:' in the week")
            item = replace(item, name=f"{item.name}#{item.entry.field}", error=error)
        manifest = item.episode.manifest if item.episode is not None and item.entry.path is not None else None
        if item.error is None and manifest is not None:
            real = manifest.resolve()
            twin = files.setdefault((real.parent, real.stem.casefold()), item)
            twin_manifest = twin.episode.manifest if twin.episode is not None else None
            if twin_manifest is not None and twin_manifest.resolve() != real:
                item = replace(item, error=ManifestError(
                    f"{manifest.name} would save its captions to the same file as {twin_manifest.name} "
                    f"({twin.entry.field})", path=week.path, field=item.entry.field,
                    hint="rename one of the two manifests"))
        names.setdefault(item.name.casefold(), item)
        out[k] = item
    return out


def jobboard_episodes(spec: JobBoardSpec) -> list[Episode]:
    """The week's job-board episode(s), built by :mod:`vidcoop.jobboard` (one per part).

    Invalid or expired job rows are left out by the job board's validation;
    its own report lists them. With ``name:`` set, parts are ``<name>`` or
    ``<name>-teil<N>``; otherwise the job board's names are kept.
    """
    from dataclasses import replace

    recover_job_lists(spec.channel)  # accepted partner listings a crash left out of the file go in first
    report = jobboard.validate(spec.jobs, spec.channel, spec.week)
    episodes: list[Episode] = jobboard.build_episode(report, spec.channel, spec.week)
    if spec.name is None:
        return episodes
    if len(episodes) == 1:
        return [replace(episodes[0], name=spec.name)]
    return [replace(ep, name=f"{spec.name}-teil{i + 1}") for i, ep in enumerate(episodes)]


def _resolve(base: Path, value: str) -> Path:
    p = Path(value).expanduser()
    return p if p.is_absolute() else base / p
