"""Names a package exports but imports on first use, so that importing one module of a package
does not import the others (start-up time).

A package lists, for each of its modules, the names it takes from it, and hands the module
hooks :func:`lazy_exports` returns to Python::

    __getattr__, __dir__ = lazy_exports(__name__, {"corridor.io.gis": ("GIS_FORMATS",)})

Examples
--------
>>> import types, sys
>>> pkg = types.ModuleType("demo_pkg")
>>> sys.modules["demo_pkg"] = pkg
>>> pkg.__getattr__, pkg.__dir__ = lazy_exports("demo_pkg", {"json": ("dumps",)})
>>> pkg.dumps([1])
'[1]'
>>> "dumps" in vars(pkg)  # kept once loaded
True
>>> pkg.loads
Traceback (most recent call last):
AttributeError: module 'demo_pkg' has no attribute 'loads'
>>> del sys.modules["demo_pkg"]
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable, Iterable, Mapping
from typing import Any

__all__ = ["lazy_exports"]


def lazy_exports(
    package: str, modules: Mapping[str, Iterable[str]]
) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """The module ``__getattr__`` and ``__dir__`` of ``package``.

    Parameters
    ----------
    package
        The package's ``__name__`` (it must be in :data:`sys.modules`, as it is while its
        ``__init__`` runs).
    modules
        For each module (full dotted name), the names the package takes from it; a
        subpackage that the package exports as itself lists its own name (``corridor.sweep``:
        ``("sweep",)``).

    Returns
    -------
    tuple
        ``__getattr__`` (imports a name's module on first use and keeps the name in the
        package) and ``__dir__`` (the package's names, loaded or not).
    """
    namespace = vars(sys.modules[package])
    source = {name: module for module, names in modules.items() for name in names}

    def load(name: str) -> Any:
        module = source.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        imported = importlib.import_module(module)
        value = imported if module == f"{package}.{name}" else getattr(imported, name)
        namespace[name] = value
        return value

    def names() -> list[str]:
        return sorted({*namespace, *source})

    return load, names
