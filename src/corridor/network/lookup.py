"""Find a node by id, name, alias or UN/LOCODE, case- and accent-insensitive."""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable, Mapping

from corridor.errors import NodeNotFoundError
from corridor.model import Node

__all__ = ["NodeIndex", "normalize_name"]

_DROP = re.compile(r"[\W_]+")  # letters and digits of any script survive
_FOLD = str.maketrans(
    {"ı": "i", "ł": "l", "ø": "o", "đ": "d", "ß": "ss", "ə": "a", "ʼ": "", "’": ""}
)


def normalize_name(text: str) -> str:
    """Fold a place name to a lookup key: lower case, no accents, letters and digits only.

    Examples
    --------
    >>> normalize_name("Xi'an")
    'xian'
    >>> normalize_name("Kapıkule") == normalize_name("KAPIKULE")
    True
    >>> normalize_name("Constanța")
    'constanta'
    """
    folded = text.casefold().translate(_FOLD)
    decomposed = unicodedata.normalize("NFKD", folded)
    ascii_only = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _DROP.sub("", ascii_only)


class NodeIndex:
    """Lookup table from every name a node goes by to its id.

    Examples
    --------
    >>> from corridor.model import Node, NodeKind
    >>> idx = NodeIndex([Node(id="alat", name="Alat", aliases=("Baku",), country="AZ",
    ...                       lat=39.9, lon=49.4, kind=NodeKind.PORT, locode="AZBAK")])
    >>> idx.resolve("baku"), idx.resolve("AZBAK")
    ('alat', 'alat')
    """

    def __init__(self, nodes: Iterable[Node]) -> None:
        self._keys: dict[str, set[str]] = {}
        self._display: dict[str, str] = {}
        for node in nodes:
            self._display[node.id] = node.name
            names = [node.id, node.name, *node.aliases, *node.native_names]
            if node.locode:
                names.append(node.locode)
            for name in names:
                key = normalize_name(name)
                if key:
                    self._keys.setdefault(key, set()).add(node.id)

    def resolve(self, query: str) -> str:
        """Return the id of the node called ``query``.

        Raises
        ------
        NodeNotFoundError
            When no node or several nodes go by that name; lists the closest names.
        """
        key = normalize_name(query)
        ids = self._keys.get(key, set())
        if len(ids) == 1:
            return next(iter(ids))
        if len(ids) > 1:
            names = sorted(f"{self._display[i]} ({i})" for i in ids)
            raise NodeNotFoundError(query, names, ambiguous=True)
        raise NodeNotFoundError(query, self.suggest(query))

    def suggest(self, query: str, limit: int = 3) -> list[str]:
        """The names of the nodes closest to ``query``, best first."""
        key = normalize_name(query)
        if not key:
            return []
        close = difflib.get_close_matches(key, list(self._keys), n=limit * 3, cutoff=0.6)
        out: list[str] = []
        for k in close:
            for node_id in sorted(self._keys[k]):
                name = self._display[node_id]
                if name not in out:
                    out.append(name)
        return out[:limit]

    def search(self, text: str, nodes: Mapping[str, Node]) -> list[Node]:
        """Nodes whose id, name, alias or UN/LOCODE contains ``text`` (case and accents folded).

        Only containment counts: a misspelling finds nothing here (see :meth:`suggest` for the
        closest names).
        """
        key = normalize_name(text)
        hits = sorted({i for k, ids in self._keys.items() if key in k for i in ids})
        return [nodes[i] for i in hits]
