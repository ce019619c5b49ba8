"""The render pool still starts after OpenCV has worked in the parent process.

A thread pool that OpenCV starts in the parent does not survive fork(); touching it in a
worker hung the pool. adcraft keeps OpenCV single-threaded (adcraft.cv), which this guards.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

EXAMPLES = Path(__file__).resolve().parents[2] / "src/adcraft/data/examples/products.json"

SCRIPT = textwrap.dedent(
    f"""
    from pathlib import Path
    from adcraft.pipeline import generate
    from adcraft.products import brief_from_record, find_record, load_products

    examples = Path({str(EXAMPLES)!r})
    brief = brief_from_record(find_record(load_products(examples), "tent-trail3"), examples.parent)
    generate(brief, formats="meta_feed_square", variants=2, workers=1)  # OpenCV in the parent
    cs = generate(brief, formats="iab", variants=2, workers=2)
    print(len(cs.creatives))
    """
)


def test_worker_pool_after_opencv_in_parent() -> None:
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT], capture_output=True, text=True, timeout=180
    )
    assert done.returncode == 0, done.stderr
    assert int(done.stdout.strip()) >= 16
