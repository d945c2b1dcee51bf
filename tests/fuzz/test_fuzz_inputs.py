"""Hypothesis fuzzing of every file a user hands to vidcoop (issue #9).

Episode and week manifests (random and mutated valid ones), SRT/VTT/cues
JSON, and job lists as CSV/YAML/JSON go through the loaders and through the
CLI in-process (``vidcoop check``, ``vidcoop captions``, ``vidcoop jobboard
--check``). The only allowed outcomes are success or a ``VidcoopError``
(for the CLI: exit codes with one message, never another exception). Every
example runs in its own temp folder and must finish within the deadline, and
nothing may be written outside it.

Bounded: each test runs a few dozen examples (``max_examples``), so the whole
file takes well under a minute. With ``CI=true`` the examples are
derandomized, so a CI run is reproducible; locally each run explores anew.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from vidcoop.errors import VidcoopError

REPO = Path(__file__).resolve().parents[2]
EXAMPLE_CHANNEL = REPO / "examples" / "channel" / "channel.yaml"

FUZZ = settings(
    max_examples=int(os.environ.get("VIDCOOP_FUZZ_EXAMPLES", "30")),  # raise it for a long local hunt
    deadline=timedelta(seconds=5),  # "never slow": a hang or a blow-up fails the example
    database=None,  # nothing written into the repository
    derandomize=os.environ.get("CI", "").lower() == "true",
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.function_scoped_fixture,
        HealthCheck.data_too_large,
        HealthCheck.filter_too_much,
    ],
)

# --- strategies -------------------------------------------------------------------------------------------

NASTY_TEXT = [
    "",
    "0",
    "-1",
    "1e999999999",
    "1e309",
    "99:99:99",
    "00:00:01,000",
    "-00:00:01,000",
    "[/]",
    "[link=https://x.example]x[/link]",
    "{\\fs200}",
    "<b>fett</b>",
    "\x00",
    "🙂",
    "ä" * 300,
    "*a",
    "&a",
    "c:o:l.mp4",
    "../../etc/passwd",
    "#fff",
    "#12",
    "nan",
    "inf",
    "~",
    "null",
    "yes",
]
texts = st.one_of(st.sampled_from(NASTY_TEXT), st.text(max_size=40))
leaves = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=True, allow_infinity=True),
    texts,
)
values = st.recursive(
    leaves,
    lambda children: st.one_of(st.lists(children, max_size=4), st.dictionaries(texts, children, max_size=4)),
    max_leaves=20,
)

VALID_EPISODE: dict[str, Any] = {
    "version": 1,
    "title": "Was ist Bürgergeld?",
    "crossfade": 0.2,
    "segments": [
        {"image": "card.png", "duration": 1, "reframe": {"mode": "fit-pad", "color": "#fff"}, "kind": "body"},
        {"image": "card.png", "duration": "00:00:01.500", "reframe": "fit-blur", "volume": 0.5},
    ],
    "overlays": [{"image": "card.png", "position": {"x": 40, "y": 200}, "width": 100, "start": 0, "end": 1}],
    "captions": "off",
    "logo": False,
    "lower_thirds": [{"name": "Aylin Demir", "role": "Beraterin", "start": 0, "end": 1}],
    "audio": {"normalize": False, "loudness": {"integrated": -14, "true_peak": -1}},
}

VALID_WEEK: dict[str, Any] = {
    "version": 1,
    "name": "KW 48",
    "output": "out",
    "profiles": ["final"],
    "covers": False,
    "episodes": ["ep.yaml", {"path": "ep.yaml", "name": "zwei", "cover_at": 0.5}],
}

SCHEMA_KEYS = [
    "version",
    "segments",
    "overlays",
    "image",
    "source",
    "in",
    "out",
    "duration",
    "reframe",
    "mode",
    "focus",
    "color",
    "audio",
    "music",
    "file",
    "fade_in",
    "loudness",
    "volume",
    "position",
    "x",
    "width",
    "captions",
    "lower_thirds",
    "episodes",
    "path",
    "cover_at",
    "profiles",
    "output",
]


def _paths(data: Any, prefix: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    yield prefix
    if isinstance(data, dict):
        for key, value in data.items():
            yield from _paths(value, (*prefix, key))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            yield from _paths(value, (*prefix, i))


@st.composite
def mutated(draw: st.DrawFn, valid: dict[str, Any]) -> Any:
    """A valid document with one to three of its values replaced, removed or joined by a stranger."""
    data = json.loads(json.dumps(valid))
    for _ in range(draw(st.integers(1, 3))):
        path = draw(st.sampled_from(list(_paths(data))))
        if not path:
            continue
        parent: Any = data
        for part in path[:-1]:
            parent = parent[part]
        op = draw(st.sampled_from(["replace", "delete", "add"]))
        key = path[-1]
        if op == "replace":
            parent[key] = draw(values)
        elif op == "delete":
            del parent[key]
        elif isinstance(parent, dict):
            parent[draw(st.sampled_from(SCHEMA_KEYS) | texts)] = draw(values)
        else:
            parent.append(draw(values))
    return data


def yaml_documents(valid: dict[str, Any]) -> st.SearchStrategy[str]:
    """YAML text: mutated valid documents, random ones, and raw text edits of valid YAML."""
    # Mostly mutations of a valid document (they reach deep into validation), some wholly random data.
    as_yaml = st.one_of(mutated(valid), mutated(valid), values).map(lambda d: yaml.safe_dump(d, allow_unicode=True))
    base = yaml.safe_dump(valid, allow_unicode=True)
    edited = st.tuples(
        st.integers(0, len(base)),
        st.sampled_from(
            ["*", "&a ", "[", "{", ":", "\n  - ", "- ", "!!", "'", '"', "\t", "\x00", "<<: *a\n", *NASTY_TEXT]
        ),
    )
    raw = edited.map(lambda e: base[: e[0]] + e[1] + base[e[0] :])
    return st.one_of(as_yaml, raw)


# --- harness ------------------------------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def _sandbox(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Work in an empty folder and check that nothing appears outside the examples' own temp folders.

    The cache (content fingerprints of partner media) is redirected into this test's temp folder.
    """
    cwd = tmp_path / "cwd"
    cwd.mkdir()
    monkeypatch.chdir(cwd)
    monkeypatch.setenv("VIDCOOP_CACHE_DIR", str(tmp_path / "cache"))
    repo_before = sorted(p.name for p in REPO.iterdir())
    yield
    assert sorted(p.name for p in REPO.iterdir()) == repo_before, "a file was written into the repository"
    assert not any(cwd.iterdir()), f"files written into the working folder: {list(cwd.iterdir())}"


