"""The OpenAPI document, adjusted to say what the service really answers.

Errors are ``application/problem+json`` documents (never FastAPI's default validation schema),
and every operation documents the error statuses it can give.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

from corridor.api.problems import PROBLEM_JSON
from corridor.api.settings import Settings

__all__ = ["install_openapi"]

_PROBLEM_REF = {"$ref": "#/components/schemas/ProblemOut"}
_WRITE_ERRORS = {
    "400": "Malformed request body.",
    "401": "API key missing or invalid.",
    "413": "Request body too large.",
    "415": "The body is not application/json.",
}


def _problem(description: str) -> dict[str, Any]:
    return {"description": description, "content": {PROBLEM_JSON: {"schema": _PROBLEM_REF}}}


def _limits(op: dict[str, Any], limits: dict[str, dict[str, Any]]) -> None:
    """Write the limits the server enforces (from its settings) into the parameters' schemas."""
    for param in op.get("parameters", []):
        extra = limits.get(param.get("name", ""))
        if not extra:
            continue
        schema = param.setdefault("schema", {})
        target = next((s for s in schema.get("anyOf", []) if s.get("type") != "null"), schema)
        for name, value in extra.items():
            # the tighter of the route's own bound and the setting's is what is enforced
            known = target.get(name)
            target[name] = min(known, value) if isinstance(known, int | float) else value


def _adjust(doc: dict[str, Any], limits: dict[str, dict[str, Any]]) -> dict[str, Any]:
    for operations in doc.get("paths", {}).values():
        for method, op in operations.items():
            _limits(op, limits)
            responses: dict[str, Any] = op.setdefault("responses", {})
            if method in ("post", "put", "patch", "delete"):
                for code, text in _WRITE_ERRORS.items():
                    if method == "delete" and code in ("400", "413", "415"):
                        continue
                    responses.setdefault(code, _problem(text))
            responses.setdefault("422", _problem("Invalid parameters."))
            for code, resp in responses.items():
                if not code.startswith(("4", "5")) or (code == "503" and "/health" in str(op)):
                    continue
                content = resp.get("content") or {}
                if "application/json" in content or not content:
                    schema = content.get("application/json", {}).get("schema", _PROBLEM_REF)
                    if schema.get("$ref", "").endswith("/HTTPValidationError"):
                        schema = _PROBLEM_REF
                    resp["content"] = {PROBLEM_JSON: {"schema": schema}}
    schemas = doc.get("components", {}).get("schemas", {})
    for unused in ("HTTPValidationError", "ValidationError"):
        schemas.pop(unused, None)
    return doc


def install_openapi(app: FastAPI, settings: Settings | None = None) -> None:
    """Replace ``app.openapi`` with a cached, adjusted schema showing ``settings``' limits."""
    limits: dict[str, dict[str, Any]] = {}
    if settings is not None:
        limits = {
            "samples": {"maximum": settings.max_samples},
            "alternatives": {"maximum": settings.max_alternatives},
            "via": {"maxItems": settings.max_via},
            "avoid": {"maxItems": 20},
        }

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            doc = get_openapi(
                title=app.title,
                version=app.version,
                description=app.description,
                routes=app.routes,
            )
            app.openapi_schema = _adjust(doc, limits)
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
