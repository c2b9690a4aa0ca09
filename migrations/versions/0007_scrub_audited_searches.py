"""scrub audited searches: a staff export's search text (a name, an email, a phone number) no
longer stays in the audit log; events from now on keep the matching account ids instead

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02 00:10:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None

events = sa.table('audit_events', sa.column('id', sa.Integer), sa.column('action', sa.String),
                  sa.column('details', sa.JSON))


def upgrade():
    connection = op.get_bind()
    rows = connection.execute(sa.select(events.c.id, events.c.details)
                              .where(events.c.action == 'members.exported')).all()
    for event_id, details in rows:
        filters = dict((details or {}).get('filters') or {})
        if 'q' not in filters:
            continue
        del filters['q']
        filters['q_removed'] = True  # what was searched for is not kept
        connection.execute(events.update().where(events.c.id == event_id)
                           .values(details={**details, 'filters': filters}))


def downgrade():
    pass  # the text is gone for good
