"""OpenCV, configured once for how adcraft uses it: single-threaded.

adcraft parallelises across processes (one render worker per core), so OpenCV's own thread
pool would only compete with them; and a pool started in the parent does not survive fork()
into the workers (setting the thread count there deadlocks). Import ``cv2`` from here.
"""

from __future__ import annotations

import cv2

cv2.setNumThreads(1)

__all__ = ["cv2"]
