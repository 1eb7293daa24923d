"""throttle counts: one shared counter per rate-limited key

throttle_counts (key primary key, window_start, hits): the hits of one key (an account's failed
logins, an address's, a user's client-code look-ups) in its current fixed window. Kept in the
database so every worker process shares the count (outreach/throttle). Rows are short-lived: a
passed window is replaced at its next hit.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-03 12:45:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'throttle_counts',
        sa.Column('key', sa.String(length=200), nullable=False),
        sa.Column('window_start', sa.DateTime(timezone=True), nullable=False),
        sa.Column('hits', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('key', name=op.f('pk_throttle_counts')),
    )


def downgrade():
    op.drop_table('throttle_counts')
