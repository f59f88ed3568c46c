"""The FastAPI application, built by :func:`create_app` (nothing happens at import time)."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import FileResponse, HTMLResponse
from fastapi.staticfiles import StaticFiles
from starlette.middleware.gzip import GZipMiddleware
from starlette.middleware.trustedhost import TrustedHostMiddleware

from corridor.api.middleware import GuardMiddleware
from corridor.api.openapi import install_openapi
from corridor.api.problems import install_problem_handlers
from corridor.api.routes import (
    compare,
    emissions,
    health,
    nodes,
    routing,
    scenarios,
    shipments,
    simulations,
    validate,
)
from corridor.api.routes import network as network_routes
from corridor.api.services import Services
from corridor.api.settings import Settings
from corridor.network import Network
from corridor.web import static_dir

__all__ = ["create_app"]

_log = logging.getLogger("corridor.api")

_DESCRIPTION = """\
Plan, compare and simulate container freight across the Eurasian land bridges.

Read endpoints are public. Write endpoints (saving scenarios, starting or cancelling
simulations, booking shipments and posting their events) need an API key in the `X-API-Key`
header: create one with `corridor keys create`.
Errors are `application/problem+json` documents (RFC 9457).
"""


def create_app(settings: Settings | None = None, *, network: Network | None = None) -> FastAPI:
    """Build the service: API under ``/api/v1``, web page at ``/``, OpenAPI at ``/docs``.

    Parameters
    ----------
    settings
        The configuration (default: read from ``CORRIDOR_*`` environment variables).
    network
        A network to serve instead of ``settings.network`` or the bundled one (for tests).

    The store is opened (and migrated) here; jobs an earlier server left unfinished are marked
    failed when the app starts.
    """
    from corridor import __version__  # noqa: PLC0415  (avoids a cycle at package import)

    settings = settings or Settings()
    services = Services.build(settings, network=network)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        services.jobs.recover()
        try:
            services.network()
        except Exception:
            _log.exception("the network could not be loaded")
            raise
        yield
        services.jobs.shutdown()
        services.compute.shutdown()
        services.store.close()

    app = FastAPI(
        title="Corridor",
        version=__version__,
        description=_DESCRIPTION,
        lifespan=lifespan,
        docs_url=None,  # served below from the vendored Swagger UI: no CDN
        redoc_url=None,
        openapi_url="/openapi.json" if settings.docs else None,
    )
    app.state.services = services
    install_problem_handlers(app)
    install_openapi(app, settings)
    for router in (
        health.router,
        nodes.router,
        network_routes.router,
        routing.router,
        compare.router,
        emissions.router,
        scenarios.router,
        simulations.router,
        validate.router,
        shipments.router,
    ):
        app.include_router(router)

    static = static_dir()
    app.mount("/static", StaticFiles(directory=static), name="static")

    @app.get("/", include_in_schema=False)
    def index() -> FileResponse:
        return FileResponse(static / "index.html", media_type="text/html")

    @app.get("/track", include_in_schema=False)
    def track() -> FileResponse:
        return FileResponse(static / "track.html", media_type="text/html")

    if settings.docs:

        @app.get("/docs", include_in_schema=False)
        def docs() -> HTMLResponse:
            return get_swagger_ui_html(
                openapi_url="/openapi.json",
                title="Corridor API",
                swagger_js_url="/static/vendor/swagger-ui/swagger-ui-bundle.js",
                swagger_css_url="/static/vendor/swagger-ui/swagger-ui.css",
                swagger_favicon_url="data:,",
            )

    # large answers (a comparison with its legs is ~100 KB of JSON) travel compressed to the
    # clients that ask for it; small ones and event streams are left as they are
    app.add_middleware(GZipMiddleware, minimum_size=4096, compresslevel=5)
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_methods=["GET", "POST", "DELETE"],
            allow_headers=["Content-Type", "X-API-Key"],
        )
    if settings.allowed_hosts != ["*"]:
        app.add_middleware(TrustedHostMiddleware, allowed_hosts=settings.allowed_hosts)
    app.add_middleware(GuardMiddleware, max_body_bytes=settings.max_body_bytes)
    return app
