"""The vidcoop exception tree.

Every error the library raises on purpose derives from :class:`VidcoopError`.
Errors keep their data as attributes (file, field, command, stderr tail) so
that callers can act on them, and they pickle, because batch jobs run in other
processes and on other machines and must bring the same typed error back.

    VidcoopError
    ├── ManifestError        a manifest, config or data file is malformed
    ├── MediaError           a source file is missing, unreadable, or too short
    ├── PolicyError          an episode breaks a channel rule (partner slots, safe zone)
    ├── RenderError          ffmpeg failed; carries the command and stderr tail
    ├── TranscriptionError   speech recognition could not run (model, backend)
    ├── CaptionError         a caption file or caption layout problem
    ├── OutputError          an output cannot be written there (an input, a folder, a full or read-only disk)
    └── WorkerError          a cluster worker cannot do a task (version, storage, ffmpeg, model)
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any


def first_line(exc: BaseException, limit: int | None = None) -> str:
    """The first line of an exception's message, or its type's name when it has none; cut at ``limit``."""
    text = str(exc).strip()
    line = text.splitlines()[0] if text else type(exc).__name__
    return line if limit is None else line[:limit]


def brief(exc: BaseException) -> str:
    """The first line of a foreign exception's message (or its type), for one-line errors."""
    return first_line(exc, 160)


# C0 and C1 controls but the tab (ESC starts terminal escapes, CR overwrites the line, BEL rings),
# DEL, the line and paragraph separators, and the bidi marks, embeddings, overrides and isolates
# (U+202E turns the rest of a line around: "gpj.exe" shows as "exe.jpg").
_UNPRINTABLE = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def printable(text: str) -> str:
    """``text`` with control characters written as escapes (``\\x1b``, ``\\u202e``), for a terminal.

    Messages carry user text (titles, file names), and a terminal obeys the controls in it: an ESC
    sequence recolours or clears the screen, a CR hides what came before, a bidi override reverses
    what follows. The CLI passes every message it prints through this, once, where it prints.
    """
    return _UNPRINTABLE.sub(_escaped, text)


def _escaped(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def shorten(text: str, limit: int = 60) -> str:
    """``text`` cut to at most ``limit`` characters, an ellipsis marking the cut (for one-line messages)."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


class VidcoopError(Exception):
    """Root of every error vidcoop raises on purpose.

    Args:
        message: What went wrong, in one line, for a person.
        path: The file the problem is about, if any.
        field: The dotted field path inside that file (``segments.2.out``), if any.
        hint: A short suggestion of what to do about it.
    """

    def __init__(
        self,
        message: str,
        *,
        path: str | Path | None = None,
        field: str | None = None,
        hint: str | None = None,
    ) -> None:
        self.message = message
        self.path = str(path) if path is not None else None
        self.field = field
        self.hint = hint
        super().__init__(self.__str__())

    def _kwargs(self) -> dict[str, Any]:
        return {"path": self.path, "field": self.field, "hint": self.hint}

    def __reduce__(self) -> tuple[Any, ...]:
        # Keyword-only constructors do not survive pickle's default protocol.
        return (_rebuild, (type(self), self.message, self._kwargs()))

    def __str__(self) -> str:
        where = ""
        if self.path:
            where = self.path
            if self.field:
                where += f" [{self.field}]"
            where += ": "
        elif self.field:
            where = f"[{self.field}] "
        text = f"{where}{self.message}"
        if self.hint:
            text += f" ({self.hint})"
        return text


def _rebuild(cls: type[VidcoopError], message: str, kwargs: dict[str, Any]) -> VidcoopError:
    return cls(message, **kwargs)


class ManifestError(VidcoopError):
    """A manifest, channel config, brand kit or data file is malformed."""


class MediaError(VidcoopError):
    """A source file is missing, not media, corrupt, or shorter than asked for."""


class PolicyError(VidcoopError):
    """An episode breaks a channel rule; nothing was rendered.

    Args:
        episode: The episode's name or manifest path.
        format: The channel format the episode claims.
        rule: A short, stable identifier of the broken rule (``no-partner-slots``).
    """

    def __init__(
        self,
        message: str,
        *,
        episode: str | None = None,
        format: str | None = None,
        rule: str | None = None,
        path: str | Path | None = None,
        field: str | None = None,
        hint: str | None = None,
    ) -> None:
        self.episode = episode
        self.format = format
        self.rule = rule
        super().__init__(message, path=path, field=field, hint=hint)

    def _kwargs(self) -> dict[str, Any]:
        return {**super()._kwargs(), "episode": self.episode, "format": self.format, "rule": self.rule}

    def __str__(self) -> str:
        parts = []
        if self.episode:
            parts.append(f"episode {self.episode!r}")
        if self.format:
            parts.append(f"format {self.format!r}")
        if self.rule:
            parts.append(f"rule {self.rule}")
        prefix = ", ".join(parts)
        base = super().__str__()
        return f"{prefix}: {base}" if prefix else base


class RenderError(VidcoopError):
    """ffmpeg failed. Carries the command and the last lines of its stderr.

    Args:
        command: The full argument list that was run.
        stderr_tail: The last lines ffmpeg wrote to stderr.
        returncode: ffmpeg's exit status.
    """

    def __init__(
        self,
        message: str,
        *,
        command: Sequence[str] = (),
        stderr_tail: str = "",
        returncode: int | None = None,
        path: str | Path | None = None,
        field: str | None = None,
        hint: str | None = None,
    ) -> None:
        self.command = list(command)
        self.stderr_tail = stderr_tail
        self.returncode = returncode
        super().__init__(message, path=path, field=field, hint=hint)

    def _kwargs(self) -> dict[str, Any]:
        return {
            **super()._kwargs(),
            "command": self.command,
            "stderr_tail": self.stderr_tail,
            "returncode": self.returncode,
        }


class TranscriptionError(VidcoopError):
    """Speech recognition could not run: missing model, backend or audio."""


class CaptionError(VidcoopError):
    """A caption file cannot be read, or captions cannot be laid out."""


class OutputError(VidcoopError):
    """An output cannot be written where it was asked for.

    It would replace an input, it is a folder or a device, its parent is a
    file, it leaves the project, or the disk is full or read-only. Nothing
    was written under the output's name.
    """


class WorkerError(VidcoopError):
    """A cluster worker cannot do a task, or died doing it; nothing was written.

    Args:
        worker: The worker's address (``tcp://host:port``) and, if known, its process id.
        check: A short, stable identifier of what failed (``version``, ``input``, ``ffmpeg``,
            ``model``, ``died``, ``cancelled``).
    """

    def __init__(
        self,
        message: str,
        *,
        worker: str | None = None,
        check: str | None = None,
        path: str | Path | None = None,
        field: str | None = None,
        hint: str | None = None,
    ) -> None:
        self.worker = worker
        self.check = check
        super().__init__(message, path=path, field=field, hint=hint)

    def _kwargs(self) -> dict[str, Any]:
        return {**super()._kwargs(), "worker": self.worker, "check": self.check}

    def __str__(self) -> str:
        base = super().__str__()
        return f"worker {self.worker}: {base}" if self.worker else base
