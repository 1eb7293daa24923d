"""two-step verification, and login throttling instead of lockout

users.totp_secret (the TOTP secret, sealed with a key derived from SECRET_KEY), users.totp_last_step
(the last accepted time step, so a code is never accepted twice) and users.recovery_codes (keyed
hashes of unused single-use recovery codes); organisations.mfa_required (coordinators, stock
managers and administrators of the organisation must use two-step verification).

login_failures goes: five wrong passwords locked an account for anyone who typed them. Logins are
now slowed, per account and address and per address, by the shared counters of throttle_counts
(outreach/auth/throttles.py), which never keep the real user out for more than a few minutes.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-03 12:50:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('totp_secret', sa.String(length=255), nullable=True))
        batch_op.add_column(sa.Column('totp_last_step', sa.BigInteger(), nullable=True))
        batch_op.add_column(sa.Column('recovery_codes', sa.Text(), nullable=True))
    with op.batch_alter_table('organisations', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('mfa_required', sa.Boolean(), server_default=sa.false(), nullable=False)
        )
    op.drop_table('login_failures')


def downgrade():
    op.create_table(
        'login_failures',
        sa.Column('username', sa.String(length=64), nullable=False),
        sa.Column('failures', sa.Integer(), nullable=False),
        sa.Column('first_failure_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('locked_until', sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint('username', name=op.f('pk_login_failures')),
    )
    with op.batch_alter_table('organisations', schema=None) as batch_op:
        batch_op.drop_column('mfa_required')
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('recovery_codes')
        batch_op.drop_column('totp_last_step')
        batch_op.drop_column('totp_secret')
