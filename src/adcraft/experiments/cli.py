"""`adcraft simulate`, `adcraft ctr train|evaluate|explain` and `adcraft experiment plan`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from pydantic import ValidationError

from adcraft.errors import AdcraftError
from adcraft.experiments.creative_features import CreativeFeatures

ctr_app = typer.Typer(no_args_is_help=True, help="Train, evaluate and explain the CTR model.")
experiment_app = typer.Typer(no_args_is_help=True, help="Plan and analyse A/B experiments.")

DataDirOpt = Annotated[Path, typer.Option("--data-dir", help="Where models are kept")]
TenantOpt = Annotated[str, typer.Option("--tenant", help="Tenant id")]
EventsOpt = Annotated[Path, typer.Option("--events", help="Events file (JSON lines)")]
CreativesOpt = Annotated[
    Path, typer.Option("--creatives", help="Creative features file (JSON lines)")
]


def _fail(message: str) -> None:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(2)


def simulate_cmd(
    out: Annotated[Path, typer.Option("--out", help="Folder for creatives, events, truth")],
    creatives: Annotated[int, typer.Option(help="Number of creatives", min=2)] = 50,
    impressions: Annotated[int, typer.Option(help="Number of impressions", min=1)] = 100_000,
    seed: Annotated[int, typer.Option(help="Seed of the world and the traffic")] = 0,
    tenant: TenantOpt = "default",
    campaign: Annotated[str, typer.Option(help="Campaign id in the events")] = "sim-campaign",
) -> None:
    """Simulate clicks from a known, seeded click model; write events in the event contract."""
    from adcraft.experiments.event_log import impression_events, true_ctrs, write_jsonl
    from adcraft.experiments.simulator import make_world, simulate_impressions

    try:
        world = make_world(creatives, seed)
        imps = simulate_impressions(world, impressions, seed + 1)
        write_jsonl(out / "creatives.jsonl", (c.model_dump(mode="json") for c in world.creatives))
        n = write_jsonl(
            out / "events.jsonl",
            impression_events(world, imps, tenant_id=tenant, campaign_id=campaign),
        )
        (out / "truth.json").write_text(json.dumps(true_ctrs(world), indent=1), "utf-8")
    except OSError as exc:
        _fail(f"cannot write to {out}: {exc.strerror}")
        return
    typer.echo(
        f"{len(imps)} impressions, {int(imps.click.sum())} clicks ({n} events) over "
        f"{creatives} creatives in {out}"
    )


def _load_creatives(path: Path) -> list[CreativeFeatures]:

    try:
        lines = path.read_text("utf-8").splitlines()
    except OSError as exc:
        raise AdcraftError(f"cannot read creatives file {path}: {exc.strerror}") from exc
    out: list[CreativeFeatures] = []
    for n, line in enumerate(lines, 1):
        if line.strip():
            try:
                out.append(CreativeFeatures.model_validate_json(line))
            except ValidationError as exc:
                first = exc.errors()[0]
                where = ".".join(str(p) for p in first["loc"])
                raise AdcraftError(f"{path}:{n}: {where}: {first['msg']}") from exc
    return out


def ctr_train_cmd(
    events: EventsOpt,
    creatives: CreativesOpt,
    data_dir: DataDirOpt = Path("adcraft-data"),
    tenant: TenantOpt = "default",
    text_encoder: Annotated[
        str | None,
        typer.Option(
            help="Text encoder for the copy-wording features: 'use', 'minilm', a "
            "sentence-transformers folder, or 'off' (default: the image bank's, bank.encoder)"
        ),
    ] = None,
) -> None:
    """Train a CTR model from impression and click events; store it as the next version."""
    from adcraft.experiments.event_log import EventFileCounts
    from adcraft.imagery.bank.config import shared_encoder
    from adcraft.scoring.ctr.model import train
    from adcraft.scoring.ctr.registry import ModelRegistry

    try:
        feats = _load_creatives(creatives)
        source = EventFileCounts(events)
        rows = source.count_rows()
        setting = text_encoder
        if setting is None and any(c.copy_text for c in feats):
            from adcraft.config import load_settings

            setting = load_settings().bank.encoder
        encoder = shared_encoder(setting) if setting and setting != "off" else None
        model = train(feats, rows, text_encoder=encoder, encoder_setting=setting or "")
        version = ModelRegistry(data_dir).save(tenant, model, source.window())
    except AdcraftError as exc:
        _fail(str(exc))
        return
    s = model.summary
    if source.orphan_clicks:
        typer.echo(
            f"warning: {source.orphan_clicks} clicks without an impression ignored", err=True
        )
    typer.echo(
        f"{version}: {s.impressions} impressions, {s.clicks} clicks, {s.creatives} creatives; "
        f"out-of-fold AUC {s.oof_auc:.4f}, ECE {s.oof_ece:.5f}"
    )


def ctr_evaluate_cmd(
    events: EventsOpt,
    creatives: CreativesOpt,
    data_dir: DataDirOpt = Path("adcraft-data"),
    tenant: TenantOpt = "default",
    version: Annotated[str | None, typer.Option(help="Model version (default: latest)")] = None,
) -> None:
    """AUC, calibration error and log loss of a stored model on (new) events."""
    import numpy as np

    from adcraft.experiments.event_log import EventFileCounts
    from adcraft.scoring.ctr.model import expected_calibration_error, log_loss, weighted_auc
    from adcraft.scoring.ctr.registry import ModelRegistry

    try:
        model = ModelRegistry(data_dir).load(tenant, version)
        feats = {c.creative_id: c for c in _load_creatives(creatives)}
        rows = EventFileCounts(events).count_rows()
        if not rows:
            raise AdcraftError(f"{events} holds no impressions to evaluate on")
        pred = model.predict_rows(rows, feats)
    except AdcraftError as exc:
        _fail(str(exc))
        return
    clicks = np.array([r.clicks for r in rows], dtype=float)
    imps = np.array([r.impressions for r in rows], dtype=float)
    typer.echo(
        json.dumps(
            {
                "impressions": int(imps.sum()),
                "clicks": int(clicks.sum()),
                "auc": round(weighted_auc(pred, clicks, imps), 4),
                "ece": round(expected_calibration_error(pred, clicks, imps), 5),
                "log_loss": round(log_loss(pred, clicks, imps), 5),
            }
        )
    )


def ctr_explain_cmd(
    creative_id: Annotated[str, typer.Argument(help="Creative id")],
    creatives: CreativesOpt,
    data_dir: DataDirOpt = Path("adcraft-data"),
    tenant: TenantOpt = "default",
) -> None:
    """Predicted CTR of one creative and the reasons behind it, in words."""
    from adcraft.scoring.ctr.explain import explain
    from adcraft.scoring.ctr.registry import ModelRegistry

    try:
        model = ModelRegistry(data_dir).load(tenant)
        feats = {c.creative_id: c for c in _load_creatives(creatives)}
        if creative_id not in feats:
            raise AdcraftError(f"creative {creative_id!r} is not in {creatives}")
        c = feats[creative_id]
        ctr = float(model.predict([c])[0])
        reasons = explain(model, c)
    except AdcraftError as exc:
        _fail(str(exc))
        return
    typer.echo(f"{creative_id}: predicted CTR {ctr:.2%}")
    for r in reasons:
        typer.echo(f"  {r}")


def plan_cmd(
    control_ctr: Annotated[float, typer.Option(help="Expected CTR of the control, e.g. 0.02")],
    margin: Annotated[float, typer.Option(help="Non-inferiority margin m")] = 0.9,
    power: Annotated[float, typer.Option(help="Power")] = 0.8,
    alpha: Annotated[float, typer.Option(help="One-sided alpha")] = 0.05,
    arms: Annotated[int, typer.Option(help="AI arms compared with the control", min=1)] = 1,
) -> None:
    """Impressions per arm for the non-inferiority test (Holm-adjusted alpha for several arms)."""
    from adcraft.experiments.stats import noninferiority_sample_size

    try:
        # Holm's first step tests at alpha / arms: size for that, the conservative case.
        n_ai, n_c = noninferiority_sample_size(
            control_ctr, margin=margin, alpha=alpha / arms, power=power
        )
    except AdcraftError as exc:
        _fail(str(exc))
        return
    typer.echo(
        f"{n_ai} impressions per AI arm and {n_c} for the control (fixed horizon, one look); "
        f"monitored daily with the sequential test, plan about {2 * n_c} per arm"
    )


def register(app: typer.Typer) -> None:
    """Add `simulate`, `ctr …` and `experiment …` to a Typer app."""
    app.command("simulate")(simulate_cmd)
    ctr_app.command("train")(ctr_train_cmd)
    ctr_app.command("evaluate")(ctr_evaluate_cmd)
    ctr_app.command("explain")(ctr_explain_cmd)
    experiment_app.command("plan")(plan_cmd)
    app.add_typer(ctr_app, name="ctr")
    app.add_typer(experiment_app, name="experiment")
