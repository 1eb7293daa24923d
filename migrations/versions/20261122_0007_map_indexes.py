"""map indexes: covering indexes for the map's grid cells

The map groups a year of handouts and contacts into grid cells by floor(latitude / size) and
floor(longitude / size); with these the query reads only the index (bench/map_bench.py on
1,000,000 handouts, SQLite: handout cells for the whole country over a year 2.1 s -> 1.06 s,
the whole page 761 ms). The org-first covering indexes also carry the point, because a viewer's
query names its organisations (org_id IN ...) and SQLite then prefers the org-first index: without
latitude/longitude in it every row was a table lookup (1,237 ms -> 575 ms for a year of handouts).

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-22 17:05:00

"""
from alembic import op

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


REPORT_COLUMNS = [
    'kind', 'product_id', 'setting', 'supply', 'repeat_reason', 'recipient_type',
    'training_given', 'quantity', 'people_trained', 'site_id',
]


def upgrade():
    with op.batch_alter_table('handouts', schema=None) as batch_op:
        batch_op.drop_index('ix_handouts_org_occurred_cover')
        batch_op.create_index(
            'ix_handouts_org_occurred_cover',
            ['org_id', 'occurred_at', *REPORT_COLUMNS, 'latitude', 'longitude'],
            unique=False,
        )
        batch_op.create_index(
            'ix_handouts_map_cover',
            ['occurred_at', 'org_id', 'latitude', 'longitude', 'quantity', 'product_id', 'setting'],
            unique=False,
        )
    with op.batch_alter_table('outreach_contacts', schema=None) as batch_op:
        batch_op.drop_index('ix_outreach_contacts_org_occurred')
        batch_op.create_index(
            'ix_outreach_contacts_org_occurred_cover',
            ['org_id', 'occurred_at', 'latitude', 'longitude', 'setting', 'people_count'],
            unique=False,
        )
        batch_op.create_index(
            'ix_outreach_contacts_map_cover',
            ['occurred_at', 'org_id', 'latitude', 'longitude', 'setting'],
            unique=False,
        )


def downgrade():
    with op.batch_alter_table('outreach_contacts', schema=None) as batch_op:
        batch_op.drop_index('ix_outreach_contacts_map_cover')
        batch_op.drop_index('ix_outreach_contacts_org_occurred_cover')
        batch_op.create_index('ix_outreach_contacts_org_occurred', ['org_id', 'occurred_at'],
                              unique=False)
    with op.batch_alter_table('handouts', schema=None) as batch_op:
        batch_op.drop_index('ix_handouts_map_cover')
        batch_op.drop_index('ix_handouts_org_occurred_cover')
        batch_op.create_index('ix_handouts_org_occurred_cover',
                              ['org_id', 'occurred_at', *REPORT_COLUMNS], unique=False)
