"""Style preview: one image per style in one size, nothing saved but the images, and the
images removed after the preview's time unless a row holds the same file."""

from __future__ import annotations

import io
from datetime import timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from PIL import Image
from sqlalchemy import func, select

from adcraft.api import create_app
from adcraft.config import Settings
from adcraft.container import Container, build
from adcraft.db.engine import unit_of_work
from adcraft.db.models import Asset, Campaign, PreviewFile, Task, utcnow
from adcraft.db.tenants import create_tenant
from adcraft.tasks.preview_expiry import expire_previews
from tests.platform.conftest import SECRET


@pytest.fixture
def c(tmp_path: Path) -> Container:
    settings = Settings(environment="test", data_dir=tmp_path, security={"secret_key": SECRET})
    return build(settings, with_runner=False)


def test_one_image_per_style_no_campaign_and_expiry(c: Container) -> None:
    with unit_of_work(c.sessions) as s:
        tenant, key = create_tenant(s, "Acme", c.secret)
        tenant_id = tenant.id
    client = TestClient(create_app(c), headers={"Authorization": f"Bearer {key}"})
    res = client.post(
        "/api/v1/generate/preview",
        json={
            "brief": {"product_name": "Trail 3 Tent", "offer": "20% off all tents"},
            "formats": ["iab_medium_rectangle", "1:1"],
            "styles": ["bold", "minimal"],
            "seed": 7,
            "image_format": "png",
        },
    )
    assert res.status_code == 200, res.text
    body = res.json()
    assert [i["style"] for i in body["images"]] == ["bold", "minimal"]
    assert (body["format"], body["width"], body["height"]) == ("iab_medium_rectangle", 300, 250)
    for i in body["images"]:
        img = Image.open(io.BytesIO(client.get(i["url"]).content))
        assert img.size == (300, 250) and img.format == "PNG"
    bad = client.post(
        "/api/v1/generate/preview",
        json={"brief": {"product_name": "Tent"}, "styles": ["shiny"]},
    )
    assert bad.status_code == 422 and "shiny" in bad.text
    with c.sessions() as s:
        assert s.scalar(select(func.count()).select_from(Campaign)) == 0
        assert s.scalar(select(func.count()).select_from(Task)) == 0
        keys = list(s.scalars(select(PreviewFile.key)))
    assert len(keys) == 2
    # One preview file is also an upload's file: it stays; the other goes once expired.
    kept, doomed = keys
    with unit_of_work(c.sessions) as s:
        s.add(Asset(tenant_id=tenant_id, kind="image", key=kept, content_type="image/png", bytes=1))
    assert expire_previews(c.sessions, c.store, 1800) == 0  # not yet expired
    later = utcnow() + timedelta(seconds=1801)
    assert expire_previews(c.sessions, c.store, 1800, now=later) == 1
    assert c.store.exists(kept) and not c.store.exists(doomed)
    with c.sessions() as s:
        assert s.scalar(select(func.count()).select_from(PreviewFile)) == 0
