"""API keys: random secrets shown once, stored as SHA-256 hashes.

A key looks like ``cor_<prefix>_<secret>``. The prefix (8 hex characters) is stored in clear to find
the row; the whole key is stored only as a SHA-256 digest. The secret carries 256 bits of entropy,
so a fast hash is enough (a slow password hash protects low-entropy secrets, not random tokens) and
verification costs microseconds per request.
"""

from __future__ import annotations

import hashlib
import secrets

__all__ = ["hash_key", "new_key", "split_key"]

_SCHEME = "cor"


def new_key() -> tuple[str, str]:
    """A fresh key and its lookup prefix.

    Examples
    --------
    >>> key, prefix = new_key()
    >>> key.startswith(f"cor_{prefix}_")
    True
    """
    prefix = secrets.token_hex(4)
    return f"{_SCHEME}_{prefix}_{secrets.token_urlsafe(32)}", prefix


def hash_key(key: str) -> str:
    """The hex SHA-256 digest under which a key is stored."""
    return hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()


def split_key(key: str) -> str | None:
    """The lookup prefix of a well-formed key, or None.

    Examples
    --------
    >>> split_key("cor_0a1b2c3d_secret"), split_key("nonsense")
    ('0a1b2c3d', None)
    """
    parts = key.split("_", 2)
    if len(parts) != 3 or parts[0] != _SCHEME or len(parts[1]) != 8 or not parts[2]:
        return None
    return parts[1]
