"""The OpenAPI document, adjusted to say what the service really answers.

Errors are ``application/problem+json`` documents (never FastAPI's default validation schema),
and every operation documents the error statuses it can give.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

from corridor.api.problems import PROBLEM_JSON

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


def _adjust(doc: dict[str, Any]) -> dict[str, Any]:
    for operations in doc.get("paths", {}).values():
        for method, op in operations.items():
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


def install_openapi(app: FastAPI) -> None:
    """Replace ``app.openapi`` with a cached, adjusted schema."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            doc = get_openapi(
                title=app.title,
                version=app.version,
                description=app.description,
                routes=app.routes,
            )
            app.openapi_schema = _adjust(doc)
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
