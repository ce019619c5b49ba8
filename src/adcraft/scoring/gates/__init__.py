"""Quality gates: checks a creative must pass before it may rank above one that passes them.

Each gate is a provider (kind ``gate`` in adcraft.wiring) built from ``GateSettings``; results
carry pass/fail, a reason in words, the measured value and the threshold, and are written to
manifest.json and the API's creative record. See docs/quality-gates.md.
"""

from adcraft.scoring.gates.base import Gate, GateInput, GateResult, failures, passed_all
from adcraft.scoring.gates.run import build_gates, build_image_encoder, run_gates
from adcraft.scoring.gates.settings import GateSettings

__all__ = [
    "Gate",
    "GateInput",
    "GateResult",
    "GateSettings",
    "build_gates",
    "build_image_encoder",
    "failures",
    "passed_all",
    "run_gates",
]
