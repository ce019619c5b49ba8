"""CTR model training as background jobs, run by the process that owns the analytics store.

``POST /ctr/models`` records a ``ctr_jobs`` row (``queued``) and hands its id to this runner;
``GET /ctr/jobs/{id}`` follows it to ``completed`` (with the model version) or ``failed`` (with
the reason in words).

Why not the generation task runner: its workers (the local pool's processes, Celery workers)
do not own the embedded analytics store, which chdb opens in one process only
(analytics/store_chdb.py); the API process that answers the request does, with either runner.
So the job runs on a small thread pool here, with the task runner's safeguards: the metadata
database is the record (a job survives its request and any replica can report it), the job
is claimed with a conditional UPDATE, and every held job's heartbeat is refreshed every
``tasks.heartbeat_s``: a queued or running job whose heartbeat is older than
``tasks.stale_after_s`` lost its process and is failed when next read, instead of blocking the
tenant's next training for good.
"""

from __future__ import annotations

import logging
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from adcraft.analytics.events import EventStore
from adcraft.api.ctr_features import stored_creatives
from adcraft.config import Settings
from adcraft.db.engine import unit_of_work
from adcraft.db.models import CtrJob, as_utc, utcnow
from adcraft.errors import AdcraftError, Conflict, QueueUnavailable
from adcraft.scoring.ctr.registry import ModelRegistry
from adcraft.scoring.ctr.store_counts import StoreCounts, Summary
from adcraft.tasks.liveness import stale_before

log = logging.getLogger("adcraft.ctr")
ACTIVE = ("queued", "running")
LOST = (
    "the server process running this training stopped before it finished (restarted or "
    "crashed): train again"
)


def counts(
    settings: Settings,
    store: EventStore,
    tenant_id: str,
    since: datetime | None,
    until: datetime | None,
) -> StoreCounts:
    """The tenant's events in ``[since, until)``."""
    return StoreCounts(
        store,
        tenant_id,
        since=as_utc(since) if since is not None else None,
        until=as_utc(until) if until is not None else None,
        max_events=settings.ctr.max_events,
    )


def refuse_too_little(settings: Settings, summary: Summary) -> None:
    """NotEnoughData now when the window's raw counts are already below the minimum.

    Credited clicks never exceed the raw clicks and the model's creatives are among those
    shown, so this refusal is exact; data that passes it may still fall short once clicks are
    credited and deleted creatives dropped, which the job then reports as its failure.
    """
    from adcraft.scoring.ctr.model import NotEnoughData

    need = settings.ctr
    if (
        summary.impressions < need.min_impressions
        or summary.clicks < need.min_clicks
        or summary.creatives < need.min_creatives
    ):
        raise NotEnoughData(
            f"too little data to train a CTR model: {summary.impressions} impressions, "
            f"{summary.clicks} clicks over {summary.creatives} creatives; the minimum is "
            f"{need.min_impressions} impressions, {need.min_clicks} clicks and "
            f"{need.min_creatives} creatives"
        )


def train_version(
    s: Session, settings: Settings, store: EventStore, tenant_id: str, job: CtrJob
) -> str:
    """Train and store the tenant's next model version from the job's window; the version."""
    from adcraft.imagery.bank.config import shared_encoder
    from adcraft.scoring.ctr.model import Minimum, train

    ctr = settings.ctr
    source = counts(settings, store, tenant_id, job.since, job.until)
    rows = source.count_rows()
    creatives = {
        sc.row.id: sc for sc in stored_creatives(s, tenant_id, ids=[r.creative_id for r in rows])
    }
    kept = [r for r in rows if r.creative_id in creatives]
    unknown = sum(r.impressions for r in rows if r.creative_id not in creatives)
    model = train(
        [sc.features for sc in creatives.values()],
        kept,
        minimum=Minimum(ctr.min_impressions, ctr.min_clicks, ctr.min_creatives),
        # The copy's wording through the same encoder as the image bank (loaded once).
        text_encoder=shared_encoder(settings.bank.encoder) if ctr.text_dims else None,
        encoder_setting=settings.bank.encoder,
        text_dims=ctr.text_dims,
    )
    model.extra["data"] = {
        "orphan_clicks": source.orphan_clicks,
        "impressions_of_deleted_creatives": unknown,
    }
    return ModelRegistry(settings.data_dir).save(tenant_id, model, source.window())


def expire_lost(s: Session, settings: Settings, tenant_id: str) -> None:
    """Fail the tenant's queued or running jobs whose process stopped beating."""
    s.execute(
        update(CtrJob)
        .where(
            CtrJob.tenant_id == tenant_id,
            CtrJob.status.in_(ACTIVE),
            CtrJob.heartbeat_at < stale_before(settings),
        )
        .values(status="failed", error=LOST, finished_at=utcnow())
    )


def active_job(s: Session, tenant_id: str) -> CtrJob | None:
    """The tenant's queued or running job."""
    return s.scalar(select(CtrJob).where(CtrJob.tenant_id == tenant_id, CtrJob.status.in_(ACTIVE)))


