"""``adcraft report``: a campaign report as one HTML file with PNG charts beside it.

For people without Grafana: delivery totals, the pilot metrics, CTR by format and by style, the
daily series and the creative table, all from the same SQL as the API. Figures are written for
people: labelled in words, rates in per cent, times in seconds, rows with no delivery left out.
"""

from __future__ import annotations

import html
import math
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from PIL import Image, ImageDraw, ImageFont

from adcraft.analytics import pilot
from adcraft.analytics.errors import AnalyticsError
from adcraft.analytics.events import EventStore
from adcraft.errors import OutputError

W, H, PAD = 900, 360, 64
INK, MUTED, GRID = (31, 41, 55), (107, 114, 128), (229, 231, 235)
BLUE, ORANGE = (37, 99, 235), (234, 88, 12)
NONE_LABEL = "(none)"

# (key, label, kind): kind says how a value is written (see ``_show``).
DELIVERY_FIELDS = (
    ("impressions", "Impressions", "count"),
    ("clicks", "Clicks", "count"),
    ("ctr", "Click-through rate (CTR)", "pct"),
    ("conversions", "Conversions", "count"),
    ("conversion_value", "Conversion value", "money"),
    ("downloads", "Downloads", "count"),
    ("exports", "Exports", "count"),
    ("approvals", "Approvals", "count"),
    ("edits", "Edits", "count"),
    ("regenerations", "Regenerations", "count"),
)
PILOT_FIELDS = (
    ("generated_creatives", "Creatives generated", "count"),
    ("accepted_creatives", "Creatives used (downloaded, exported or approved)", "count"),
    ("adoption_rate", "Adoption rate", "pct"),
    ("edit_distance_below_20_share", "Used creatives edited by less than 20 %", "pct"),
    ("regenerations_at_most_3_share", "Used creatives with at most 3 regenerations", "pct"),
    ("time_to_asset_p50_s", "Time to first asset (median)", "s"),
    ("tasks_finished", "Generation runs finished", "count"),
    ("tasks_failed", "Generation runs failed", "count"),
    ("task_success_rate", "Generation success rate", "pct"),
    ("latency_p50_ms", "Generation time, median", "ms"),
    ("latency_p95_ms", "Generation time, 95th percentile", "ms"),
    ("latency_p99_ms", "Generation time, 99th percentile", "ms"),
)
CREATIVE_COLUMNS = (
    ("creative_id", "Creative", "text"),
    ("version", "Version", "text"),
    ("format_id", "Format", "text"),
    ("style", "Style", "text"),
    ("impressions", "Impressions", "count"),
    ("clicks", "Clicks", "count"),
    ("ctr", "CTR", "pct"),
    ("conversions", "Conversions", "count"),
)


def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    return ImageFont.load_default(size=size)


def _fit(d: ImageDraw.ImageDraw, text: str, width: float, size: int) -> str:
    """``text`` shortened with an ellipsis to fit ``width`` pixels."""
    font = _font(size)
    if d.textlength(text, font=font) <= width:
        return text
    while text and d.textlength(text + "…", font=font) > width:
        text = text[:-1]
    return text + "…"


def bar_chart(title: str, labels: list[str], values: list[float], path: Path, pct: bool) -> None:
    """Vertical bars with their value on top, as PNG."""
    img = Image.new("RGB", (W, H), "white")
    d = ImageDraw.Draw(img)
    d.text((PAD, 16), title, fill=INK, font=_font(20))
    top = max(values, default=0) or 1.0
    n = max(1, len(values))
    slot = (W - 2 * PAD) / n
    base = H - PAD
    for i, (label, v) in enumerate(zip(labels, values, strict=True)):
        x0 = PAD + i * slot + slot * 0.15
        x1 = PAD + (i + 1) * slot - slot * 0.15
        y = base - (H - 2 * PAD - 30) * (v / top)
        d.rectangle((x0, y, x1, base), fill=BLUE)
        text = f"{v:.2%}" if pct else f"{v:,.0f}"
        d.text(((x0 + x1) / 2, y - 6), text, fill=INK, font=_font(15), anchor="md")
        name = _fit(d, label or NONE_LABEL, slot - 8, 14)
        d.text(((x0 + x1) / 2, base + 8), name, fill=INK, font=_font(14), anchor="ma")
    if not values:
        d.text(
            (W / 2, H / 2), "no impressions in this period", fill=MUTED, font=_font(16), anchor="mm"
        )
    d.line((PAD, base, W - PAD, base), fill=INK)
    img.save(path, optimize=True)