@contextmanager
def example_folder() -> Iterator[Path]:
    """A fresh folder per example, with a small card image the manifests may name."""
    from PIL import Image

    with tempfile.TemporaryDirectory(prefix="vidcoop-fuzz-") as folder:
        root = Path(folder)
        Image.new("RGB", (64, 64), (30, 60, 90)).save(root / "card.png")
        yield root


def only_vidcoop_errors(call: Any) -> Any:
    try:
        return call()
    except VidcoopError:
        return None


def cli_ok(args: list[str]) -> Any:
    """Run the CLI in-process; a VidcoopError or a usage error is fine, any other exception is not."""
    import click

    from vidcoop.cli.main import cli

    result = CliRunner().invoke(cli, args, catch_exceptions=True)
    exc = result.exception
    if exc is not None and not isinstance(exc, (VidcoopError, SystemExit, click.ClickException)):
        raise exc
    return result


def _new_files(root: Path, allowed: set[str]) -> set[str]:
    return {str(p.relative_to(root)) for p in root.rglob("*")} - allowed


# --- manifests ---------------------------------------------------------------------------------------------


@FUZZ
@given(text=yaml_documents(VALID_EPISODE))
def test_episode_manifests_load_and_check(text: str) -> None:
    from vidcoop.timeline.manifest import load_episode

    with example_folder() as root:
        path = root / "ep.yaml"
        path.write_text(text, encoding="utf-8")
        before = {str(p.relative_to(root)) for p in root.rglob("*")}
        only_vidcoop_errors(lambda: load_episode(path))
        result = cli_ok(["check", str(path), "--channel", str(EXAMPLE_CHANNEL)])
        assert result.exit_code in (0, 1, 2) or isinstance(result.exception, VidcoopError)
        assert not _new_files(root, before)


