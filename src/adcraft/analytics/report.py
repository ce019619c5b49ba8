"""``adcraft report``: a campaign report as one HTML file with PNG charts beside it.

For people without Grafana: delivery totals, the pilot metrics, CTR by format and by style, the
daily series and the creative table, all from the same SQL as the API.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from PIL import Image, ImageDraw, ImageFont

from adcraft.analytics import pilot
from adcraft.analytics.errors import AnalyticsError
from adcraft.analytics.events import EventStore
from adcraft.errors import OutputError

W, H, PAD = 900, 360, 56
INK, GRID, BLUE, ORANGE = (31, 41, 55), (229, 231, 235), (37, 99, 235), (234, 88, 12)


def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    return ImageFont.load_default(size=size)


def bar_chart(title: str, labels: list[str], values: list[float], path: Path, pct: bool) -> None:
    """Horizontal-axis bar chart as PNG."""
    img = Image.new("RGB", (W, H), "white")
    d = ImageDraw.Draw(img)
    d.text((PAD, 14), title, fill=INK, font=_font(18))
    top = max(values, default=0) or 1.0
    n = max(1, len(values))
    slot = (W - 2 * PAD) / n
    base = H - PAD
    for i, (label, v) in enumerate(zip(labels, values, strict=True)):
        x0 = PAD + i * slot + slot * 0.15
        x1 = PAD + (i + 1) * slot - slot * 0.15
        y = base - (H - 2 * PAD - 20) * (v / top)
        d.rectangle((x0, y, x1, base), fill=BLUE)
        text = f"{v:.2%}" if pct else f"{v:,.0f}"
        d.text(((x0 + x1) / 2, y - 4), text, fill=INK, font=_font(12), anchor="md")
        d.text(((x0 + x1) / 2, base + 6), label[:16], fill=INK, font=_font(12), anchor="ma")
    d.line((PAD, base, W - PAD, base), fill=INK)
    img.save(path, optimize=True)


def line_chart(title: str, series: dict[str, list[float]], labels: list[str], path: Path) -> None:
    """Lines over time as PNG (each series scaled to the common maximum)."""
    img = Image.new("RGB", (W, H), "white")
    d = ImageDraw.Draw(img)
    d.text((PAD, 14), title, fill=INK, font=_font(18))
    top = max((max(v, default=0) for v in series.values()), default=0) or 1.0
    base, height = H - PAD, H - 2 * PAD - 20
    for k in range(5):
        y = base - height * k / 4
        d.line((PAD, y, W - PAD, y), fill=GRID)
        d.text((PAD - 6, y), f"{top * k / 4:,.0f}", fill=INK, font=_font(11), anchor="rm")
    n = max(1, len(labels) - 1)
    for (name, values), colour in zip(series.items(), (BLUE, ORANGE), strict=False):
        points = [
            (PAD + (W - 2 * PAD) * i / n, base - height * v / top) for i, v in enumerate(values)
        ]
        if len(points) > 1:
            d.line(points, fill=colour, width=3)
        for x, y in points:
            d.ellipse((x - 3, y - 3, x + 3, y + 3), fill=colour)
        d.text((W - PAD - 140, 16 + 18 * list(series).index(name)), name, fill=colour)
    for i in (0, len(labels) - 1):
        if labels:
            d.text((PAD + (W - 2 * PAD) * i / n, base + 6), labels[i], fill=INK, anchor="ma")
    img.save(path, optimize=True)


def _table(rows: list[dict[str, Any]], columns: list[str]) -> str:
    head = "".join(f"<th>{html.escape(c)}</th>" for c in columns)
    body = "".join(
        "<tr>" + "".join(f"<td>{html.escape(_fmt(r.get(c)))}</td>" for c in columns) + "</tr>"
        for r in rows
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _fmt(value: Any) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:.4g}"
    return str(value)


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
    params = pilot.scope_params(tenant_id, campaign_id, until - timedelta(days=days), until)
    totals = pilot.delivery(store, params)
    metrics = pilot.pilot_metrics(store, params)
    formats = store.query(pilot.BREAKDOWN_SQL["format_id"], params)
    styles = store.query(pilot.BREAKDOWN_SQL["style"], params)
    series = store.query(pilot.TIMESERIES_SQL, {**params, "bucket_s": 86400})
    creatives = store.query(pilot.CREATIVES_SQL, params)
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        stem = out.with_suffix("")
        charts: dict[str, Callable[[Path], None]] = {
            "ctr-by-format": lambda p: bar_chart(
                "CTR by format",
                [str(r["key"]) for r in formats],
                [float(r["ctr"]) for r in formats],
                p,
                pct=True,
            ),
            "ctr-by-style": lambda p: bar_chart(
                "CTR by style",
                [str(r["key"]) for r in styles],
                [float(r["ctr"]) for r in styles],
                p,
                pct=True,
            ),
            "daily": lambda p: line_chart(
                "Impressions and clicks per day",
                {
                    "impressions": [float(r["impressions"]) for r in series],
                    "clicks": [float(r["clicks"]) for r in series],
                },
                [str(r["t"])[:10] for r in series],
                p,
            ),
        }
        images = []
        for name, draw in charts.items():
            path = Path(f"{stem}-{name}.png")
            draw(path)
            images.append(f'<img src="{html.escape(path.name)}" alt="{name}">')
        page = f"""<!doctype html><html lang="en"><meta charset="utf-8">
<title>Campaign {html.escape(campaign_id)}</title>
<style>body{{font:15px system-ui,sans-serif;margin:2rem;color:#1f2937}}
table{{border-collapse:collapse;margin:1rem 0}}td,th{{border:1px solid #e5e7eb;padding:4px 8px;
text-align:right}}th{{background:#f9fafb}}img{{display:block;margin:1rem 0;max-width:100%}}</style>
<h1>Campaign {html.escape(campaign_id)}</h1>
<p>Last {days} days, tenant {html.escape(tenant_id)}, generated {until:%Y-%m-%d %H:%M} UTC.</p>
<h2>Delivery</h2>{_table([totals], list(totals))}
<h2>Pilot metrics</h2>{_table([metrics], list(metrics))}
<h2>Charts</h2>{"".join(images)}
<h2>Creatives</h2>{
            _table(
                creatives,
                [
                    "creative_id",
                    "version",
                    "format_id",
                    "style",
                    "impressions",
                    "clicks",
                    "ctr",
                    "conversions",
                ],
            )
        }
</html>"""
        out.write_text(page, "utf-8")
    except OSError as exc:
        raise OutputError(f"cannot write the report to {out}: {exc}") from exc
    return out
