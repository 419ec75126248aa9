"""Fixtures shared by every integration test module."""
from browser import _chromium, browser  # noqa: F401  (pytest fixtures, used by name)
