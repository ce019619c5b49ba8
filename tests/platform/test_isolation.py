"""Tenant isolation: for every endpoint in the OpenAPI schema, tenant B cannot touch A's data.

The test walks the schema, so a new endpoint without a case here fails until one is added.
"""

from __future__ import annotations

import io
import json
import time
from typing import Any

import httpx
import pytest
from PIL import Image

from adcraft.db.engine import unit_of_work
from adcraft.db.models import CtrJob
from tests.platform.conftest import IMAGES, DoneSet, Stack


def _png(size: tuple[int, int]) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (20, 90, 160)).save(out, "PNG")
    return out.getvalue()


def _a_world(stack: Stack, done: DoneSet) -> dict[str, str]:
    a = stack.a
    logo = a.post(
        "/assets",
        files={"file": ("logo.png", (IMAGES / "smartwatch.png").read_bytes())},
        data={"kind": "logo"},
    ).json()
    kit = a.post(
        "/brand-kits", json={"name": "A kit", "colors": ["#112233"], "logo_asset_id": logo["id"]}
    ).json()
    prod = a.post("/products", json={"sku": "a-1", "name": "A secret product"}).json()
    arms = [
        {"creative_id": done.creatives[0]["id"], "control": True},
        {"creative_id": done.creatives[1]["id"]},
    ]
    exp = a.post("/experiments", json={"name": "A test", "placement": "a-home", "arms": arms})
    assert exp.status_code == 201, exp.text
    picture = a.post(
        "/bank/images",
        files={"file": ("a-secret-picture.jpg", (IMAGES / "coffee-maker.jpg").read_bytes())},
        data={"caption": "an espresso machine"},
    )
    assert picture.status_code == 201, picture.text
    # A person of A (invited, then signed up) and a pending invitation.
    joined = a.post("/invitations", json={"email": "a-person@a.test", "role": "editor"}).json()
    with httpx.Client(base_url=stack.url + "/api/v1", timeout=30) as anon:
        accepted = anon.post(
            "/auth/accept", json={"token": joined["token"], "password": "a long passphrase"}
        )
        assert accepted.status_code == 200, accepted.text
    pending = a.post("/invitations", json={"email": "a-later@a.test", "role": "viewer"}).json()
    share = a.post("/shares", json={"campaign_id": done.campaign_id})
    assert share.status_code == 201, share.text
    tenant_a = a.get("/me").json()["tenant_id"]
    with unit_of_work(stack.container.sessions) as s:
        # A finished training of A's (A has too few events to queue one through the API).
        job = CtrJob(tenant_id=tenant_a, status="failed", error="too little data")
        s.add(job)
        s.flush()
        job_id = job.id
    return {
        "user_id": accepted.json()["user_id"],
        "prefix": stack.key_a.split("_")[1],
        "invitation_id": pending["id"],
        "share_id": share.json()["id"],
        "job_id": job_id,
        "image_id": picture.json()["id"],
        "experiment_id": exp.json()["id"],
        "placement": "a-home",
        "campaign_id": done.campaign_id,
        "task_id": done.task["id"],
        "creative_id": done.creatives[0]["id"],
        "asset_id": done.asset_id,
        "kit_id": kit["id"],
        "product_id": prod["id"],
        "number": "1",
        "tenant_id": a.get("/me").json()["tenant_id"],
        # Catalog state lives in one folder per tenant: B asking for these ids reaches only
        # its own (empty) folder.
        "run_id": "0123456789abcdef",
        "hook_id": "0123456789abcdef",
        "delivery_id": "0123456789abcdef",
        "action": "pause",
        "version": "v0001",  # a CTR model version: B reaches only its own (none)
    }


