"""The public API is typed: mypy sees real types through ``import vidcoop``, not ``Any``."""

from __future__ import annotations

import ast
import importlib
import re
import subprocess
import sys
from pathlib import Path

import pytest

import vidcoop

USER_SCRIPT = """
from fractions import Fraction
from pathlib import Path

import vidcoop

episode = vidcoop.Episode([
    vidcoop.Segment("interview.mp4", start=1.5, end="00:00:09", reframe=vidcoop.Reframe(focus=0.3)),
    vidcoop.Segment(Path("card.png"), duration=3, reframe=vidcoop.Reframe(mode="fit-blur")),
], title="Was ist Bürgergeld?", crossfade=0.2,
   overlays=[vidcoop.Overlay("logo.png", start=0, end=Fraction(5))])
result: vidcoop.RenderResult = vidcoop.render(episode, "out.mp4", progress=lambda p: print(p.fraction))
frames: int = result.frames
info: vidcoop.MediaInfo = vidcoop.probe("interview.mp4")
seconds: Fraction | None = info.duration
loaded: vidcoop.Episode = vidcoop.load_episode("episode.yaml")
try:
    vidcoop.check_episode(loaded, vidcoop.load_channel("channel.yaml"))
except vidcoop.PolicyError as exc:
    print(exc.rule, exc.path)
"""

WRONG = """
import vidcoop

vidcoop.render(vidcoop.Episode([]), 42)
"""


def test_mypy_sees_real_types_through_import_vidcoop(tmp_path: Path) -> None:
    api = pytest.importorskip("mypy.api")
    (tmp_path / "user_script.py").write_text(USER_SCRIPT, encoding="utf-8")
    (tmp_path / "wrong_script.py").write_text(WRONG, encoding="utf-8")
    stdout, stderr, _ = api.run(["--strict", "--cache-dir", str(tmp_path / "cache"), str(tmp_path)])
    output = stdout + stderr
    assert "user_script.py" not in output, output  # the README's kind of script type-checks
    assert 'wrong_script.py:4: error: Argument 2 to "render" has incompatible type "int"' in output, output


@pytest.mark.parametrize("package", ["vidcoop", "vidcoop.captions", "vidcoop.jobboard"])
def test_type_checking_imports_match_the_lazy_exports(package: str) -> None:
    module = importlib.import_module(package)
    tree = ast.parse(Path(module.__file__ or "").read_text(encoding="utf-8"))
    block = next(node for node in tree.body if isinstance(node, ast.If))
    typed = {
        (alias.asname, node.module) for node in block.body if isinstance(node, ast.ImportFrom) for alias in node.names
    }
    exports = module._EXPORTS
    assert typed == {(name, module) for name, module in exports.items()}


def public_names() -> list[str]:
    names = [f"vidcoop.{n}" for n in vidcoop.__all__ if n != "__version__"]
    for package in ("captions", "jobboard"):
        module = importlib.import_module(f"vidcoop.{package}")
        names += [f"vidcoop.{package}.{n}" for n in module.__all__]
    return names


def revealed_any(tmp_path: Path, *, python: str | None = None, env: dict[str, str] | None = None) -> list[str]:
    """mypy --strict on a script that reveals every public name: the lines whose type mentions Any."""
    script = tmp_path / "every_name.py"
    script.write_text("import vidcoop\nimport vidcoop.captions\nimport vidcoop.jobboard\n"
                      + "".join(f"reveal_type({name})\n" for name in public_names()), encoding="utf-8")
    command = [python or sys.executable, "-m", "mypy", "--strict", "--no-incremental", str(script)]
    done = subprocess.run(command, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=600)
    notes = [line for line in done.stdout.splitlines() if "Revealed type" in line]
    assert len(notes) == len(public_names()), done.stdout[-3000:] + done.stderr[-2000:]
    return [line for line in notes if re.search(r"\bAny\b", line)]


@pytest.mark.slow
def test_no_public_name_reveals_any(tmp_path: Path) -> None:
    pytest.importorskip("mypy")
    assert revealed_any(tmp_path) == []


def test_typed_constructors_list_every_field_in_order() -> None:
    # The `if TYPE_CHECKING: def __init__` signatures in timeline/model.py tell mypy what scripts may pass
    # (text paths, numbers for times, lists); they must name the dataclass fields, in order.
    import dataclasses
    import inspect

    from vidcoop.timeline import model

    tree = ast.parse(inspect.getsource(model))
    checked = 0
    for node in tree.body:
        if not isinstance(node, ast.ClassDef):
            continue
        for stmt in node.body:
            if isinstance(stmt, ast.If) and isinstance(stmt.test, ast.Name) and stmt.test.id == "TYPE_CHECKING":
                init = next(s for s in stmt.body if isinstance(s, ast.FunctionDef) and s.name == "__init__")
                params = [a.arg for a in init.args.args[1:]]
                fields = [f.name for f in dataclasses.fields(getattr(model, node.name)) if f.init]
                assert params == fields, node.name
                checked += 1
    assert checked >= 5
