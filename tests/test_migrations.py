"""The migrations build the models' schema on an empty database, CHECKs included, and every
revision goes down and up again, on SQLite and on PostgreSQL."""

from __future__ import annotations

import re
import uuid
from contextlib import contextmanager

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask_migrate import Migrate, downgrade, upgrade
from sqlalchemy import CheckConstraint, create_engine, inspect, text
from sqlalchemy.engine import make_url
from sqlalchemy.sql.elements import conv

from outreach import create_app
from outreach.extensions import db


@pytest.fixture
def new_database(database_url, tmp_path):
    """Make empty databases of the engine under test; each call gives a new one's URL."""
    url = make_url(database_url)
    made: list[str] = []
    admin = None
    if url.get_backend_name() == "postgresql":
        admin = create_engine(url, isolation_level="AUTOCOMMIT")

    def make(label: str) -> str:
        if admin is None:
            return f"sqlite:///{tmp_path / f'{label}.sqlite'}"
        name = f"outreach_{label}_{uuid.uuid4().hex[:8]}"
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        made.append(name)
        return url.set(database=name).render_as_string(hide_password=False)

    yield make
    if admin is not None:
        with admin.connect() as conn:
            for name in made:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@contextmanager
def app_on(url: str):
    app = create_app(
        {
            "TESTING": True,
            "SQLALCHEMY_DATABASE_URI": url,
            "SECRET_KEY": "x",
            "CLIENT_CODE_KEY": "y",
        }
    )
    with app.app_context():
        try:
            yield app
        finally:
            db.engine.dispose()


def revisions(app) -> list[str]:
    """Every revision, oldest first."""
    directory = app.extensions["migrate"].directory
    config = Migrate().get_config(directory)
    script = ScriptDirectory.from_config(config)
    return [rev.revision for rev in reversed(list(script.walk_revisions("base", "heads")))]


# --- what the database itself says: constraints and indexes by name --------------------------


def _strip_outer_parens(sql: str) -> str:
    while sql.startswith("(") and sql.endswith(")") and _closes_at_end(sql):
        sql = sql[1:-1].strip()
    return sql


def _closes_at_end(sql: str) -> bool:
    depth = 0
    for i, char in enumerate(sql):
        depth += {"(": 1, ")": -1}.get(char, 0)
        if depth == 0 and i < len(sql) - 1:
            return False
    return True


def normalise(sql: str) -> str:
    """One spelling of a CHECK or index: no quotes, one space, no redundant parentheses."""
    sql = re.sub(r"\s+", " ", sql.replace('"', "").replace("`", "")).strip()
    sql = re.sub(r"\( ", "(", re.sub(r" \)", ")", sql))
    return _strip_outer_parens(sql)


def _sqlite_checks(create_table: str) -> dict[str, str]:
    """The named CHECKs of one CREATE TABLE statement as SQLite stores it (verbatim)."""
    found = {}
    for match in re.finditer(r'CONSTRAINT\s+"?(\w+)"?\s+CHECK\s*\(', create_table, re.I):
        start = match.end() - 1
        depth = 0
        for end in range(start, len(create_table)):
            depth += {"(": 1, ")": -1}.get(create_table[end], 0)
            if depth == 0:
                break
        found[match.group(1)] = normalise(create_table[start : end + 1])
    unnamed = re.findall(r"\bCHECK\s*\(", re.sub(r"CONSTRAINT\s+\S+\s+CHECK", "", create_table))
    assert not unnamed, f"an unnamed CHECK: {create_table[:200]}"
    return found


def database_rules(conn) -> dict[str, dict[str, str]]:
    """CHECK constraints, indexes (with their predicates) and foreign keys (with their
    ON DELETE), by name, as the database holds them."""
    if conn.dialect.name == "postgresql":
        rows = conn.execute(
            text(
                "SELECT con.conname, con.contype, pg_get_constraintdef(con.oid) "
                "FROM pg_constraint con JOIN pg_namespace ns ON ns.oid = con.connamespace "
                "WHERE ns.nspname = 'public' AND con.contype IN ('c', 'f', 'u', 'p')"
            )
        ).all()
        kinds = {"c": "check", "f": "foreign key", "u": "unique", "p": "primary key"}
        rules: dict[str, dict[str, str]] = {kind: {} for kind in kinds.values()}
        for name, kind, definition in rows:
            rules[kinds[kind]][name] = normalise(definition.removeprefix("CHECK "))
        rules["index"] = {
            name: normalise(definition)
            for name, definition in conn.execute(
                text(
                    "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' "
                    "AND tablename <> 'alembic_version'"
                )
            )
        }
        rules["primary key"].pop("alembic_version_pkc", None)
        return rules
    rules = {"check": {}, "index": {}, "foreign key": {}}
    for kind, name, table, sql in conn.execute(
        text(
            "SELECT type, name, tbl_name, sql FROM sqlite_master WHERE sql IS NOT NULL "
            "AND tbl_name NOT IN ('alembic_version', 'sqlite_sequence')"
        )
    ):
        if kind == "table":
            rules["check"].update(_sqlite_checks(sql))
            for fk in conn.exec_driver_sql(f'PRAGMA foreign_key_list("{table}")').mappings():
                key = f"{table}.{fk['from']} -> {fk['table']}.{fk['to']}"
                rules["foreign key"][key] = f"ON DELETE {fk['on_delete']}"
        elif kind == "index":
            rules["index"][name] = normalise(sql.split(" ON ", 1)[1])
    return rules


