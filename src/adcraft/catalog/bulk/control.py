"""What a run's state allows: the one rule the API, the web page and the CLI all apply.

A finished run is not paused or resumed, a run without failures is not retried: the action is
refused with the run's state named (the API answers 409, the CLI exits non-zero) instead of
quietly rewriting a completed run's status.
"""

from __future__ import annotations

from adcraft.catalog.bulk.state import RunState
from adcraft.errors import Conflict, NotFound
from adcraft.problem_codes import refuse

ACTIONS = ("pause", "resume", "cancel", "retry")
# The run states each action may start from. 'interrupted': the process supervising the run
# stopped and it was not resumed automatically (catalog.resume_interrupted off).
FROM: dict[str, tuple[str, ...]] = {
    "pause": ("running",),
    # running: restart workers lost with their process (a no-op while a live one supervises)
    "resume": ("running", "paused", "interrupted"),
    "cancel": ("running", "paused", "interrupted"),
}
_STATUS = {"pause": "paused", "resume": "running", "cancel": "cancelled"}


def apply_action(state: RunState, run_id: str, action: str) -> None:
    """Pause, resume, cancel or retry (the failed products only) a run in ``state``.

    Raises NotFound for an unknown run or action, Conflict when the run's state does not allow
    the action. The check and the change are one transaction: a worker may complete the run
    between a caller's read and write."""
    if action not in ACTIONS:
        raise NotFound(f"unknown run action {action!r}: use one of {', '.join(ACTIONS)}")
    if action == "retry":
        if state.run(run_id) is None:
            raise NotFound(f"no run {run_id!r}")
        if not state.retry_failed(run_id):
            raise refuse("run_nothing_to_retry", kind=Conflict, run=run_id)
        return
    was = state.set_status(run_id, _STATUS[action], only_from=FROM[action])
    if was is None:
        raise NotFound(f"no run {run_id!r}")
    if was not in FROM[action]:
        raise refuse(f"run_cannot_{action}", kind=Conflict, run=run_id, run_status=was)
