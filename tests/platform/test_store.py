"""The AssetStore contract, run on the local folder and on S3 (moto's server on loopback)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from adcraft.errors import AssetMissing, LinkRejected
from adcraft.store.base import AssetStore, content_key, open_store
from adcraft.store.local import LocalStore
from adcraft.store.signing import sign, verify


@pytest.fixture(scope="module")
def moto_url() -> Iterator[str]:
    from tests.platform.servers import moto_s3_server

    with moto_s3_server() as url:
        yield url


@pytest.fixture(params=["local", "s3"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> AssetStore:
    if request.param == "local":
        return open_store(tmp_path.as_uri())
    url = request.getfixturevalue("moto_url")
    return open_store(
        f"s3://adcraft-{tmp_path.name.lower().replace('_', '-')[:30]}/assets",
        endpoint_url=url,
        access_key_id="testing",
        secret_access_key="testing",
    )


def test_put_get_is_content_addressed(store: AssetStore) -> None:
    k1 = store.put("t1", b"hello", "png", "image/png")
    k2 = store.put("t1", b"hello", "png", "image/png")
    assert k1 == k2 == content_key("t1", b"hello", "png")
    assert store.get(k1) == b"hello" and store.exists(k1)
    assert store.put("t2", b"hello", "png", "image/png") != k1, "tenants never share keys"
    store.delete(k1)
    assert not store.exists(k1)
    with pytest.raises(AssetMissing):
        store.get(k1)
    assert store.ping()


def test_foreign_key_layouts_are_refused(store: AssetStore) -> None:
    for bad in ("../../etc/passwd", "tenants/t1/../../x", "tenants/t1/aa/zz.png", ""):
        with pytest.raises(AssetMissing):
            store.get(bad)


def test_presigned_urls(store: AssetStore) -> None:
    key = store.put("t1", b"\x89PNG-bytes", "png", "image/png")
    url = store.presigned_url(key, ttl_s=60, filename="a.png", content_type="image/png")
    if isinstance(store, LocalStore):
        assert url is None  # the API signs and serves local files
        return
    assert url is not None
    r = httpx.get(url)
    assert r.status_code == 200 and r.content == b"\x89PNG-bytes"
    # moto does not enforce expiry (S3 does); check the URL carries the short lifetime.
    import time
    from urllib.parse import parse_qs, urlsplit

    query = parse_qs(urlsplit(url).query)
    if "Expires" in query:
        assert 0 < int(query["Expires"][0]) - time.time() <= 61
    else:
        assert query["X-Amz-Expires"] == ["60"]


def test_unreachable_s3_is_unavailable(tmp_path: Path) -> None:
    pytest.importorskip("boto3")
    from adcraft.errors import StoreUnavailable
    from tests.platform.servers import free_port

    s = open_store("s3://nowhere", endpoint_url=f"http://127.0.0.1:{free_port()}")
    assert not s.ping()
    with pytest.raises(StoreUnavailable):
        s.put("t", b"x", "png", "image/png")


def test_hmac_links() -> None:
    token, _ = sign(
        "k" * 40,
        "tenants/t/aa/" + "a" * 64 + ".png",
        ttl_s=60,
        filename="f.png",
        content_type="image/png",
    )
    assert verify("k" * 40, token)[1] == "f.png"
    with pytest.raises(LinkRejected):
        verify("other" * 10, token)
    with pytest.raises(LinkRejected, match="expired"):
        verify("k" * 40, token, now=10**12)
    with pytest.raises(LinkRejected):
        verify("k" * 40, "garbage")


def test_api_on_s3_store(moto_url: str, tmp_path: Path) -> None:
    """The whole flow with assets in S3: presigned image links, ZIP from S3 objects."""
    import io
    import zipfile

    from adcraft.api import create_app
    from adcraft.config import Settings
    from tests.platform.conftest import SECRET, SMALL, make_stack, tent_bytes, wait_task
    from tests.platform.servers import ServerThread

    settings = Settings(
        environment="test",
        data_dir=tmp_path,
        store={
            "url": "s3://adcraft-api/prefix",
            "s3_endpoint_url": moto_url,
            "s3_access_key_id": "testing",
            "s3_secret_access_key": "testing",
        },
        tasks={"local_mode": "thread"},
        security={"secret_key": SECRET},
    )
    container, ka, _ = make_stack("s3", settings)
    with ServerThread(create_app(container)) as srv:
        a = httpx.Client(base_url=srv.url + "/api/v1", headers={"Authorization": f"Bearer {ka}"})
        r = a.post(
            "/generate/upload",
            data={
                "request": '{"brief": {"product_name": "S3 Tent"}, "formats": ["1:1"],'
                ' "variants": 1}'
            },
            files={"image": ("t.jpg", tent_bytes())},
        )
        assert r.status_code == 202, r.text
        assert wait_task(a, r.json()["id"])["status"] == "completed"
        item = a.get("/creatives", params={"task": r.json()["id"]}).json()["items"][0]
        assert item["image_url"].startswith(moto_url)
        assert httpx.get(item["image_url"]).content[:3] == b"\xff\xd8\xff"
        z = a.get(f"/tasks/{r.json()['id']}/download.zip")
        names = zipfile.ZipFile(io.BytesIO(z.content)).namelist()
        assert "generic/variant-1/01_generic_1x1_1080x1080_v1.jpg" in names
        assert httpx.get(srv.url + "/readyz").json()["checks"]["store"] is True
    container.engine.dispose()
    assert SMALL
