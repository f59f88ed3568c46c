"""Corridor."""