# (method, path) -> request kwargs for tenant B that aim at tenant A's objects.
def _cases(ids: dict[str, str]) -> dict[tuple[str, str], dict[str, Any]]:
    c = ids["creative_id"]
    return {
        ("post", "/api/v1/generate"): {
            "json": {"campaign_id": ids["campaign_id"], "brief": {"product_name": "x"}}
        },
        # A's catalogue product and brand kit, previewed by B: refused as "not found".
        ("post", "/api/v1/generate/preview"): {
            "json": {"product_id": ids["product_id"], "brand_kit_id": ids["kit_id"]}
        },
        ("post", "/api/v1/generate/upload"): {
            "data": {"request": json.dumps({"product_id": ids["product_id"]})}
        },
        ("patch", "/api/v1/campaigns/{campaign_id}"): {"json": {"name": "stolen"}},
        ("post", "/api/v1/campaigns/{campaign_id}/merge"): {
            "json": {"source_id": ids["campaign_id"]}
        },
        ("post", "/api/v1/tasks/{task_id}/retry"): {},
        ("post", "/api/v1/creatives/{creative_id}/versions"): {
            "json": {"action": "regenerate_text"}
        },
        ("post", "/api/v1/creatives/{creative_id}/restore"): {"json": {"version": 1}},
        # A valid finished ad aimed at A's campaign: refused as "not found".
        ("post", "/api/v1/creatives/upload"): {
            "files": {"file": ("control.png", _png((300, 250)))},
            "data": {
                "format_id": "300x250",
                "landing_url": "https://b.example/",
                "campaign_id": ids["campaign_id"],
            },
        },
        ("post", "/api/v1/creatives/{creative_id}/edit-preview"): {
            "json": {"copy": {"headline": "stolen"}}
        },
        ("post", "/api/v1/creatives/{creative_id}/review"): {"json": {"state": "approved"}},
        ("post", "/api/v1/creatives/{creative_id}/comments"): {"json": {"text": "stolen"}},
        ("put", "/api/v1/creatives/{creative_id}/shortlist"): {"json": {"shortlisted": True}},
        ("post", "/api/v1/experiments"): {
            "json": {
                "name": "stolen",
                "placement": "b-home",
                "arms": [{"creative_id": c, "control": True}, {"creative_id": c}],
            }
        },
        ("post", "/api/v1/experiments/{experiment_id}/{action}"): {},
        ("get", "/api/v1/serve/{placement}"): {"params": {"user_hash": "viewer-1"}},
        ("post", "/api/v1/catalog/runs"): {
            "json": {"feed_id": "0123456789abcdef", "formats": ["1:1"]}
        },
        ("post", "/api/v1/catalog/runs/{run_id}/export"): {"json": {"target": "x"}},
        ("post", "/api/v1/catalog/runs/{run_id}/{action}"): {},
        ("post", "/api/v1/catalog/webhooks/deliveries/{delivery_id}/replay"): {},
        ("post", "/api/v1/feedback"): {"json": {"creative_id": c, "kind": "download"}},
        ("put", "/api/v1/brand-kits/{kit_id}"): {"json": {"name": "stolen"}},
        ("put", "/api/v1/products/{product_id}"): {"json": {"sku": "s", "name": "stolen"}},
        ("post", "/api/v1/brand-kits"): {"json": {"name": "k", "logo_asset_id": ids["asset_id"]}},
        ("post", "/api/v1/products"): {
            "json": {"sku": "b", "name": "n", "image_asset_id": ids["asset_id"]}
        },
        ("post", "/api/v1/events"): {
            "json": {
                "events": [
                    {
                        "event_id": "0190e0c0-0000-7000-8000-000000000001",
                        "type": "click",
                        "ts": "2026-01-01T00:00:00Z",
                        "tenant_id": ids["tenant_id"],
                    }
                ]
            }
        },
        ("post", "/api/v1/tracking/links"): {"json": {"creative_id": c}},
        ("get", "/api/v1/analytics/experiment"): {"params": {"experiment_id": "x1"}},
        ("get", "/api/v1/bank/search"): {"params": {"q": "espresso machine"}},
        ("patch", "/api/v1/bank/images/{image_id}"): {"json": {"caption": "stolen"}},
        ("put", "/api/v1/tracking/creatives/{creative_id}/landing-url"): {
            "json": {"url": "https://b.example/"}
        },
        ("put", "/api/v1/tracking/campaigns/{campaign_id}/landing-url"): {
            "json": {"url": "https://b.example/"}
        },
        ("get", "/api/v1/ctr/ranking"): {"params": {"task": ids["task_id"]}},
        ("post", "/api/v1/ctr/models/{version}/evaluate"): {"json": {}},
        ("patch", "/api/v1/users/{user_id}"): {"json": {"role": "viewer"}},
        ("post", "/api/v1/keys/{prefix}/revoke"): {},
        ("post", "/api/v1/keys/{prefix}/rotate"): {"json": {"overlap_s": 0}},
        ("post", "/api/v1/shares"): {"json": {"campaign_id": ids["campaign_id"]}},
    }