def model_check_names() -> set[str]:
    """Every CheckConstraint the models declare, by its conventional name."""
    names = set()
    for table in db.metadata.tables.values():
        for constraint in table.constraints:
            if isinstance(constraint, CheckConstraint):
                name = constraint.name  # a `conv` once DDL has applied the naming convention
                names.add(name if isinstance(name, conv) else f"ck_{table.name}_{name}")
    return names


def differences(migrated: dict, models: dict) -> list[str]:
    out = []
    for kind in sorted(set(migrated) | set(models)):
        have, want = migrated.get(kind, {}), models.get(kind, {})
        for name in sorted(set(have) | set(want)):
            if have.get(name) != want.get(name):
                out.append(f"{kind} {name}: migrated {have.get(name)!r}, models {want.get(name)!r}")
    return out


def assert_matches_models(url: str, models_url: str) -> None:
    """Alembic's compare (tables, columns, types, nullability, server defaults, indexes, unique
    and foreign keys), then what Alembic does not compare: CHECKs, index predicates, ON DELETE."""
    with app_on(url), db.engine.connect() as conn:
        ctx = MigrationContext.configure(
            conn, opts={"compare_type": True, "compare_server_default": True}
        )
        diff = compare_metadata(ctx, db.metadata)
        tables = set(inspect(conn).get_table_names())
        migrated = database_rules(conn)
    with app_on(models_url):
        db.create_all()
        with db.engine.connect() as conn:
            models = database_rules(conn)
    assert diff == []
    assert set(db.metadata.tables) <= tables
    assert set(models["check"]) == model_check_names()
    assert differences(migrated, models) == []


# --- the tests ---------------------------------------------------------------------------------


def test_upgrade_from_empty_to_head_matches_the_models(new_database):
    url = new_database("migrated")
    with app_on(url):
        upgrade()
    assert_matches_models(url, new_database("models"))


def test_a_check_that_differs_from_the_models_is_seen(new_database):
    """The comparison reads CHECKs from the database and fails on one that drifted (Alembic's
    compare alone would not see it)."""
    drifted = {}
    for label, rule in (("migrated", "n >= 0"), ("models", "n > 0")):
        engine = create_engine(new_database(label))
        with engine.begin() as conn:
            conn.execute(
                text(
                    f"CREATE TABLE drift (n INTEGER, CONSTRAINT ck_drift_n_positive CHECK ({rule}))"
                )
            )
            drifted[label] = database_rules(conn)
        engine.dispose()
    assert differences(drifted["migrated"], drifted["models"]) == [
        "check ck_drift_n_positive: migrated 'n >= 0', models 'n > 0'"
    ]


def test_head_down_to_base_and_up_again(new_database):
    url = new_database("roundtrip")
    with app_on(url):
        upgrade()
        downgrade(revision="base")
        with db.engine.connect() as conn:
            assert set(inspect(conn).get_table_names()) <= {"alembic_version"}
        upgrade()
    assert_matches_models(url, new_database("models"))


def test_every_revision_goes_down_and_up_one_step_at_a_time(new_database):
    url = new_database("steps")
    with app_on(url) as app:
        steps = revisions(app)
        for revision in steps:
            upgrade(revision=revision)
            downgrade(revision="-1")
            upgrade(revision=revision)
        for _ in steps:
            downgrade(revision="-1")
        with db.engine.connect() as conn:
            assert set(inspect(conn).get_table_names()) <= {"alembic_version"}
        for revision in steps:
            upgrade(revision=revision)
    assert_matches_models(url, new_database("models"))