@FUZZ
@given(text=yaml_documents(VALID_WEEK), episode=yaml_documents(VALID_EPISODE))
def test_week_manifests_load(text: str, episode: str) -> None:
    from vidcoop.batch.manifest import load_week, resolve_episodes

    with example_folder() as root:
        (root / "week.yaml").write_text(text, encoding="utf-8")
        (root / "ep.yaml").write_text(episode, encoding="utf-8")
        before = {str(p.relative_to(root)) for p in root.rglob("*")}
        week = only_vidcoop_errors(lambda: load_week(root / "week.yaml"))
        if week is not None:
            for entry in week.entries:
                only_vidcoop_errors(lambda entry=entry: resolve_episodes(week, entry))
        assert not _new_files(root, before)


def test_the_valid_documents_are_valid() -> None:
    """The mutation bases themselves load, so mutations start from something meaningful."""
    from vidcoop.batch.manifest import load_week
    from vidcoop.timeline.manifest import load_episode

    with example_folder() as root:
        (root / "ep.yaml").write_text(yaml.safe_dump(VALID_EPISODE), encoding="utf-8")
        (root / "week.yaml").write_text(yaml.safe_dump(VALID_WEEK), encoding="utf-8")
        assert len(load_episode(root / "ep.yaml").segments) == 2
        assert len(load_week(root / "week.yaml").entries) == 2


# --- caption files -----------------------------------------------------------------------------------------

stamps = st.builds(
    lambda sign, h, m, s, ms, sep: f"{sign}{h:02d}:{m:02d}:{s:02d}{sep}{ms:03d}",
    st.sampled_from(["", "", "-"]),
    st.integers(0, 120),
    st.integers(0, 70),
    st.integers(0, 70),
    st.integers(0, 1200),
    st.sampled_from([",", ".", ":"]),
)
caption_lines = st.one_of(
    st.builds(lambda a, b: f"{a} --> {b}", stamps, stamps),
    st.builds(lambda a: f"{a} --> ", stamps),
    st.integers(0, 10**6).map(str),
    st.sampled_from(["", "", "WEBVTT", "NOTE x", "STYLE", "-->", "<i>kursiv</i>", "{\\b1}fett", "&amp;"]),
    texts,
)
caption_files = st.lists(caption_lines, max_size=14).map("\n".join)


@st.composite
def cues_json(draw: st.DrawFn) -> str:
    cue = {
        "start": draw(st.one_of(values, stamps)),
        "end": draw(st.one_of(values, stamps)),
        "lines": draw(st.one_of(values, st.lists(texts, max_size=3))),
        "words": draw(values),
    }
    doc: dict[str, Any] = {
        "schema": draw(st.sampled_from(["vidcoop.cues", "x"])),
        "version": draw(st.sampled_from([1, 2])),
        "cues": draw(st.one_of(values, st.just([cue]))),
    }
    return json.dumps(doc)


@FUZZ
@given(
    text=st.one_of(caption_files, cues_json()),
    fmt=st.sampled_from(["srt", "vtt", "json"]),
    target=st.sampled_from(["srt", "vtt", "ass", "json"]),
)
def test_caption_files_load_and_convert(text: str, fmt: str, target: str) -> None:
    from vidcoop.captions.formats import Cues

    with example_folder() as root:
        source = root / f"in.{fmt}"
        source.write_text(text, encoding="utf-8")
        only_vidcoop_errors(lambda: Cues.from_string(text, fmt, path=source))
        out = root / f"out.{target}"
        result = cli_ok(["captions", str(source), "-o", str(out), "--format", target])
        assert result.exception is None or out.exists() is False or result.exit_code == 0
        assert not _new_files(root, {"card.png", source.name, out.name})


line_text = st.text(
    st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp", "Zs"), blacklist_characters="\u2060"),
    min_size=1,
    max_size=30,
)