# Endpoints that take no id of another tenant: listing ones are checked for leaks instead.
_LISTS = {
    "/api/v1/settings/providers",  # the caller's own provider settings
    "/api/v1/campaigns",
    "/api/v1/tasks",
    "/api/v1/creatives",
    "/api/v1/feedback",
    "/api/v1/assets",
    "/api/v1/brand-kits",
    "/api/v1/products",
    "/api/v1/me",
    "/api/v1/users",  # the caller's own people and invitations
    "/api/v1/keys",  # the caller's own keys
    "/api/v1/shares",  # the caller's own review links
    "/api/v1/formats",
    "/api/v1/capabilities",
    "/healthz",
    "/readyz",
    "/metrics",
    "/api/v1/analytics/summary",
    "/api/v1/analytics/pilot",
    "/api/v1/analytics/creatives",
    "/api/v1/analytics/breakdown",
    "/api/v1/analytics/timeseries",
    "/api/v1/analytics/experiment",
    "/api/v1/catalog/runs",
    "/api/v1/catalog/webhooks",
    "/api/v1/catalog/webhooks/deliveries",
    "/api/v1/experiments",
    "/api/v1/bank/images",
    "/api/v1/bank/search",
    "/api/v1/ctr/models",
    "/api/v1/ctr/jobs",
}
# Needs no tenant: the HMAC signature is the credential (tested in test_bad_input).
_CAPABILITY = {
    "/api/v1/files/{token}",
    "/api/v1/bank/demo/files/{token}",
    "/t/i/{token}",
    "/t/c/{token}",
    # Sign-in: the body (password, invitation token) or the cookie is the credential, not a key.
    "/api/v1/auth/signin",
    "/api/v1/auth/signout",
    "/api/v1/auth/invitation",
    "/api/v1/auth/accept",
    "/api/v1/auth/sso",
    "/api/v1/auth/sso/start",
    "/api/v1/auth/sso/callback",
    # Review links: the token in the body is the credential (tested in test_shares).
    "/api/v1/shared/open",
    "/api/v1/shared/comments",
}
# Create only in the caller's own tenant and take no ids (nothing foreign to aim at).
_OWN_UPLOADS = {
    ("post", "/api/v1/assets"),
    ("post", "/api/v1/products/import"),
    ("post", "/api/v1/campaigns"),
    ("delete", "/api/v1/analytics/events"),  # deletes only the caller's own events
    ("post", "/api/v1/catalog/feeds"),
    ("post", "/api/v1/catalog/feeds/fetch"),
    ("post", "/api/v1/catalog/webhooks"),
    ("put", "/api/v1/settings/providers"),  # sets only the caller's own providers
    ("post", "/api/v1/bank/images"),
    ("post", "/api/v1/ctr/models"),  # trains on the caller's own events only
    ("post", "/api/v1/invitations"),  # invites into the caller's own tenant
    ("post", "/api/v1/auth/key-session"),  # a session of the caller's own key
    ("post", "/api/v1/keys"),  # issues a key of the caller's own tenant
}


