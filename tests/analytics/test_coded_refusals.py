"""Refusals of edits, feedback, tracking and analytics through the real app: each answers with
its code and values (the web app says them in its language) beside the same English detail."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from adcraft.db.engine import unit_of_work
from adcraft.db.models import CreativeRow, Task, Version
from tests.analytics.app_fixtures import App, add_creative, start_app


@pytest.fixture
def app(tmp_path: Path) -> Iterator[App]:
    yield from start_app(tmp_path)


def _refused(r: Any, status: int = 422) -> tuple[str | None, dict[str, Any], str]:
    assert r.status_code == status, r.text
    body = r.json()
    return body.get("code"), body.get("params"), body["detail"]


def _with_copy(app: App, creative_id: str) -> None:
    """Version 1 of the creative, with a headline and a button to edit."""
    with unit_of_work(app.container.sessions) as s:
        row = s.get(CreativeRow, creative_id)
        assert row is not None
        task = s.get(Task, row.task_id)
        assert task is not None
        s.add(
            Version(
                tenant_id=row.tenant_id,
                creative_id=row.id,
                number=1,
                task_id=task.id,
                action="generated",
                image_key="k1",
                image_format="jpeg",
                bytes=1,
                score=80.0,
                metrics={},
                copy_fields={"headline": "Trail 3 Tent", "cta": "Shop now"},
                platform_text={},
                copy_limits={"headline": 30},
                warnings=[],
                render={},
            )
        )


def test_analytics_dates_and_deleting_events(app: App) -> None:
    r = app.get(
        "/analytics/summary",
        app.key_a,
        params={"since": "2025-02-01T00:00:00Z", "until": "2025-01-01T00:00:00Z"},
    )
    assert _refused(r) == ("since_not_before_until", {}, "'since' must be before 'until'")
    r = app.get("/analytics/summary", app.key_a, params={"since": "1960-01-01T00:00:00Z"})
    assert _refused(r) == (
        "date_out_of_range",
        {"name": "since", "min_year": 1970, "max_year": 2200},
        "'since' must be between 1970 and 2200",
    )
    r = app.client.delete("/api/v1/analytics/events", headers=app.headers(app.key_a))
    assert _refused(r) == (
        "delete_events_needs_one",
        {},
        "pass either user_hash=<hash> or all=true",
    )


def test_events_that_are_not_a_json_list(app: App) -> None:
    r = app.post(
        "/events", app.key_a, content=b"{nope", headers={"content-type": "application/json"}
    )
    code, params, detail = _refused(r)
    assert code == "events_not_json"
    assert detail == f"the request body is not valid JSON: {params['reason']}"
    r = app.post("/events", app.key_a, json={"events": 5})
    assert _refused(r) == (
        "events_not_list",
        {},
        'send {"events": [ ... ]} with a list of event objects',
    )


def test_edits_of_a_field_the_creative_lacks_or_of_nothing(app: App) -> None:
    creative = add_creative(app.container, app.tenant_a)
    _with_copy(app, creative)
    edit = f"/creatives/{creative}/versions"
    r = app.post(edit, app.key_a, json={"action": "edit", "copy": {"price": "9 EUR"}})
    assert _refused(r) == (
        "field_not_in_creative",
        {"field": "price", "fields": "['cta', 'headline']"},
        "field 'price' is not in this creative: use ['cta', 'headline']",
    )
    r = app.post(edit, app.key_a, json={"action": "edit", "copy": {}})
    assert _refused(r) == (
        "edit_needs_copy",
        {},
        "an edit needs at least one field in 'copy', e.g. {'headline': '...'}",
    )
    r = app.post(
        edit,
        app.key_a,
        json={
            "action": "swap_image",
            "image_asset_id": "abc123",
            "image_url": "https://shop.example/tent.png",
        },
    )
    assert _refused(r) == (
        "swap_image_needs_one",
        {},
        "swap_image needs exactly one of image_asset_id or image_url",
    )
    r = app.post(edit, app.key_a, json={"action": "place"})
    assert _refused(r)[:2] == ("place_needs_placement", {})
    preview = f"/creatives/{creative}/edit-preview"
    r = app.post(preview, app.key_a, json={"copy": {}})
    assert _refused(r)[:2] == ("edit_preview_needs_copy", {})
    r = app.post(
        preview, app.key_a, json={"copy": {}, "copy_by_format": {"tiktok_9x16": {"cta": "Go"}}}
    )
    assert _refused(r) == (
        "copy_by_format_unknown",
        {"unknown": "tiktok_9x16", "sizes": "meta_feed_square"},
        "copy_by_format names tiktok_9x16, not a size of this variant: use meta_feed_square",
    )


def test_feedback_on_a_field_the_creative_lacks_or_without_words(app: App) -> None:
    creative = add_creative(app.container, app.tenant_a)
    _with_copy(app, creative)
    body = {"creative_id": creative, "kind": "edit", "field": "price", "final_text": "9 EUR"}
    code, params, _ = _refused(app.post("/feedback", app.key_a, json=body))
    assert (code, params) == (
        "field_not_in_creative",
        {"field": "price", "fields": "['cta', 'headline']"},
    )
    body = {"creative_id": creative, "kind": "edit"}
    assert _refused(app.post("/feedback", app.key_a, json=body))[:2] == (
        "feedback_edit_incomplete",
        {},
    )
    body = {"creative_id": creative, "kind": "report", "message": "  "}
    assert _refused(app.post("/feedback", app.key_a, json=body))[:2] == (
        "report_needs_message",
        {},
    )


def test_tracking_links_and_landing_urls(app: App) -> None:
    creative = add_creative(app.container, app.tenant_a, landing_url="https://shop.example/")
    r = app.client.put(
        f"/api/v1/tracking/creatives/{creative}/landing-url",
        headers=app.headers(app.key_a),
        json={"url": "shop.example/spring"},
    )
    assert _refused(r) == (
        "landing_url_invalid",
        {"url": "shop.example/spring"},
        "landing URL 'shop.example/spring' must be an absolute http(s) URL with a host",
    )
    r = app.post("/tracking/links", app.key_a, json={"creative_id": creative, "version": 3})
    assert _refused(r) == (
        "tracking_version_missing",
        {"latest": 1, "version": 3},
        "creative has versions 1..1, not 3",
    )
    links = app.post("/tracking/links", app.key_a, json={"creative_id": creative}).json()
    click = "/" + links["click_url"].split("://", 1)[1].split("/", 1)[1]
    r = app.client.get(click, params={"to": "https://evil.example/"}, follow_redirects=False)
    assert _refused(r) == (
        "redirect_not_landing",
        {},
        "the redirect target is not this creative's landing URL",
    )


def test_a_set_or_its_preview_with_two_product_pictures(app: App) -> None:
    body = {
        "brief": {"product_name": "Trail 3 Tent"},
        "formats": ["meta_feed_square"],
        "image_url": "https://shop.example/tent.png",
        "image_source": "generate",
    }
    r = app.post("/generate", app.key_a, json=body)
    assert _refused(r) == (
        "one_product_image",
        {},
        "give one product image: an upload, image_url, image_asset_id, image_source=bank "
        "or image_source=generate",
    )
    r = app.post("/generate/preview", app.key_a, json=body)
    assert _refused(r) == (
        "one_product_image_preview",
        {},
        "give one product image: image_url, image_asset_id, image_source=bank "
        "or image_source=generate",
    )
