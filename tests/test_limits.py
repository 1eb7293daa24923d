"""The largest integer the database takes: said once, and every reader of ids bounded by it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from sqlalchemy import Integer, bindparam, cast, select
from sqlalchemy.exc import DataError

from outreach.extensions import db
from outreach.limits import MAX_DB_INT

OUTREACH = Path(__file__).resolve().parent.parent / "outreach"
WRITTEN_OUT = re.compile(r"2\s*\*\*\s*31|2_?147_?483_?64[78]")


def _as_integer(value: int):
    return db.session.scalar(select(cast(bindparam("v", value), Integer)))


def test_the_database_takes_max_db_int(app):
    assert _as_integer(MAX_DB_INT) == MAX_DB_INT


def test_one_more_than_max_db_int_overflows_postgresqls_integer(app):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("SQLite's integers are 64-bit; PostgreSQL's integer is the bound")
    with pytest.raises(DataError):
        _as_integer(MAX_DB_INT + 1)
    db.session.rollback()


def test_no_module_writes_the_limit_out_again():
    copies = [
        f"{path.relative_to(OUTREACH.parent)}:{n}"
        for path in OUTREACH.rglob("*.py")
        if path.name != "limits.py"
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if WRITTEN_OUT.search(line)
    ]
    assert copies == []
