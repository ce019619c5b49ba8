"""Retries after an outage wait for real: 8 s, then 16 s (not "Retry in 0s")."""

from __future__ import annotations

from pathlib import Path

from adcraft.config import Settings
from adcraft.tasks.celery_app import TASK_NAME, make_celery
from tests.platform.conftest import SECRET


def test_celery_task_backs_off_exponentially_without_zero_waits(tmp_path: Path) -> None:
    settings = Settings(
        environment="test",
        data_dir=tmp_path,
        tasks={"runner": "celery", "retry_backoff_s": 8, "retry_backoff_max_s": 120},
        security={"secret_key": SECRET},
    )
    task = make_celery(settings).tasks[TASK_NAME]
    assert task.retry_backoff == 8 and task.retry_backoff_max == 120
    assert task.retry_jitter is False  # jitter drew waits from 0..2^n s
    from celery.utils.time import get_exponential_backoff_interval

    waits = [
        get_exponential_backoff_interval(factor=8, retries=n, maximum=120, full_jitter=False)
        for n in range(2)
    ]
    assert waits == [8, 16] and sum(waits) > 20  # rides out a 20 s database outage


def test_each_celery_app_runs_its_own_settings(tmp_path: Path) -> None:
    """Two apps in one process (tests build several) each get their own task, not the first
    app's task with the first app's settings."""
    apps = [
        make_celery(
            Settings(
                environment="test",
                data_dir=tmp_path,
                tasks={"runner": "celery", "retry_backoff_s": backoff},
                security={"secret_key": SECRET},
            )
        )
        for backoff in (3, 8)
    ]
    assert [app.tasks[TASK_NAME].retry_backoff for app in apps] == [3, 8]
