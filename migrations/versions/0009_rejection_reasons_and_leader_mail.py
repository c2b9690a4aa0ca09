"""rejection reasons as codes, and when a council's leaders were last told that requests wait

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-03 00:00:00

"""
from alembic import op
import sqlalchemy as sa

import portal.database


revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('councils', schema=None) as batch_op:
        batch_op.add_column(sa.Column('leaders_told_at',
                                      portal.database.UTCDateTime(timezone=True), nullable=True))
    with op.batch_alter_table('memberships', schema=None) as batch_op:
        # Rejections decided before this have no code: their note (`reason`) stays as written.
        batch_op.add_column(sa.Column('reason_code', sa.Enum(
            'not_local', 'duplicate', 'unconfirmed', 'asked_to_leave', 'other',
            name='rejectionreason', native_enum=False, length=16), nullable=True))


def downgrade():
    with op.batch_alter_table('memberships', schema=None) as batch_op:
        batch_op.drop_column('reason_code')
    with op.batch_alter_table('councils', schema=None) as batch_op:
        batch_op.drop_column('leaders_told_at')
