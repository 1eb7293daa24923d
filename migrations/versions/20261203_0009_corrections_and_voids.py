"""corrections and voids: a void on every field record, the correction window, their audit

Every field record (handouts, outreach contacts, overdose reports) can be voided: the row stays,
with when, by whom and why (all three or none: ck_<table>_void_complete). A handout replaced by a
correction of the stock it took names its replacement (replaced_by_id). The covering indexes of
handouts and contacts now hold live rows only and carry voided_at, so the report and map queries,
which ask for live rows, still read only the index (SQLite needs the column in the index for
that; PostgreSQL uses the partial index either way). Organisations get correction_days (how long
a recorder may correct their own record, default 7). The audit log gets the action 'void' and a
longer detail (a correction lists each field it changed).

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-03 07:11:44

"""
from alembic import op
import sqlalchemy as sa

revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None

VOID_COMPLETE = (
    "(voided_at IS NULL AND voided_by_id IS NULL AND void_reason IS NULL) OR "
    "(voided_at IS NOT NULL AND voided_by_id IS NOT NULL AND void_reason IS NOT NULL)"
)
LIVE = {
    'sqlite_where': sa.text('voided_at IS NULL'),
    'postgresql_where': sa.text('voided_at IS NULL'),
}
REPORT_COLUMNS = [
    'kind', 'product_id', 'setting', 'supply', 'repeat_reason', 'recipient_type',
    'training_given', 'quantity', 'people_trained', 'site_id',
]
HANDOUT_INDEXES = {
    'ix_handouts_org_occurred_cover':
        ['org_id', 'occurred_at', *REPORT_COLUMNS, 'latitude', 'longitude'],
    'ix_handouts_occurred_cover': ['occurred_at', 'org_id', *REPORT_COLUMNS],
    'ix_handouts_map_cover':
        ['occurred_at', 'org_id', 'latitude', 'longitude', 'quantity', 'product_id', 'setting'],
}
CONTACT_INDEXES = {
    'ix_outreach_contacts_org_occurred_cover':
        ['org_id', 'occurred_at', 'latitude', 'longitude', 'setting', 'people_count'],
    'ix_outreach_contacts_map_cover':
        ['occurred_at', 'org_id', 'latitude', 'longitude', 'setting'],
}
OLD_ACTIONS = "'create', 'update', 'view', 'login', 'logout', 'login_failed', 'export', 'delete'"
NEW_ACTIONS = (
    "'create', 'update', 'void', 'view', 'login', 'logout', 'login_failed', 'export', 'delete'"
)


def _void_columns(batch_op, table: str) -> None:
    batch_op.add_column(sa.Column('voided_at', sa.DateTime(timezone=True), nullable=True))
    batch_op.add_column(sa.Column('void_reason', sa.String(length=200), nullable=True))
    batch_op.add_column(sa.Column('voided_by_id', sa.Integer(), nullable=True))
    batch_op.create_foreign_key(
        op.f(f'fk_{table}_voided_by_id_users'), 'users', ['voided_by_id'], ['id']
    )
    batch_op.create_check_constraint(op.f(f'ck_{table}_void_complete'), VOID_COMPLETE)


def _live_indexes(batch_op, indexes: dict) -> None:
    for name, columns in indexes.items():
        batch_op.drop_index(name)
        batch_op.create_index(name, [*columns, 'voided_at'], unique=False, **LIVE)


def _all_rows_indexes(batch_op, indexes: dict) -> None:
    for name, columns in indexes.items():
        batch_op.drop_index(name, **LIVE)
        batch_op.create_index(name, columns, unique=False)


def upgrade():
    with op.batch_alter_table('organisations', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('correction_days', sa.Integer(), server_default='7', nullable=False)
        )
        batch_op.create_check_constraint(
            op.f('ck_organisations_correction_days_range'), 'correction_days BETWEEN 0 AND 365'
        )

    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.alter_column(
            'detail',
            existing_type=sa.String(length=255),
            type_=sa.String(length=1000),
            existing_nullable=True,
        )
        batch_op.drop_constraint(op.f('ck_audit_events_action_known'), type_='check')
        batch_op.create_check_constraint(
            op.f('ck_audit_events_action_known'), f'action IN ({NEW_ACTIONS})'
        )

    with op.batch_alter_table('handouts', schema=None) as batch_op:
        _void_columns(batch_op, 'handouts')
        batch_op.add_column(sa.Column('replaced_by_id', sa.Integer(), nullable=True))
        batch_op.create_unique_constraint(op.f('uq_handouts_replaced_by_id'), ['replaced_by_id'])
        batch_op.create_foreign_key(
            op.f('fk_handouts_replaced_by_id_handouts'), 'handouts', ['replaced_by_id'], ['id']
        )
        batch_op.create_check_constraint(
            op.f('ck_handouts_replaced_is_void'), 'replaced_by_id IS NULL OR voided_at IS NOT NULL'
        )
        _live_indexes(batch_op, HANDOUT_INDEXES)

    with op.batch_alter_table('outreach_contacts', schema=None) as batch_op:
        _void_columns(batch_op, 'outreach_contacts')
        _live_indexes(batch_op, CONTACT_INDEXES)

    with op.batch_alter_table('overdose_reports', schema=None) as batch_op:
        _void_columns(batch_op, 'overdose_reports')


def downgrade():
    for table in ('overdose_reports', 'outreach_contacts', 'handouts'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            if table == 'outreach_contacts':
                _all_rows_indexes(batch_op, CONTACT_INDEXES)
            if table == 'handouts':
                _all_rows_indexes(batch_op, HANDOUT_INDEXES)
                batch_op.drop_constraint(op.f('ck_handouts_replaced_is_void'), type_='check')
                batch_op.drop_constraint(
                    op.f('fk_handouts_replaced_by_id_handouts'), type_='foreignkey'
                )
                batch_op.drop_constraint(op.f('uq_handouts_replaced_by_id'), type_='unique')
                batch_op.drop_column('replaced_by_id')
            batch_op.drop_constraint(op.f(f'ck_{table}_void_complete'), type_='check')
            batch_op.drop_constraint(op.f(f'fk_{table}_voided_by_id_users'), type_='foreignkey')
            batch_op.drop_column('voided_by_id')
            batch_op.drop_column('void_reason')
            batch_op.drop_column('voided_at')

    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_audit_events_action_known'), type_='check')
        batch_op.create_check_constraint(
            op.f('ck_audit_events_action_known'), f'action IN ({OLD_ACTIONS})'
        )
        batch_op.alter_column(
            'detail',
            existing_type=sa.String(length=1000),
            type_=sa.String(length=255),
            existing_nullable=True,
        )

    with op.batch_alter_table('organisations', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_organisations_correction_days_range'), type_='check')
        batch_op.drop_column('correction_days')
