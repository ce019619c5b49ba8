"""`adcraft feed check` and `adcraft bulk run|status|pause|resume|cancel|retry`: parse, call
the catalog code, print. Run actions go through the same state rule as the API
(``catalog.bulk.control``)."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Annotated

import typer

from adcraft.catalog.bulk.control import apply_action
from adcraft.catalog.bulk.runner import Supervisor, create_run, owner_id, state_path
from adcraft.catalog.bulk.state import RunState
from adcraft.catalog.feeds.importer import FeedOptions, open_feed, parse_mapping
from adcraft.cli.options import err, fail
from adcraft.errors import AdcraftError

feed_app = typer.Typer(no_args_is_help=True, help="Product feeds: check and import.")

DialectOpt = Annotated[
    str | None,
    typer.Option(help="merchant_xml, merchant_tsv, meta_csv, shopify_csv, csv or jsonl (sniffed)"),
]
MapOpt = Annotated[
    list[str] | None, typer.Option("--map", help="attribute=column for generic CSV/JSON Lines")
]
CurrencyOpt = Annotated[str | None, typer.Option(help="Currency of prices written without one")]
LanguageOpt = Annotated[str, typer.Option(help="Language of products that do not say")]


def feed_options(
    dialect: str | None, mapping: list[str] | None, currency: str | None, language: str
) -> FeedOptions:
    """The feed options the flags describe (a bad flag is a clear error)."""
    from pydantic import ValidationError

    try:
        return FeedOptions.model_validate(
            {
                "dialect": dialect,
                "mapping": dict(parse_mapping(mapping)),
                "currency": currency.upper() if currency else None,
                "language": language,
            }
        )
    except ValidationError as exc:
        from adcraft.products import describe

        raise AdcraftError(describe(exc)) from None


@feed_app.command("check")
def check_cmd(
    feed: Annotated[Path, typer.Argument(help="Feed file")],
    dialect: DialectOpt = None,
    mapping: MapOpt = None,
    currency: CurrencyOpt = None,
    language: LanguageOpt = "en",
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON")] = False,
) -> None:
    """Read a feed and report every row that would be skipped, and why."""
    try:
        reader, fh = open_feed(feed, feed_options(dialect, mapping, currency, language))
        with fh:
            for _ in reader.products():
                pass
    except AdcraftError as exc:
        fail(str(exc))
        return
    report = reader.report
    if as_json:
        typer.echo(json.dumps(report.model_dump(mode="json"), ensure_ascii=False, indent=1))
        return
    typer.echo(
        f"{report.dialect}: {report.rows} rows, {report.products} products, "
        f"{report.skipped} skipped"
    )
    for issue in report.issues:
        who = f" {issue.product_id}" if issue.product_id else ""
        typer.echo(f"  row {issue.row}{who}: {issue.code}: {issue.message}", file=sys.stdout)
    if report.issues_truncated:
        typer.echo("  (more issues counted but not listed)")


bulk_app = typer.Typer(no_args_is_help=True, help="Bulk runs: every product of a feed.")


@bulk_app.command("run")
def bulk_run_cmd(
    feed: Annotated[str, typer.Argument(help="Feed file, or its http(s) URL (public only)")],
    out: Annotated[Path, typer.Option("--out", help="Folder for the run's state and creatives")],
    formats: Annotated[str, typer.Option(help="Format ids or aliases, comma-separated")] = (
        "meta_feed_square"
    ),
    variants: Annotated[int, typer.Option(help="Variants per product and format")] = 2,
    styles: Annotated[str | None, typer.Option(help="Styles, comma-separated")] = None,
    rule: Annotated[
        list[str] | None,
        typer.Option(help="'sale_price? -> template=promo'; repeat for more"),
    ] = None,
    workers: Annotated[int, typer.Option(help="Worker processes")] = 2,
    seed: Annotated[int, typer.Option(help="Random seed")] = 0,
    image_format: Annotated[str, typer.Option(help="jpeg, png or webp")] = "jpeg",
    dialect: DialectOpt = None,
    mapping: MapOpt = None,
    currency: CurrencyOpt = None,
    language: LanguageOpt = "en",
    lease: Annotated[
        float, typer.Option(help="Seconds before a silent worker's product is taken over")
    ] = 120.0,
    every: Annotated[
        float | None,
        typer.Option(help="Minutes: fetch and run the feed again on this schedule (Ctrl-C stops)"),
    ] = None,
) -> None:
    """Make every product's creatives; products unchanged since an earlier run are reused.

    Webhooks registered with `adcraft bulk webhook OUT URL` are told of the run's events."""
    if every is not None and every <= 0:
        fail("--every must be a positive number of minutes")
    while True:
        started = time.monotonic()
        _one_run(
            feed,
            out,
            formats,
            variants,
            styles,
            rule,
            workers,
            seed,
            image_format,
            feed_options_args=(dialect, mapping, currency, language),
            lease=lease,
        )
        if every is None:
            return
        pause = max(0.0, every * 60 - (time.monotonic() - started))
        err.print(f"next run in {pause / 60:.1f} min", highlight=False)
        try:
            time.sleep(pause)
        except KeyboardInterrupt:
            return


