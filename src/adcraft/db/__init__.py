"""Metadata: SQLAlchemy 2 models, engine and Alembic migrations (SQLite file or PostgreSQL)."""
