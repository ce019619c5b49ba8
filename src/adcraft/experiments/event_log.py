"""Simulated traffic as events of the analytics contract, and events back into count rows.

An impression or click event is one JSON object per line with the contract's fields
(``event_id`` UUIDv7, ``type``, ``ts`` RFC 3339 UTC, ``tenant_id``, ``campaign_id``,
``creative_id``, ``format_id``, ``style``, ``placement``, ``user_hash``, ``props``). The feed
position travels in ``props.position``. How often a viewer saw the creative before is not a
client fact: it is recounted here from the impressions' order per (user_hash, creative_id),
as the store's window query does.
"""

from __future__ import annotations

import json
import os
import secrets
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from adcraft.errors import InputError
from adcraft.experiments.simulator import Impressions, World
from adcraft.scoring.ctr.features import MAX_EXPOSURE, CountRow


class ClickCounts(Protocol):
    """Anything that can report impressions and clicks per creative and context: the analytics
    store (SQL GROUP BY), an events file, the simulator."""

    def count_rows(self) -> list[CountRow]:
        """Aggregated (creative, position, exposure) → impressions, clicks."""
        ...

    def window(self) -> tuple[datetime | None, datetime | None]:
        """First and last event time covered."""
        ...


def uuid7(ms: int) -> str:
    """A UUIDv7 string for a Unix time in milliseconds (RFC 9562 layout, random tail)."""
    rand = int.from_bytes(secrets.token_bytes(10), "big")
    value = (ms & ((1 << 48) - 1)) << 80
    value |= 0x7 << 76 | (rand >> 68 & 0xFFF) << 64
    value |= 0b10 << 62 | (rand & ((1 << 62) - 1))
    h = f"{value:032x}"
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def _iso(t: datetime) -> str:
    return t.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def impression_events(
    world: World,
    imps: Impressions,
    *,
    tenant_id: str = "default",
    campaign_id: str = "sim-campaign",
    placement: str = "feed",
    start: datetime | None = None,
    per_second: float = 50.0,
) -> Iterator[dict[str, Any]]:
    """The impression and click events of a simulated log, in time order."""
    t0 = start or datetime(2026, 1, 1, tzinfo=UTC)
    for i in range(len(imps)):
        c = world.creatives[int(imps.creative[i])]
        ts = t0 + timedelta(seconds=i / per_second)
        common = {
            "tenant_id": tenant_id,
            "campaign_id": campaign_id,
            "creative_id": c.creative_id,
            "format_id": c.format_id,
            "style": c.style,
            "placement": placement,
            "user_hash": f"u{int(imps.user[i]):08x}",
            "props": {"position": int(imps.position[i])},
        }
        ms = int(ts.timestamp() * 1000)
        yield {"event_id": uuid7(ms), "type": "impression", "ts": _iso(ts), **common}
        if imps.click[i]:
            tc = ts + timedelta(seconds=2)
            yield {
                "event_id": uuid7(ms + 2000),
                "type": "click",
                "ts": _iso(tc),
                **common,
            }


def write_jsonl(path: Path, records: Iterable[dict[str, Any]]) -> int:
    """Write records one per line via a temporary file renamed into place; returns the count."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    n = 0
    with tmp.open("w", encoding="utf-8") as fh:
        for r in records:
            fh.write(json.dumps(r, separators=(",", ":")) + "\n")
            n += 1
    os.replace(tmp, path)
    return n


_POS_SHIFT = 40  # above the showings count (at most 2**40 - 1, far beyond any window)
_SEEN_MASK = (1 << _POS_SHIFT) - 1


@dataclass
class ClickTally:
    """Count rows from impression and click events, and the clicks that had no impression."""

    rows: list[CountRow]
    orphan_clicks: int


def credit_clicks(events: Iterable[Mapping[str, Any]]) -> ClickTally:
    """Impressions by (creative, position, prior exposures), from events in time order.

    Each click is credited to the latest earlier impression of the same creative to the same
    viewer; a click without such an impression is not counted but tallied as an orphan. The
    position is ``props.position`` (1 when absent: a served ad is the only one in its slot).
    """
    # One entry per (viewer, creative) holds both how often it was shown and the position of
    # the latest showing, packed in one int under one string key: with a viewer per few
    # impressions these entries are most of the memory a long window takes.
    shown: dict[str, int] = {}
    imps: dict[tuple[str, int, int], int] = defaultdict(int)
    clicks: dict[tuple[str, int, int], int] = defaultdict(int)
    orphans = 0
    for ev in events:
        cid = str(ev["creative_id"])
        key = f"{ev.get('user_hash') or ''}\x00{cid}"
        if ev["type"] == "impression":
            pos = _position(ev.get("props"))
            seen = shown.get(key, 0) & _SEEN_MASK
            shown[key] = pos << _POS_SHIFT | (seen + 1)
            imps[(cid, pos, min(seen, MAX_EXPOSURE))] += 1
        elif ev["type"] == "click":
            packed = shown.get(key)
            if packed is None:
                orphans += 1
                continue
            seen = packed & _SEEN_MASK
            clicks[(cid, packed >> _POS_SHIFT, min(seen - 1, MAX_EXPOSURE))] += 1
    rows = [
        CountRow(cid, n, min(clicks.get((cid, p, e), 0), n), p, e)
        for (cid, p, e), n in sorted(imps.items())
    ]
    return ClickTally(rows, orphans)


def _position(props: object) -> int:
    """The feed position in an event's props (a JSON string in the store), 1 by default."""
    if isinstance(props, str):
        try:
            props = json.loads(props) if props else {}
        except json.JSONDecodeError:
            return 1
    value = props.get("position", 1) if isinstance(props, dict) else 1
    try:
        return max(1, int(value))
    except (TypeError, ValueError):
        return 1


@dataclass
class EventFileCounts:
    """ClickCounts from a JSON-lines events file (impression and click events)."""

    path: Path

    def _events(self) -> Iterator[dict[str, Any]]:
        try:
            fh = self.path.open(encoding="utf-8")
        except OSError as exc:
            raise InputError(f"cannot read events file {self.path}: {exc.strerror}") from exc
        with fh:
            for n, line in enumerate(fh, 1):
                if not line.strip():
                    continue
                try:
                    ev = json.loads(line)
                except json.JSONDecodeError as exc:
                    raise InputError(f"{self.path}:{n}: not JSON ({exc.msg})") from exc
                if not isinstance(ev, dict) or "type" not in ev or "creative_id" not in ev:
                    raise InputError(f"{self.path}:{n}: an event needs 'type' and 'creative_id'")
                yield ev

    def count_rows(self) -> list[CountRow]:
        """Impressions by (creative, position, prior exposures), clicks credited as
        ``credit_clicks`` does; clicks without an impression are reported by ``orphan_clicks``."""
        tally = credit_clicks(self._events())
        self.orphan_clicks = tally.orphan_clicks
        return tally.rows

    orphan_clicks: int = 0

    def window(self) -> tuple[datetime | None, datetime | None]:
        """First and last ``ts`` in the file."""
        first = last = None
        for ev in self._events():
            ts = ev.get("ts")
            if isinstance(ts, str):
                t = datetime.fromisoformat(ts.replace("Z", "+00:00"))
                first = t if first is None or t < first else first
                last = t if last is None or t > last else last
        return first, last


def true_ctrs(world: World) -> dict[str, float]:
    """Each creative's true CTR at feed position 1 to a fresh viewer."""
    p = world.true_ctr()
    return {c.creative_id: float(v) for c, v in zip(world.creatives, np.asarray(p), strict=True)}