@FUZZ
@given(lines=st.lists(st.lists(line_text, min_size=1, max_size=2), min_size=1, max_size=4))
def test_srt_and_vtt_keep_any_text_literally(lines: list[list[str]]) -> None:
    """Whatever a person typed comes back from SRT and VTT exactly: braces, tags, backslashes, emoji."""
    from fractions import Fraction

    from vidcoop.captions.formats import Cues
    from vidcoop.captions.model import Cue

    cues = Cues(tuple(Cue(Fraction(i), Fraction(i) + Fraction(1, 2), tuple(block)) for i, block in enumerate(lines)))
    for fmt in ("srt", "vtt"):
        text = cues.to_string(fmt)
        back = Cues.from_string(text, fmt)
        assert [c.lines for c in back] == [c.lines for c in cues], (fmt, text)
        assert [(c.start, c.end) for c in back] == [(c.start, c.end) for c in cues]
        if fmt == "srt":
            assert "{\\" not in text and "<b>" not in text  # nothing a player would style


# --- job lists ----------------------------------------------------------------------------------------------

HEADER = ["title", "partner", "location", "hours", "start", "description", "apply", "expires"]
GOOD_ROW = [
    "Erzieher [m/w/d] Kita",
    "caritas-musterstadt",
    "Köln",
    "Vollzeit",
    "ab sofort",
    "Mit Herz.",
    "https://caritas.example.de/jobs/1",
    "31.12.2026",
]
cells = st.one_of(
    st.sampled_from(GOOD_ROW),
    texts,
    st.sampled_from(
        ["", ";", '"', '""', "a;b", "\n", "0001-01-01", "https://u:p@x.example.de", "https://x.de:99999", "x" * 300]
    ),
)
rows = st.lists(st.lists(cells, min_size=0, max_size=9), max_size=4)


def _csv(header: list[str], body: list[list[str]], delimiter: str) -> str:
    import csv
    import io

    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter)
    writer.writerow(header)
    writer.writerows(body)
    return out.getvalue()


@st.composite
def job_files(draw: st.DrawFn) -> tuple[str, bytes]:
    kind = draw(st.sampled_from(["csv", "raw-csv", "yaml", "json"]))
    header = draw(st.one_of(st.just(HEADER), st.lists(st.sampled_from([*HEADER, "titel", "ort", "x", ""]), max_size=9)))
    body = draw(rows)
    if kind == "csv":
        return "csv", _csv(header, [GOOD_ROW, *body], draw(st.sampled_from([";", ",", "\t"]))).encode()
    if kind == "raw-csv":
        raw = draw(st.one_of(st.sampled_from([";;;", '""', "", "\n\n", ";\n;", '"' * 5]), st.text(max_size=200)))
        return "csv", raw.encode("utf-8", "surrogatepass")
    jobs = [dict(zip(header, row, strict=False)) for row in body] or draw(values)
    doc = draw(st.sampled_from([jobs, {"version": 1, "jobs": jobs}]))
    text = yaml.safe_dump(doc, allow_unicode=True) if kind == "yaml" else json.dumps(doc)
    return kind, text.encode()


@FUZZ
@given(job=job_files())
def test_job_lists_load_validate_and_check(job: tuple[str, bytes]) -> None:
    from vidcoop.jobboard import load, validate

    kind, data = job
    with example_folder() as root:
        path = root / f"jobs.{kind}"
        path.write_bytes(data)
        table = only_vidcoop_errors(lambda: load(path))
        if table is not None:
            report = only_vidcoop_errors(lambda: validate(table, EXAMPLE_CHANNEL, "2026-W48"))
            if report is not None:  # every row is accounted for: none is dropped silently
                seen = {j.row for j in (*report.ok, *report.expired)} | {i.row for i in report.invalid}
                assert seen == {r.row for r in table.rows}
        result = cli_ok(["jobboard", str(path), "--channel", str(EXAMPLE_CHANNEL), "--week", "2026-W48", "--check"])
        assert result.exit_code in (0, 1, 2)
        assert not _new_files(root, {"card.png", path.name})
