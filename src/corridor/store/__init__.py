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
from corridor.store.shipments import (
    EventRecord,
    ForecastRecord,
    NewForecast,
    ShipmentConflict,
    ShipmentRecord,
    Shipments,
    event_key,
    new_shipment,
)
from corridor.store.store import Store, default_database_url, normalize_url

__all__ = [
    "ApiKeyRecord",
    "EventRecord",
    "ForecastRecord",
    "JobRecord",
    "JobStatus",
    "NewApiKey",
    "NewForecast",
    "ScenarioRecord",
    "ShipmentConflict",
    "ShipmentRecord",
    "Shipments",
    "Store",
    "default_database_url",
    "event_key",
    "hash_key",
    "new_key",
    "new_shipment",
    "normalize_url",
]
