"""The batch state file: which outputs are done, under which key.

It sits next to the outputs (``.vidcoop-batch.json``) and is rewritten
atomically after every finished output, so a batch killed at any moment
leaves a state that tells the truth: an output is recorded only after its
file was renamed into place.
"""

from __future__ import annotations

import contextlib
import json
import os
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from vidcoop.errors import OutputError, VidcoopError
from vidcoop.files import atomic_write_json

STATE_NAME = ".vidcoop-batch.json"
STATE_VERSION = 1


@dataclass
class BatchState:
    """Recorded keys per output file name, and the file-hash cache."""

    path: Path
    outputs: dict[str, dict[str, Any]] = field(default_factory=dict)
    hashes: dict[str, list[Any]] = field(default_factory=dict)

    @classmethod
    def load(cls, folder: Path) -> BatchState:
        """Read the state of an output folder; a missing or unreadable file means nothing is done."""
        path = folder / STATE_NAME
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return cls(path)
        if not isinstance(data, dict) or data.get("version") != STATE_VERSION:
            return cls(path)
        return cls(path, dict(data.get("outputs") or {}), dict(data.get("hashes") or {}))

    def is_done(self, output: Path, key: str) -> bool:
        """True when ``output`` exists and was recorded under ``key``."""
        entry = self.outputs.get(output.name)
        return bool(entry and entry.get("key") == key and output.is_file())

    def record(self, output: Path, key: str, episode: str, seconds: float) -> None:
        """Mark ``output`` done under ``key`` and save at once.

        Raises:
            OutputError: the state could not be saved (a full disk); the record is
                dropped again, so memory and file agree and the output is redone next time.
        """
        previous = self.outputs.get(output.name)
        self.outputs[output.name] = {
            "key": key,
            "episode": episode,
            "seconds": round(seconds, 3),
            "finished": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        }
        try:
            self.save()
        except VidcoopError:
            if previous is None:
                self.outputs.pop(output.name, None)
            else:
                self.outputs[output.name] = previous
            raise

    def forget(self, output: Path) -> None:
        """Drop ``output``'s record (its file was removed) and save.

        Raises:
            OutputError: the state could not be saved (a full disk).
        """
        if self.outputs.pop(output.name, None) is not None:
            self.save()

    def save(self) -> None:
        atomic_write_json(self.path, {"version": STATE_VERSION, "outputs": self.outputs, "hashes": self.hashes})


LOCK_NAME = ".vidcoop-batch.lock"


@contextlib.contextmanager
def folder_lock(folder: Path) -> Iterator[None]:
    """Hold an exclusive lock on an output folder for one batch run.

    Two batches writing the same folder would overwrite each other's state.
    The operating system drops the lock when the process ends, even on a
    kill, so a lock whose holder died is free again at once. The holder's pid
    is written into the lock file so the refusal can say who holds it.

    Raises:
        VidcoopError: another batch is running on this folder.
        OutputError: the lock file cannot be opened (a folder under its name, no permission).
    """
    folder.mkdir(parents=True, exist_ok=True)
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows: no advisory locks, run one batch at a time
        yield
        return
    path = folder / LOCK_NAME
    try:
        fh = open(path, "a+b")  # noqa: SIM115 - closed by the with below
    except OSError as exc:  # a folder or something unreadable under the lock's name
        what = "is a folder, not vidcoop's lock file" if path.is_dir() else f"cannot be opened: {exc.strerror or exc}"
        raise OutputError(f"the batch lock {what}", path=path,
                          hint="remove it; vidcoop makes this file itself") from None
    with fh:
        try:
            fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            fh.seek(0)
            holder = fh.read(32).decode("ascii", "replace").strip()
            who = f" (pid {holder})" if holder.isdigit() else ""
            raise VidcoopError(f"another vidcoop batch{who} is writing this output folder", path=folder,
                               hint="wait for it to finish, or give this week another output folder") from None
        with contextlib.suppress(OSError):  # the pid is only for the message above
            fh.truncate(0)
            fh.write(f"{os.getpid()}\n".encode("ascii"))
            fh.flush()
        try:
            yield
        finally:
            fcntl.flock(fh.fileno(), fcntl.LOCK_UN)
