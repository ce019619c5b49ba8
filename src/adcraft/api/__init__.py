"""The REST API (``/api/v1``): create_app(container) builds the FastAPI application."""

from adcraft.api.app import create_app

__all__ = ["create_app"]
