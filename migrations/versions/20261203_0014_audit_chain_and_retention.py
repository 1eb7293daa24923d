"""audit chain and retention: an append-only, hash-chained audit trail; a retention period

audit_events gets seq, prev_hash and row_hash: each new event is sealed with
HMAC(AUDIT_KEY or SECRET_KEY, previous hash + its fields) (outreach/audit/chain.py), and
`flask --app outreach audit-verify` walks the chain. audit_chain_head holds the chain's one row
(last position and hash); every append updates it first, so concurrent appends queue on its lock
and the chain never forks. Events older than this revision stay unsealed (verify counts them).
On PostgreSQL a trigger refuses UPDATE, DELETE and TRUNCATE on audit_events: the trail is
append-only in the database itself. New actions: denied, purge, erase.

organisations.retention_months (default 24, 12..120): person-level details older than that
many whole months are removed by `flask --app outreach retention-purge`.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-03 12:50:00

"""
from alembic import op
import sqlalchemy as sa

revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None

OLD_ACTIONS = (
    "'create', 'update', 'void', 'view', 'login', 'logout', 'login_failed', 'export', 'delete'"
)
NEW_ACTIONS = OLD_ACTIONS + ", 'denied', 'purge', 'erase'"

# Kept here (not imported from the app) so this revision always does what it did.
APPEND_ONLY_FUNCTION = """
CREATE OR REPLACE FUNCTION audit_events_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_events is append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END
$$
"""
APPEND_ONLY_TRIGGERS = (
    "CREATE TRIGGER audit_events_no_change BEFORE UPDATE OR DELETE ON audit_events "
    "FOR EACH ROW EXECUTE FUNCTION audit_events_append_only()",
    "CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events "
    "FOR EACH STATEMENT EXECUTE FUNCTION audit_events_append_only()",
)
DROP_APPEND_ONLY = (
    "DROP TRIGGER IF EXISTS audit_events_no_truncate ON audit_events",
    "DROP TRIGGER IF EXISTS audit_events_no_change ON audit_events",
    "DROP FUNCTION IF EXISTS audit_events_append_only()",
)


def upgrade():
    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.add_column(sa.Column('seq', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('prev_hash', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('row_hash', sa.String(length=64), nullable=True))
        batch_op.create_unique_constraint(op.f('uq_audit_events_seq'), ['seq'])
        batch_op.drop_constraint(op.f('ck_audit_events_action_known'), type_='check')
        batch_op.create_check_constraint(
            op.f('ck_audit_events_action_known'), f'action IN ({NEW_ACTIONS})'
        )
    op.create_table(
        'audit_chain_head',
        sa.Column('id', sa.Integer(), autoincrement=False, nullable=False),
        sa.Column('seq', sa.Integer(), nullable=False),
        sa.Column('last_hash', sa.String(length=64), nullable=False),
        sa.CheckConstraint('id = 1', name=op.f('ck_audit_chain_head_one_row')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_chain_head')),
    )
    with op.batch_alter_table('organisations', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('retention_months', sa.Integer(), server_default='24', nullable=False)
        )
        batch_op.create_check_constraint(
            op.f('ck_organisations_retention_months_range'),
            'retention_months BETWEEN 12 AND 120',
        )
    if op.get_bind().dialect.name == 'postgresql':
        op.execute(APPEND_ONLY_FUNCTION)
        for statement in APPEND_ONLY_TRIGGERS:
            op.execute(statement)


def downgrade():
    if op.get_bind().dialect.name == 'postgresql':
        for statement in DROP_APPEND_ONLY:
            op.execute(statement)
    with op.batch_alter_table('organisations', schema=None) as batch_op:
        batch_op.drop_constraint(
            op.f('ck_organisations_retention_months_range'), type_='check'
        )
        batch_op.drop_column('retention_months')
    op.drop_table('audit_chain_head')
    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_audit_events_action_known'), type_='check')
        batch_op.create_check_constraint(
            op.f('ck_audit_events_action_known'), f'action IN ({OLD_ACTIONS})'
        )
        batch_op.drop_constraint(op.f('uq_audit_events_seq'), type_='unique')
        batch_op.drop_column('row_hash')
        batch_op.drop_column('prev_hash')
        batch_op.drop_column('seq')
