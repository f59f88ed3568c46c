"""Default sample sizes of the transit engines, in a module of their own so that a caller can
name them without importing the engines (numpy) at start-up."""

from __future__ import annotations

__all__ = ["DEFAULT_ETA_SAMPLES"]

DEFAULT_ETA_SAMPLES = 10_000
"""Monte-Carlo journeys of an ETA forecast (``corridor eta``, the shipments API)."""
