"""Waiting for something that happens in another process or thread: poll a condition until a
deadline, never sleep a fixed time and hope it happened."""

from __future__ import annotations

import time
from collections.abc import Callable


def wait_until(condition: Callable[[], object], timeout_s: float, what: str) -> None:
    """Return as soon as ``condition()`` is true; fail naming ``what`` after ``timeout_s``.

    The deadline is generous on purpose: it only bounds a test that would otherwise hang, so a
    busy machine makes the test slower, not red.
    """
    deadline = time.monotonic() + timeout_s
    while not condition():
        assert time.monotonic() < deadline, f"not within {timeout_s:g} s: {what}"
        time.sleep(0.05)