def test_every_endpoint_is_isolated(stack: Stack, done_set: DoneSet) -> None:
    ids = _a_world(stack, done_set)
    secrets = set(ids.values()) - {"1"}
    cases = _cases(ids)
    schema = httpx.get(stack.url + "/openapi.json").json()
    checked = 0
    b = httpx.Client(
        base_url=stack.url, headers={"Authorization": f"Bearer {stack.key_b}"}, timeout=30
    )
    for path, ops in schema["paths"].items():
        if path in _CAPABILITY:
            continue
        for method in ops:
            if (method, path) in _OWN_UPLOADS:
                continue
            if path.startswith("/api/v1/admin/"):
                # Operator routes: a tenant's key is no admin token, whatever the target.
                url = path.format(tenant="x", prefix="x")
                r = b.request(method.upper(), url, json={"name": "x"} if method != "get" else None)
                # 404 where no admin token is configured (the admin API is off).
                assert r.status_code in (401, 403, 404), (method, path, r.status_code, r.text)
                checked += 1
                continue
            url = path.format(**ids) if "{" in path else path
            kwargs = cases.get((method, path), {})
            if method != "get" and (method, path) not in cases and path not in _LISTS:
                if method == "delete":
                    kwargs = {}
                else:
                    pytest.fail(f"no isolation case for {method.upper()} {path}: add one")
            r = b.request(method.upper(), url, **kwargs)
            while r.status_code == 429:  # the walk outruns the per-key burst: wait as told
                time.sleep(float(r.headers.get("retry-after", "1")))
                r = b.request(method.upper(), url, **kwargs)
            text = r.text
            if path in _LISTS and method == "get":
                assert r.status_code == 200, (path, text)
                leaked = [s for s in secrets if s in text]
                assert not leaked, f"GET {path} shows tenant A's ids {leaked}"
                assert "A secret product" not in text
            else:
                assert r.status_code in (403, 404), (
                    f"{method.upper()} {url}: {r.status_code} {text}"
                )
                assert r.headers["content-type"].startswith("application/problem+json")
                sent = url + json.dumps(
                    kwargs, default=str
                )  # echoing the caller's own input is fine
                leaked = [s for s in secrets if s in text and s not in sent]
                assert not leaked, f"{method.upper()} {path} leaks {leaked}"
            checked += 1
    assert checked >= 35
    # ... and nothing of A's changed.
    a = stack.a
    assert a.get(f"/campaigns/{ids['campaign_id']}").json()["name"] == "Summer"
    assert a.get(f"/brand-kits/{ids['kit_id']}").json()["name"] == "A kit"
    assert a.get(f"/products/{ids['product_id']}").json()["name"] == "A secret product"
    assert a.get(f"/creatives/{ids['creative_id']}").json()["versions"] >= 1
    people = a.get("/users").json()
    assert {u["id"]: u["role"] for u in people["users"]}[ids["user_id"]] == "editor"
    assert ids["invitation_id"] in {i["id"] for i in people["invitations"]}
    fb = a.get("/feedback", params={"creative_id": ids["creative_id"], "kind": "download"})
    assert fb.json() == [] or all(f["data"].get("via") for f in fb.json())


def test_list_filters_with_foreign_ids_return_nothing(stack: Stack, done_set: DoneSet) -> None:
    b = stack.b
    for path, params in (
        ("/creatives", {"campaign": done_set.campaign_id}),
        ("/creatives", {"task": done_set.task["id"]}),
        ("/tasks", {"campaign": done_set.campaign_id}),
        ("/feedback", {"creative_id": done_set.creatives[0]["id"]}),
    ):
        r = b.get(path, params=params)
        while r.status_code == 429:  # the walk before spent the key's burst: wait as told
            time.sleep(float(r.headers.get("retry-after", "1")))
            r = b.get(path, params=params)
        assert r.status_code == 200
        body = r.json()
        items = body["items"] if isinstance(body, dict) else body
        assert items == [], path