def _nice(top: float) -> float:
    """The smallest round maximum at or above ``top`` whose quarters are round too."""
    if top <= 0:
        return 1.0
    scale = 10 ** math.floor(math.log10(top))
    return float(next(m * scale for m in (1, 1.2, 1.6, 2, 2.4, 3, 4, 6, 8, 10) if m * scale >= top))


def _tick(v: float) -> str:
    return f"{v:,.0f}" if v >= 10 or v == int(v) else f"{v:g}"


def line_chart(title: str, series: dict[str, list[float]], labels: list[str], path: Path) -> None:
    """Lines over time as PNG: the first series on the left axis, the second (if any) on the
    right axis with its own scale, each axis written in its line's colour."""
    img = Image.new("RGB", (W, H), "white")
    d = ImageDraw.Draw(img)
    d.text((PAD, 16), title, fill=INK, font=_font(20))
    base, height = H - PAD, H - 2 * PAD - 20
    items = list(series.items())[:2]

    def x_at(i: int) -> float:
        return PAD + (W - 2 * PAD) * i / (len(labels) - 1) if len(labels) > 1 else W / 2

    for k in range(5):
        y = base - height * k / 4
        d.line((PAD, y, W - PAD, y), fill=GRID)
    legend: list[tuple[str, tuple[int, int, int]]] = []
    for j, ((name, values), colour) in enumerate(zip(items, (BLUE, ORANGE), strict=False)):
        top = _nice(max(values, default=0))
        for k in range(5):
            y = base - height * k / 4
            tx, anchor = (PAD - 6, "rm") if j == 0 else (W - PAD + 6, "lm")
            d.text((tx, y), _tick(top * k / 4), fill=colour, font=_font(13), anchor=anchor)
        points = [(x_at(i), base - height * v / top) for i, v in enumerate(values)]
        if len(points) > 1:
            d.line(points, fill=colour, width=3)
        for px, py in points:
            d.ellipse((px - 4, py - 4, px + 4, py + 4), fill=colour)
        side = "left" if j == 0 else "right"
        legend.append((f"{name} ({side} axis)" if len(items) > 1 else name, colour))
    widths = [d.textlength(text, font=_font(14)) + 34 for text, _ in legend]
    lx = W - PAD - sum(widths)
    for (text, colour), width in zip(legend, widths, strict=True):
        d.rectangle((lx, 22, lx + 14, 30), fill=colour)
        d.text((lx + 20, 26), text, fill=INK, font=_font(14), anchor="lm")
        lx += width
    step = max(1, len(labels) // 8)
    for i, label in enumerate(labels):
        if i % step == 0 or i == len(labels) - 1:
            d.text((x_at(i), base + 8), label, fill=INK, font=_font(13), anchor="ma")
    img.save(path, optimize=True)


def _show(value: Any, kind: str) -> str:
    """One figure as a person reads it; ``–`` when there is none."""
    if value is None:
        return "–"
    if kind == "text":
        return str(value) or NONE_LABEL
    number = float(value)
    if kind == "pct":
        return f"{number:.2%}" if number < 0.1 else f"{number:.1%}"
    if kind == "money":
        return f"{number:,.2f}"
    if kind == "s":
        return f"{number:,.0f} s" if number >= 10 else f"{number:.1f} s"
    if kind == "ms":
        return f"{number / 1000:,.1f} s"
    return f"{number:,.0f}"


def _figures(row: dict[str, Any], fields: tuple[tuple[str, str, str], ...]) -> str:
    """One row of figures as a two-column table: label, value."""
    body = "".join(
        f"<tr><th>{html.escape(label)}</th><td>{html.escape(_show(row.get(key), kind))}</td></tr>"
        for key, label, kind in fields
    )
    return f'<table class="figures"><tbody>{body}</tbody></table>'


def _table(rows: list[dict[str, Any]], columns: tuple[tuple[str, str, str], ...]) -> str:
    head = "".join(
        f'<th class="{"text" if kind == "text" else "num"}">{html.escape(label)}</th>'
        for _, label, kind in columns
    )
    body = "".join(
        "<tr>"
        + "".join(
            f'<td class="{"text" if kind == "text" else "num"}">'
            f"{html.escape(_show(r.get(key), kind))}</td>"
            for key, _, kind in columns
        )
        + "</tr>"
        for r in rows
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _delivered(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rows with any delivery (platform events such as edits make rows with none)."""
    return [
        r
        for r in rows
        if int(r.get("impressions") or 0)
        or int(r.get("clicks") or 0)
        or int(r.get("conversions") or 0)
    ]


STYLE = """body{font:15px/1.45 system-ui,sans-serif;margin:2rem auto;max-width:960px;
padding:0 1rem;color:#1f2937}h1{margin-bottom:.2rem}.meta{color:#6b7280;margin-top:0}
h2{margin-top:2rem;border-bottom:1px solid #e5e7eb;padding-bottom:.3rem}
.cols{display:flex;gap:2.5rem;flex-wrap:wrap;align-items:flex-start}.cols section{flex:1 1 380px}
table{border-collapse:collapse;margin:.5rem 0;font-variant-numeric:tabular-nums}
td,th{border-bottom:1px solid #e5e7eb;padding:5px 10px}th{background:#f9fafb;font-weight:600}
.num{text-align:right}.text{text-align:left}.figures{width:100%}
.figures th{text-align:left;background:none;font-weight:400}.figures td{text-align:right;
font-weight:600}img{display:block;margin:1rem 0;max-width:100%}
.note{color:#6b7280;font-size:13px}"""


def write_report(
    store: EventStore,
    *,
    campaign_id: str,
    out: Path,
    tenant_id: str | None = None,
    days: int = 30,
) -> Path:
    """Write ``out`` (HTML) and ``<stem>-*.png``; return the HTML path."""
    if tenant_id is None:
        rows = store.query(
            "SELECT tenant_id FROM events WHERE campaign_id = {c:String} LIMIT 1",
            {"c": campaign_id},
        )
        if not rows:
            raise AnalyticsError(f"no events for campaign {campaign_id!r}: check the id")
        tenant_id = str(rows[0]["tenant_id"])
    until = datetime.now(UTC) + timedelta(minutes=1)
    since = until - timedelta(days=days)
    params = pilot.scope_params(tenant_id, campaign_id, since, until)
    totals = pilot.delivery(store, params)
    metrics = pilot.pilot_metrics(store, params)
    formats = _delivered(store.query(pilot.BREAKDOWN_SQL["format_id"], params))
    styles = _delivered(store.query(pilot.BREAKDOWN_SQL["style"], params))
    series = store.query(pilot.TIMESERIES_SQL, {**params, "bucket_s": 86400})
    creatives = _delivered(store.query(pilot.CREATIVES_SQL, params))
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        stem = out.with_suffix("")
        charts: dict[str, tuple[str, Callable[[Path], None]]] = {
            "ctr-by-format": (
                "CTR by format",
                lambda p: bar_chart(
                    "CTR by format",
                    [str(r["key"]) for r in formats],
                    [float(r["ctr"]) for r in formats],
                    p,
                    pct=True,
                ),
            ),
            "ctr-by-style": (
                "CTR by style",
                lambda p: bar_chart(
                    "CTR by style",
                    [str(r["key"]) for r in styles],
                    [float(r["ctr"]) for r in styles],
                    p,
                    pct=True,
                ),
            ),
            "daily": (
                "Impressions and clicks per day",
                lambda p: line_chart(
                    "Impressions and clicks per day (UTC)",
                    {
                        "impressions": [float(r["impressions"]) for r in series],
                        "clicks": [float(r["clicks"]) for r in series],
                    },
                    [str(r["t"])[5:10] for r in series],
                    p,
                ),
            ),
        }
        images = []
        for name, (alt, draw) in charts.items():
            path = Path(f"{stem}-{name}.png")
            draw(path)
            images.append(f'<img src="{html.escape(path.name)}" alt="{html.escape(alt)}">')
        page = f"""<!doctype html><html lang="en"><meta charset="utf-8">
<title>Campaign {html.escape(campaign_id)}</title>
<style>{STYLE}</style>
<h1>Campaign {html.escape(campaign_id)}</h1>
<p class="meta">{since:%Y-%m-%d} to {until:%Y-%m-%d} (last {days} days, UTC) · tenant
{html.escape(tenant_id)} · generated {until:%Y-%m-%d %H:%M} UTC</p>
<div class="cols">
<section><h2>Delivery</h2>{_figures(totals, DELIVERY_FIELDS)}</section>
<section><h2>Pilot metrics</h2>{_figures(metrics, PILOT_FIELDS)}
<p class="note">“Used” = downloaded, exported or approved. – = nothing to measure yet.</p>
</section>
</div>
<h2>Charts</h2>{"".join(images)}
<h2>Creatives</h2>{_table(creatives, CREATIVE_COLUMNS)}
</html>"""
        out.write_text(page, "utf-8")
    except OSError as exc:
        raise OutputError(f"cannot write the report to {out}: {exc}") from exc
    return out
