"""L4 store: saved scenarios, simulation jobs and their results, hashed API keys.

SQLAlchemy 2 over SQLite (a file, WAL journal, zero set-up) by default or PostgreSQL when the URL
says so; the schema is created and upgraded by the Alembic migrations shipped in this package.
"""

from corridor.store.keys import hash_key, new_key
from corridor.store.records import (
    ApiKeyRecord,
    JobRecord,
    JobStatus,
    NewApiKey,
    ScenarioRecord,
)
from corridor.store.store import Store, default_database_url, normalize_url

__all__ = [
    "ApiKeyRecord",
    "JobRecord",
    "JobStatus",
    "NewApiKey",
    "ScenarioRecord",
    "Store",
    "default_database_url",
    "hash_key",
    "new_key",
    "normalize_url",
]
