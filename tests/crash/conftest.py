"""Crash-test fixtures: the backend to crash (SQLite, or a private PostgreSQL when asked)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parent.parent.parent / "bench"
if str(BENCH) not in sys.path:
    sys.path.insert(0, str(BENCH))


@pytest.fixture(scope="session")
def on_sqlite() -> bool:
    """PostgreSQL when TEST_DATABASE_URL names it (a private cluster is started and killed)."""
    return not os.environ.get("TEST_DATABASE_URL", "").startswith("postgresql")
