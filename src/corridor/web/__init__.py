"""L4 web page: the static map, comparison and simulation page served by the API at ``/``.

Front-end libraries are vendored under ``static/vendor`` with their licences; country shapes
are Natural Earth (public domain) via the ``world-atlas`` package. No build step, no CDN.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

__all__ = ["static_dir"]


def static_dir() -> Path:
    """The folder of the page's static files (``index.html``, ``app.js``, ``vendor/``)."""
    return Path(str(resources.files("corridor.web") / "static"))