def create_job(
    sessions: sessionmaker[Session],
    settings: Settings,
    tenant_id: str,
    since: datetime | None,
    until: datetime | None,
) -> CtrJob:
    """A queued job for the tenant, or Conflict (409) naming the one already queued or running."""
    with unit_of_work(sessions) as s:
        expire_lost(s, settings, tenant_id)
    try:
        with unit_of_work(sessions) as s:
            now = utcnow()
            job = CtrJob(
                tenant_id=tenant_id,
                status="queued",
                since=since,
                until=until,
                created_at=now,
                heartbeat_at=now,
            )
            s.add(job)
            s.flush()
            s.expunge(job)
            return job
    except IntegrityError:
        # The partial unique index: another job of this tenant is queued or running.
        with sessions() as s:
            running = active_job(s, tenant_id)
        if running is None:  # it finished in between
            raise Conflict("another training of yours just finished: train again") from None
        raise Conflict(
            f"a training of your CTR model is already {running.status} (job {running.id}): "
            f"wait for it to finish (GET /api/v1/ctr/jobs/{running.id})"
        ) from None


def job_out(job: CtrJob) -> dict[str, Any]:
    """A job as the API shows it."""

    def iso(t: Any) -> str | None:
        return as_utc(t).isoformat() if t is not None else None

    return {
        "id": job.id,
        "status": job.status,
        "window": {"since": iso(job.since), "until": iso(job.until)},
        "created_at": iso(job.created_at),
        "started_at": iso(job.started_at),
        "finished_at": iso(job.finished_at),
        "model_version": job.model_version,
        "error": job.error,
    }


class CtrTrainer:
    """Runs queued jobs on a thread pool in this process and keeps their heartbeats fresh."""

    def __init__(
        self, sessions: sessionmaker[Session], settings: Settings, store: EventStore | None
    ) -> None:
        self._sessions = sessions
        self._settings = settings
        self._store = store
        # One training at a time per process: each holds its counts and the booster in memory.
        self._pool: ThreadPoolExecutor | None = ThreadPoolExecutor(
            max_workers=1, thread_name_prefix="adcraft-ctr"
        )
        self._held: set[str] = set()
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._beat = threading.Thread(target=self._heartbeat, name="ctr-heartbeat", daemon=True)
        self._beat.start()

    def submit(self, job_id: str) -> None:
        """Queue a committed job; QueueUnavailable once stopped."""
        with self._lock:
            if self._pool is None:
                raise QueueUnavailable("the server is stopping: train again in a few seconds")
            self._held.add(job_id)
            self._pool.submit(self._run, job_id)

    def stop(self) -> None:
        """Finish the running job and drop the queued ones (their heartbeats stop, so they
        are failed as lost when next read)."""
        with self._lock:
            pool, self._pool = self._pool, None
        self._stop.set()
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)
        self._beat.join(timeout=5)

    def _heartbeat(self) -> None:
        while not self._stop.wait(self._settings.tasks.heartbeat_s):
            with self._lock:
                held = list(self._held)
            if not held:
                continue
            try:
                with unit_of_work(self._sessions) as s:
                    s.execute(
                        update(CtrJob)
                        .where(CtrJob.id.in_(held), CtrJob.status.in_(ACTIVE))
                        .values(heartbeat_at=utcnow())
                    )
            except Exception as exc:  # an outage: the next beat tries again
                log.warning("heartbeat of CTR jobs not saved: %s", exc)

    def _run(self, job_id: str) -> None:
        try:
            self._attempt(job_id)
        finally:
            with self._lock:
                self._held.discard(job_id)

    def _attempt(self, job_id: str) -> None:
        now = utcnow()
        with unit_of_work(self._sessions) as s:
            claimed = s.execute(
                update(CtrJob)
                .where(CtrJob.id == job_id, CtrJob.status == "queued")
                .values(status="running", started_at=now, heartbeat_at=now)
            )
            if claimed.rowcount != 1:  # type: ignore[attr-defined]
                return  # failed as lost meanwhile: nothing to run
        try:
            if self._store is None:
                raise QueueUnavailable("analytics are not started in this process")
            with self._sessions() as s:
                job = s.get(CtrJob, job_id)
                assert job is not None
                version = train_version(s, self._settings, self._store, job.tenant_id, job)
        except AdcraftError as exc:
            self._finish(job_id, error=str(exc))
        except Exception:
            log.exception("CTR training job %s failed", job_id)
            self._finish(
                job_id,
                error="the training failed unexpectedly; it was logged. Train again, and "
                "report it if it repeats",
            )
        else:
            self._finish(job_id, version=version)

    def _finish(self, job_id: str, *, version: str | None = None, error: str | None = None) -> None:
        with unit_of_work(self._sessions) as s:
            s.execute(
                update(CtrJob)
                .where(CtrJob.id == job_id, CtrJob.status == "running")
                .values(
                    status="failed" if error is not None else "completed",
                    finished_at=utcnow(),
                    model_version=version,
                    error=error[:2000] if error is not None else None,
                )
            )
