"""areas, demographics and new people: what the national programmes' returns count by

areas: the bundled hierarchy (country, board, local authority, partnership: APB or ADP), with
an administrator's estimate of the people at risk. sites.area_id, sites.outlet_type and
organisations.area_id (the home area of records without a site). handouts and
overdose_reports get area_id (set on every write: outreach/areas/services.py), age_band and sex
(the birth date is never stored); handouts.new_person marks each client code's first supply in
the programme (outreach/handouts/firsts.py), worked out here for the rows already stored;
overdose_reports get place_type, referred and taken_to_hospital. The areas themselves are
loaded by `flask --app outreach areas-load` (the seeds run it).

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-03 15:00:00

"""

from alembic import op
import sqlalchemy as sa

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None

LEVELS = "'country', 'board', 'local_authority', 'partnership'"
AGE_BANDS = "'under_18', '18_24', '25_34', '35_44', '45_54', '55_plus'"
SEXES = "'F', 'M', 'X'"
OUTLETS = "'community', 'non_drug_treatment', 'prison', 'pharmacy', 'ambulance', 'hospital', 'peer'"
PLACES = "'own_home', 'other_home', 'hostel', 'public', 'service', 'other'"

# Kept here (not imported from the app) so this revision always does what it did: the
# earliest live supply of each client code.
FIRST_SUPPLIES = """
UPDATE handouts SET new_person = CASE WHEN client_hash IS NULL THEN NULL ELSE (
    voided_at IS NULL AND NOT EXISTS (
        SELECT 1 FROM handouts e
        WHERE e.client_hash = handouts.client_hash AND e.voided_at IS NULL
          AND (e.occurred_at < handouts.occurred_at
               OR (e.occurred_at = handouts.occurred_at AND e.id < handouts.id))
    )
) END
"""


def _counted(table):
    with op.batch_alter_table(table, schema=None) as batch_op:
        batch_op.add_column(sa.Column("age_band", sa.String(length=10), nullable=True))
        batch_op.add_column(sa.Column("sex", sa.String(length=1), nullable=True))
        batch_op.add_column(sa.Column("area_id", sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f(f"ix_{table}_area_id"), ["area_id"], unique=False)
        batch_op.create_foreign_key(
            batch_op.f(f"fk_{table}_area_id_areas"), "areas", ["area_id"], ["id"]
        )
        batch_op.create_check_constraint(
            op.f(f"ck_{table}_age_band_known"), f"age_band IS NULL OR age_band IN ({AGE_BANDS})"
        )
        batch_op.create_check_constraint(
            op.f(f"ck_{table}_sex_known"), f"sex IS NULL OR sex IN ({SEXES})"
        )


def upgrade():
    op.create_table(
        "areas",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=24), nullable=False),
        sa.Column("level", sa.String(length=20), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("name_cy", sa.String(length=120), nullable=True),
        sa.Column("name_sv", sa.String(length=120), nullable=True),
        sa.Column("parent_id", sa.Integer(), nullable=True),
        sa.Column("partnership_id", sa.Integer(), nullable=True),
        sa.Column("at_risk_estimate", sa.Integer(), nullable=True),
        sa.Column("at_risk_source", sa.String(length=200), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(f"level IN ({LEVELS})", name=op.f("ck_areas_level_known")),
        sa.CheckConstraint(
            "at_risk_estimate IS NULL OR at_risk_estimate BETWEEN 1 AND 10000000",
            name=op.f("ck_areas_at_risk_estimate_range"),
        ),
        sa.ForeignKeyConstraint(["parent_id"], ["areas.id"], name=op.f("fk_areas_parent_id_areas")),
        sa.ForeignKeyConstraint(
            ["partnership_id"], ["areas.id"], name=op.f("fk_areas_partnership_id_areas")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_areas")),
        sa.UniqueConstraint("code", name=op.f("uq_areas_code")),
    )
    with op.batch_alter_table("areas", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_areas_level"), ["level"], unique=False)
        batch_op.create_index(batch_op.f("ix_areas_updated_at"), ["updated_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_areas_parent_id"), ["parent_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_areas_partnership_id"), ["partnership_id"], unique=False
        )

    with op.batch_alter_table("organisations", schema=None) as batch_op:
        batch_op.add_column(sa.Column("area_id", sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f("ix_organisations_area_id"), ["area_id"], unique=False)
        batch_op.create_foreign_key(
            batch_op.f("fk_organisations_area_id_areas"), "areas", ["area_id"], ["id"]
        )

    with op.batch_alter_table("sites", schema=None) as batch_op:
        batch_op.add_column(sa.Column("area_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("outlet_type", sa.String(length=20), nullable=True))
        batch_op.create_index(batch_op.f("ix_sites_area_id"), ["area_id"], unique=False)
        batch_op.create_foreign_key(
            batch_op.f("fk_sites_area_id_areas"), "areas", ["area_id"], ["id"]
        )
        batch_op.create_check_constraint(
            op.f("ck_sites_outlet_known"), f"outlet_type IS NULL OR outlet_type IN ({OUTLETS})"
        )

    _counted("handouts")
    with op.batch_alter_table("handouts", schema=None) as batch_op:
        batch_op.add_column(sa.Column("new_person", sa.Boolean(), nullable=True))
        batch_op.create_index(
            "ix_handouts_client_hash_occurred", ["client_hash", "occurred_at"], unique=False
        )

    _counted("overdose_reports")
    with op.batch_alter_table("overdose_reports", schema=None) as batch_op:
        batch_op.add_column(sa.Column("place_type", sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column("referred", sa.Boolean(), nullable=True))
        batch_op.add_column(sa.Column("taken_to_hospital", sa.Boolean(), nullable=True))
        batch_op.create_check_constraint(
            op.f("ck_overdose_reports_place_type_known"),
            f"place_type IS NULL OR place_type IN ({PLACES})",
        )

    op.execute(FIRST_SUPPLIES)


def downgrade():
    with op.batch_alter_table("overdose_reports", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_overdose_reports_place_type_known"), type_="check")
        batch_op.drop_column("taken_to_hospital")
        batch_op.drop_column("referred")
        batch_op.drop_column("place_type")
    with op.batch_alter_table("handouts", schema=None) as batch_op:
        batch_op.drop_index("ix_handouts_client_hash_occurred")
        batch_op.drop_column("new_person")
    for table in ("overdose_reports", "handouts"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_constraint(op.f(f"ck_{table}_sex_known"), type_="check")
            batch_op.drop_constraint(op.f(f"ck_{table}_age_band_known"), type_="check")
            batch_op.drop_constraint(batch_op.f(f"fk_{table}_area_id_areas"), type_="foreignkey")
            batch_op.drop_index(batch_op.f(f"ix_{table}_area_id"))
            batch_op.drop_column("area_id")
            batch_op.drop_column("sex")
            batch_op.drop_column("age_band")
    with op.batch_alter_table("sites", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_sites_outlet_known"), type_="check")
        batch_op.drop_constraint(batch_op.f("fk_sites_area_id_areas"), type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_sites_area_id"))
        batch_op.drop_column("outlet_type")
        batch_op.drop_column("area_id")
    with op.batch_alter_table("organisations", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_organisations_area_id_areas"), type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_organisations_area_id"))
        batch_op.drop_column("area_id")
    op.drop_table("areas")
