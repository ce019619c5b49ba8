"""`adcraft serve` and `adcraft worker`: thin wrappers over the container."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Annotated

import typer

from adcraft.cli.options import ConfigOpt, fail
from adcraft.errors import AdcraftError
from adcraft.tasks.fair import SMALL_LANE


def serve(
    config: ConfigOpt = None,
    host: Annotated[str | None, typer.Option(help="Bind address (default from settings)")] = None,
    port: Annotated[int | None, typer.Option(help="Port (default from settings)")] = None,
    log_level: Annotated[str, typer.Option(help="uvicorn log level")] = "info",
) -> None:
    """Run the API with its in-process worker pool; the first start creates a tenant."""
    from adcraft.admin import create_tenant
    from adcraft.api import create_app
    from adcraft.api.server import server_for
    from adcraft.config import load_settings
    from adcraft.container import build
    from adcraft.db.engine import unit_of_work
    from adcraft.db.tenants import count_tenants
    from adcraft.logs import configure

    try:
        settings = load_settings(config)
        container = build(settings)
        with unit_of_work(container.sessions) as s:
            if count_tenants(s) == 0:
                _tenant, key = create_tenant(s, "default", container.secret, "serve:first-start")
                typer.echo(f"Created tenant 'default'. API key (shown once): {key}")
    except AdcraftError as exc:
        fail(str(exc))
        return
    configure(settings.server.log_format, log_level.upper())
    app = create_app(container)
    server_for(
        app,
        host=host or settings.server.host,
        port=port or settings.server.port,
        log_level=log_level,
        timeout_s=settings.server.shutdown_timeout_s,
    ).run()
    container.engine.dispose()


def worker(
    config: ConfigOpt = None,
    queues: Annotated[
        str,
        typer.Option(
            help="Comma-separated queues (each with its small lane; name only lanes, "
            "e.g. render.small,generate.small, for a worker kept for small tasks)"
        ),
    ] = "render,generate",
    concurrency: Annotated[int, typer.Option(help="Processes per worker (1 for GPU)")] = 1,
    device: Annotated[
        str | None, typer.Option(help="Pin to one GPU (sets CUDA_VISIBLE_DEVICES)")
    ] = None,
) -> None:
    """Run a Celery worker; with tasks.gpu_devices set, one pinned worker per device."""
    from adcraft.config import load_settings

    try:
        settings = load_settings(config)
    except AdcraftError as exc:
        fail(str(exc))
        return
    bases = {q.removesuffix(SMALL_LANE) for q in queues.split(",")}
    if device is None and settings.tasks.gpu_devices and settings.tasks.generate_queue in bases:
        _per_device(settings.tasks.gpu_devices, config, queues)
        return
    if device is not None:
        os.environ["CUDA_VISIBLE_DEVICES"] = device
        concurrency = 1
    from adcraft.tasks.celery_app import run_worker

    try:
        run_worker(settings, queues=[q for q in queues.split(",") if q], concurrency=concurrency)
    except AdcraftError as exc:
        fail(str(exc))


def _per_device(devices: list[str], config: Path | None, queues: str) -> None:
    """One child worker per GPU so a model never spans devices; exits when any child does."""
    cmd = [sys.executable, "-m", "adcraft", "worker", "--queues", queues]
    if config is not None:
        cmd += ["--config", str(config)]
    procs = [subprocess.Popen([*cmd, "--device", d]) for d in devices]
    try:
        codes = [p.wait() for p in procs]
    except KeyboardInterrupt:
        for p in procs:
            p.terminate()
        codes = [p.wait() for p in procs]
    raise typer.Exit(max(codes))


def register(app: typer.Typer) -> None:
    """Add serve and worker to the adcraft CLI."""
    app.command("serve")(serve)
    app.command("worker")(worker)