def _feed_file(feed: str, out: Path) -> Path:
    """A local feed path as is; an http(s) feed downloaded (SSRF rules) into out/feeds/."""
    if not feed.lower().startswith(("http://", "https://")):
        return Path(feed)
    from adcraft.catalog.feeds.download import download_feed

    dest = out / "feeds" / f"feed-{int(time.time())}"
    dest.parent.mkdir(parents=True, exist_ok=True)
    download_feed(feed, dest)
    return dest


def _one_run(
    feed: str,
    out: Path,
    formats: str,
    variants: int,
    styles: str | None,
    rule: list[str] | None,
    workers: int,
    seed: int,
    image_format: str,
    *,
    feed_options_args: tuple[str | None, list[str] | None, str | None, str],
    lease: float,
) -> None:
    """Import the feed into a new run and work it to the end with a progress bar."""
    from pydantic import ValidationError

    from adcraft.catalog.bulk.rules import parse_rule
    from adcraft.catalog.bulk.spec import RunSpec
    from adcraft.products import describe

    if workers < 1:
        fail("--workers must be at least 1")
    try:
        spec = RunSpec(
            formats=tuple(f.strip() for f in formats.split(",") if f.strip()),
            variants=variants,
            styles=tuple(s.strip() for s in styles.split(",")) if styles else None,
            seed=seed,
            image_format=image_format,
            rules=tuple(parse_rule(r) for r in rule or []),
        )
        path = _feed_file(feed, out)
        owner = owner_id("cli")
        run_id, report = create_run(
            path,
            feed_options(*feed_options_args),
            spec,
            out,
            supervisor=owner,
            lease_s=lease,
            workers=workers,
        )
    except ValidationError as exc:
        fail(describe(exc))
        return
    except AdcraftError as exc:
        fail(str(exc))
        return
    err.print(
        f"run {run_id}: {report.products} products ({report.skipped} rows skipped, "
        f"see `adcraft bulk status {out} --run {run_id}`)",
        highlight=False,
    )
    from adcraft.catalog.delivery.notify import Notifier
    from adcraft.cli.app import _progress

    notifier = Notifier(state_path(out))
    sup = Supervisor(out, run_id, workers=workers, lease_s=lease, notify=notifier, owner=owner)

    with _progress() as bar:
        task = bar.add_task("rendering products", total=report.products)
        sup.start()
        try:
            prog = sup.wait(lambda p: bar.update(task, completed=p.done, total=p.total))
        except KeyboardInterrupt:
            sup.stop()
            notifier.close()
            fail(f"interrupted: resume with `adcraft bulk resume {out} --run {run_id}`")
    notifier.close()
    typer.echo(
        f"{prog.completed} products completed ({prog.reused} reused), {prog.failed} failed, "
        f"{prog.cancelled} cancelled; creatives in {out / 'creatives'}"
    )


def _state(out: Path, run: str | None) -> tuple[RunState, str]:
    path = state_path(out)
    if not path.is_file():
        raise AdcraftError(f"{out} holds no bulk run (no {path.name})")
    state = RunState(path)
    ids = state.runs()
    rid = run or (ids[0] if ids else None)
    if rid is None or rid not in ids:
        state.close()
        raise AdcraftError(f"no run {run!r} in {out}; runs: {', '.join(ids[:10]) or 'none'}")
    return state, rid


RunOpt = Annotated[str | None, typer.Option("--run", help="Run id (default: the latest)")]


@bulk_app.command("status")
def bulk_status_cmd(
    out: Annotated[Path, typer.Argument(help="The run's --out folder")],
    run: RunOpt = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON")] = False,
) -> None:
    """Progress of a run and every failed product with its reason."""
    try:
        st, rid = _state(out, run)
    except AdcraftError as exc:
        fail(str(exc))
        return
    prog = st.progress(rid)
    failed = st.items(rid, "failed")
    info = st.run(rid)
    st.close()
    if as_json:
        body = {
            "run": rid,
            **prog.as_dict(),
            "failed_products": failed,
            "import": info["report"] if info else None,
        }
        typer.echo(json.dumps(body, ensure_ascii=False, indent=1))
        return
    typer.echo(
        f"run {rid}: {prog.status}; "
        + ", ".join(f"{k} {v}" for k, v in prog.as_dict().items() if k != "status")
    )
    for item in failed:
        typer.echo(f"  {item['product_id']}: {item['error']}")


