"""L4 service: the REST API (FastAPI) serving the web page, built by :func:`create_app`.

Nothing is created at import time: ``create_app(Settings())`` opens the store and builds the app;
``uvicorn --factory corridor.api:app_from_env`` does the same from the environment.
"""

from corridor.api.app import create_app
from corridor.api.settings import Settings

__all__ = ["Settings", "app_from_env", "create_app"]


def app_from_env() -> object:
    """An app configured from ``CORRIDOR_*`` variables (for ``uvicorn --factory``)."""
    return create_app(Settings())
