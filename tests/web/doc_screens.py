"""Every screenshot docs/web.md shows, made again from the app as it is now.

    python -m tests.web.doc_screens docs/images            # all of them
    python -m tests.web.doc_screens docs/images main rtl   # only some groups

Runs the screenshot modules one after the other (each starts its own server with real generated
creatives): ``main`` (tests/web/screens.py: new creative, progress, gallery, edit, a set that may
not be published in Russian), ``rtl`` (the Hebrew form), ``team`` (sign-in, team, join,
reviewer), ``share`` (review links, campaign management, search), ``stats`` (analytics and an
experiment) and ``triage`` (the shortlist and two creatives compared). Then checks that every
``images/*.png`` docs/web.md links to was written by this run (when all groups ran) and is under
300 KB, and says which one is not.
"""

from __future__ import annotations

import re
import sys
import time
from collections.abc import Callable
from pathlib import Path

from tests.web import (
    rtl_screens,
    screens,
    share_screens,
    stats_screens,
    team_screens,
    triage_screens,
)
from tests.web.harness import ROOT, browser_missing

DOC = ROOT / "docs/web.md"
GROUPS: dict[str, Callable[[Path], None]] = {
    "main": screens.capture,
    "rtl": rtl_screens.capture,
    "team": team_screens.main,
    "share": share_screens.main,
    "stats": stats_screens.capture,
    "triage": triage_screens.capture,
}


def linked_images(doc: Path = DOC) -> list[str]:
    """The PNG files docs/web.md shows, by name, in the order it shows them."""
    return list(dict.fromkeys(re.findall(r"\]\(images/([\w.\-]+\.png)\)", doc.read_text("utf-8"))))


def stale(out: Path, since: float, names: list[str]) -> list[str]:
    """Linked images this run did not write, or wrote too big."""
    bad = []
    for name in names:
        path = out / name
        if not path.exists() or path.stat().st_mtime < since:
            bad.append(f"{name}: not made by this run")
        elif path.stat().st_size >= screens.MAX_BYTES:
            bad.append(f"{name}: {path.stat().st_size} bytes")
    return bad


def main(out: Path, groups: list[str]) -> None:
    out.mkdir(parents=True, exist_ok=True)
    since = time.time() - 1
    for name in groups:
        started = time.monotonic()
        GROUPS[name](out)
        print(f"{name}: {time.monotonic() - started:.0f} s")
    if set(groups) == set(GROUPS):
        bad = stale(out, since, linked_images())
        if bad:
            sys.exit("docs/web.md links images this run did not make: " + "; ".join(bad))


if __name__ == "__main__":
    reason = browser_missing()
    if reason:
        sys.exit(f"cannot run: {reason}")
    chosen = sys.argv[2:] or list(GROUPS)
    unknown = sorted(set(chosen) - set(GROUPS))
    if unknown:
        sys.exit(f"unknown groups {unknown}: choose from {', '.join(GROUPS)}")
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "docs/images"), chosen)
    print("saved")
