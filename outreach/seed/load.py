"""Bulk loading of generated columns: Core executemany on SQLite, COPY on PostgreSQL."""

from __future__ import annotations

import sys
from collections.abc import Iterator

from sqlalchemy import Table, func, insert, select
from tqdm import tqdm

from outreach.extensions import db
from outreach.seed.generate import as_python

BATCH_ROWS = 10_000
COPY_ROWS = 50_000
SQLITE_LOAD = ("PRAGMA cache_size = -262144", "PRAGMA synchronous = OFF")  # 256 MiB of cache
SQLITE_NORMAL = ("PRAGMA cache_size = -2000", "PRAGMA synchronous = FULL")  # SQLite's defaults


def next_id(table: Table) -> int:
    """The first free primary key of `table` (ids are given explicitly to link child rows)."""
    return (db.session.scalar(select(func.max(table.c.id))) or 0) + 1


def bulk_insert(table: Table, columns: dict, desc: str | None = None) -> int:
    """Insert the rows held as columns, one transaction per batch, with a progress bar."""
    names = list(columns)
    values = [as_python(columns[name]) for name in names]
    total = len(values[0]) if values else 0
    engine = db.engine
    postgres = engine.dialect.name == "postgresql"
    step = COPY_ROWS if postgres else BATCH_ROWS
    bar = tqdm(total=total, desc=desc or table.name, unit=" rows", file=sys.stderr, leave=True)
    with bar, engine.connect() as conn:
        _tune(conn, loading=True)
        try:
            for lo in range(0, total, step):
                rows = zip(*(v[lo : lo + step] for v in values), strict=True)
                with conn.begin():
                    if postgres:
                        _copy(conn, table, names, rows)
                    else:
                        batch = [dict(zip(names, row, strict=True)) for row in rows]
                        conn.execute(insert(table), batch)
                bar.update(min(step, total - lo))
        finally:
            _tune(conn, loading=False)
    if postgres:
        _analyse(table)
        if "id" in names:
            _advance_sequence(table)
    return total


def _tune(conn, loading: bool) -> None:
    """On SQLite, a big page cache and no fsync per batch while loading (this connection only);
    a crash mid-load loses at most the batch in flight, and the load refuses to run twice."""
    if conn.dialect.name != "sqlite":
        return
    for pragma in SQLITE_LOAD if loading else SQLITE_NORMAL:
        conn.exec_driver_sql(pragma)
    conn.commit()


def _copy(conn, table: Table, names: list[str], rows: Iterator[tuple]) -> None:
    cols = ", ".join(f'"{name}"' for name in names)
    with (
        conn.connection.cursor() as cur,
        cur.copy(f'COPY "{table.name}" ({cols}) FROM STDIN') as cp,
    ):
        for row in rows:
            cp.write_row(row)


def _analyse(table: Table) -> None:
    """PostgreSQL plans by statistics that still describe the empty table until autovacuum
    comes round: gather them now, so what runs next is planned for the rows there (marking
    new people took minutes a statement on 1,000,000 handouts without them, 7 s with them)."""
    with db.engine.begin() as conn:
        conn.exec_driver_sql(f'ANALYZE "{table.name}"')


def vacuum(*tables: Table) -> None:
    """After a bulk load on PostgreSQL, what autovacuum would do later: mark the pages all
    visible, so the returns' people read ix_handouts_area_people alone (an index-only scan;
    without it each row's page is visited: 915 ms for Wales's return instead of 418 ms), and
    gather the statistics of the rows updated since loading (new people, the tallies)."""
    if db.engine.dialect.name != "postgresql":
        return
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.exec_driver_sql("VACUUM (ANALYZE) " + ", ".join(f'"{t.name}"' for t in tables))


def _advance_sequence(table: Table) -> None:
    """Explicit ids leave PostgreSQL's sequence behind: move it past the highest id."""
    highest = select(func.coalesce(func.max(table.c.id), 1)).scalar_subquery()
    with db.engine.begin() as conn:
        conn.execute(select(func.setval(func.pg_get_serial_sequence(table.name, "id"), highest)))
