"""A write-ahead file for the direct transport: events are on disk (fsync'd) before the 202.

Events go to numbered segment files, one JSON line each. The writer rotates to a new segment
whenever it takes a batch for the store and deletes a segment only after the store holds its
events, so a process killed at any point loses nothing it acknowledged; the next start replays
every segment left (the store skips ids it already has). A torn last line — a write the process
died in, never acknowledged — is skipped on replay.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from pathlib import Path

from pydantic import ValidationError

from adcraft.analytics.events import StoredEvent

_to_json = StoredEvent.__pydantic_serializer__.to_json


class WriteAheadLog:
    """Segment files under one folder; one appender (the writer holds the lock)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)
        numbers = self._numbers()
        self._current = (numbers[-1] + 1) if numbers else 1
        self._fd: int | None = None

    def _numbers(self) -> list[int]:
        return sorted(int(p.stem) for p in self.folder.glob("*.wal") if p.stem.isdigit())

    def _path(self, number: int) -> Path:
        return self.folder / f"{number:012d}.wal"

    def append(self, events: Sequence[StoredEvent]) -> None:
        """Write events to the current segment and fsync before returning."""
        if not events:
            return
        if self._fd is None:
            self._fd = os.open(self._path(self._current), os.O_WRONLY | os.O_CREAT | os.O_APPEND)
        # The model's serializer called directly: model_dump_json adds a Python call per event.
        data = b"".join([_to_json(e) + b"\n" for e in events])
        view = memoryview(data)
        while view:
            written = os.write(self._fd, view)
            view = view[written:]
        os.fsync(self._fd)

    def rotate(self) -> int:
        """Close the current segment and start a new one; return the closed segment's number."""
        closed = self._current
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None
        self._current += 1
        return closed

    def drop_through(self, number: int) -> None:
        """Delete segments up to ``number`` (their events are in the store)."""
        for n in self._numbers():
            if n <= number:
                self._path(n).unlink(missing_ok=True)
        _fsync_dir(self.folder)

    def pending(self) -> Iterator[tuple[int, list[StoredEvent]]]:
        """Segments left by an earlier process, oldest first, with their readable events."""
        for n in self._numbers():
            if n >= self._current:
                continue
            events: list[StoredEvent] = []
            for line in self._path(n).read_bytes().splitlines():
                try:
                    events.append(StoredEvent.model_validate_json(line))
                except ValidationError:
                    continue  # torn tail of a write that was never acknowledged
            yield n, events

    def close(self) -> None:
        """Close the open segment (it stays on disk until its events are stored)."""
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
