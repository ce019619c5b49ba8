"""Run the API as its own process for crash tests: ``python -m tests.analytics.api_proc PORT``.

Settings come from the environment; the first start creates a tenant and writes its API key
and id to ``<data_dir>/key.txt``.
"""

from __future__ import annotations

import sys

import uvicorn

from adcraft.api import create_app
from adcraft.config import load_settings
from adcraft.container import build
from adcraft.db.engine import unit_of_work
from adcraft.db.tenants import create_tenant


def main() -> None:
    settings = load_settings()
    container = build(settings, with_runner=False)
    key_file = settings.data_dir / "key.txt"
    if not key_file.exists():
        with unit_of_work(container.sessions) as s:
            tenant, key = create_tenant(s, "crash", container.secret)
            tenant_id = tenant.id
        key_file.write_text(f"{key}\n{tenant_id}\n")
    uvicorn.run(create_app(container), host="127.0.0.1", port=int(sys.argv[1]), log_level="warning")


if __name__ == "__main__":
    main()
