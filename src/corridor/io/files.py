"""Reading a user's file with bounds: a regular file only, of a bounded size, UTF-8.

``corridor validate /dev/zero`` used to read 3 GB, a named pipe blocked for ever and a 60 MB
scenario ran for minutes before any check: a file named on the command line is refused when it is
not a regular file (a pipe, a device, a socket) or larger than what its kind ever needs.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

__all__ = ["UnreadableFileError", "read_text_bounded"]


class UnreadableFileError(ValueError):
    """Why a file cannot be read (a one-line reason, without the file's name)."""


def read_text_bounded(path: str | Path, *, max_bytes: int) -> str:
    """The UTF-8 text of a regular file of at most ``max_bytes`` bytes.

    Raises
    ------
    UnreadableFileError
        Missing, a folder, not a regular file, too large, unreadable or not UTF-8.

    Examples
    --------
    >>> read_text_bounded("/dev/zero", max_bytes=10)
    Traceback (most recent call last):
    ...
    corridor.io.files.UnreadableFileError: not a regular file (a device, pipe or socket)
    """
    p = Path(path)
    try:
        info = p.stat()
    except FileNotFoundError:
        raise UnreadableFileError("file not found") from None
    except OSError as exc:
        raise UnreadableFileError(f"cannot read the file ({exc.strerror})") from None
    if stat.S_ISDIR(info.st_mode):
        raise UnreadableFileError("is a folder, not a file")
    if not stat.S_ISREG(info.st_mode):
        raise UnreadableFileError("not a regular file (a device, pipe or socket)")
    if info.st_size > max_bytes:
        raise UnreadableFileError(
            f"the file has {info.st_size:,} bytes, more than the {max_bytes:,} this input takes"
        )
    try:
        # O_NONBLOCK: should the path have become a pipe since the check, opening does not wait
        fd = os.open(p, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        with os.fdopen(fd, "rb") as f:
            data = f.read(max_bytes + 1)
    except OSError as exc:
        raise UnreadableFileError(f"cannot read the file ({exc.strerror})") from None
    if len(data) > max_bytes:
        raise UnreadableFileError(
            f"the file has more than the {max_bytes:,} bytes this input takes"
        )
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise UnreadableFileError(f"not UTF-8 text ({exc.reason})") from None