def _control(out: Path, run: str | None, action: str) -> str:
    """Apply ``action`` under the rule the API applies; a refusal is one line and exit 2."""
    try:
        st, rid = _state(out, run)
    except AdcraftError as exc:
        fail(str(exc))
    try:
        apply_action(st, rid, action)
    except AdcraftError as exc:
        fail(str(exc))
    finally:
        st.close()
    return rid


@bulk_app.command("pause")
def bulk_pause_cmd(out: Annotated[Path, typer.Argument()], run: RunOpt = None) -> None:
    """Pause a running run: workers finish their current product and wait."""
    rid = _control(out, run, "pause")
    typer.echo(f"run {rid}: paused")


@bulk_app.command("cancel")
def bulk_cancel_cmd(out: Annotated[Path, typer.Argument()], run: RunOpt = None) -> None:
    """Cancel a running, paused or interrupted run: products not started are cancelled."""
    rid = _control(out, run, "cancel")
    typer.echo(f"run {rid}: cancelled")


WorkersOpt = Annotated[
    int | None, typer.Option(min=1, help="Worker processes (default: as the run last ran)")
]
LeaseOpt = Annotated[
    float, typer.Option(help="Seconds before a silent worker's product is taken over")
]


def _work(out: Path, rid: str, workers: int | None, lease: float) -> None:
    """Supervise the run here until it ends, unless a live process already supervises it."""
    st = RunState(state_path(out))
    try:
        count = workers or st.workers_wanted(rid) or 2
    finally:
        st.close()
    sup = Supervisor(out, rid, workers=count, lease_s=lease)
    if not sup.acquire():
        typer.echo(f"run {rid}: running; another live process supervises its workers")
        return
    sup.start()
    try:
        prog = sup.wait()
    except KeyboardInterrupt:
        sup.stop()
        fail(f"interrupted: resume with `adcraft bulk resume {out} --run {rid}`")
    typer.echo(f"run {rid}: {prog.status}; {prog.completed} completed, {prog.failed} failed")


@bulk_app.command("resume")
def bulk_resume_cmd(
    out: Annotated[Path, typer.Argument()],
    run: RunOpt = None,
    workers: WorkersOpt = None,
    retry_failed: Annotated[bool, typer.Option(help="Queue the failed products again")] = False,
    lease: LeaseOpt = 120.0,
) -> None:
    """Resume a paused or interrupted run, or one left running by a process that stopped
    (optionally retrying its failed products too), and work it to the end."""
    # --retry-failed is `bulk retry`: the failed products queued again, the run running.
    rid = _control(out, run, "retry" if retry_failed else "resume")
    _work(out, rid, workers, lease)


@bulk_app.command("retry")
def bulk_retry_cmd(
    out: Annotated[Path, typer.Argument()],
    run: RunOpt = None,
    workers: WorkersOpt = None,
    lease: LeaseOpt = 120.0,
) -> None:
    """Queue a run's failed products again (only those) and work them to the end."""
    rid = _control(out, run, "retry")
    _work(out, rid, workers, lease)


@bulk_app.command("webhook")
def bulk_webhook_cmd(
    out: Annotated[Path, typer.Argument(help="The runs' --out folder")],
    url: Annotated[str, typer.Argument(help="Public http(s) URL to POST events to")],
    event: Annotated[
        list[str] | None, typer.Option(help="Event to send (repeat); default: all")
    ] = None,
) -> None:
    """Register a webhook for the runs in OUT; prints its signing secret (shown only now)."""
    from adcraft.catalog.delivery.webhooks import EVENTS, Webhooks

    try:
        hooks = Webhooks(state_path(out))
        try:
            hook = hooks.add(url, event or EVENTS)
        finally:
            hooks.close()
    except AdcraftError as exc:
        fail(str(exc))
    typer.echo(json.dumps(hook, indent=1))


@bulk_app.command("export")
def bulk_export_cmd(
    out: Annotated[Path, typer.Argument(help="The run's --out folder")],
    target: Annotated[str, typer.Argument(help="Folder or s3://bucket/prefix")],
    run: RunOpt = None,
    base_url: Annotated[str, typer.Option(help="Public URL of TARGET, for the sheets")] = "",
    campaign: Annotated[str, typer.Option(help="Campaign name in the sheets")] = "",
) -> None:
    """Export a run's creatives in a stable layout, with Meta and Google Ads Editor sheets."""
    from adcraft.catalog.delivery.export import destination, export_run

    try:
        st, rid = _state(out, run)
        st.close()
        res = export_run(out, rid, destination(target), base_url=base_url, campaign=campaign)
    except AdcraftError as exc:
        fail(str(exc))
    typer.echo(f"{res.products} products, {res.files} files exported to {target}")
    for gap in res.gaps:
        typer.echo(f"sheet: {gap}", err=True)


def register(app: typer.Typer) -> None:
    """Add the catalog commands to the main app."""
    app.add_typer(feed_app, name="feed")
    app.add_typer(bulk_app, name="bulk")
