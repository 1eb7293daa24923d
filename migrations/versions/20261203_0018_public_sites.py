"""public sites: what an organisation tells the public about a site

sites.public (default false: no site is shown until its administrator says so), address,
opening_hours (per day, as outreach/orgs/hours.py keeps them: "mon=09:00-17:00;sat=10:00-13:00"),
hours_note, languages (ISO 639 codes, comma-separated), accessibility, and what it offers:
offers_nasal, offers_injectable, offers_training (default false). The public page "Where to get
naloxone" (outreach/public, docs/public.md) lists the active public sites of active
organisations with these facts and nothing else.

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-03 22:30:00

"""

from alembic import op
import sqlalchemy as sa

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None

FLAGS = ("public", "offers_nasal", "offers_injectable", "offers_training")
TEXTS = (
    ("address", 200),
    ("opening_hours", 300),
    ("hours_note", 200),
    ("languages", 200),
    ("accessibility", 300),
)


def upgrade():
    with op.batch_alter_table("sites", schema=None) as batch_op:
        for name in FLAGS:
            batch_op.add_column(
                sa.Column(name, sa.Boolean(), server_default=sa.false(), nullable=False)
            )
        for name, length in TEXTS:
            batch_op.add_column(sa.Column(name, sa.String(length=length), nullable=True))


def downgrade():
    with op.batch_alter_table("sites", schema=None) as batch_op:
        for name, _length in reversed(TEXTS):
            batch_op.drop_column(name)
        for name in reversed(FLAGS):
            batch_op.drop_column(name)
