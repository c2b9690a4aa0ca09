"""figures_stamp: a round's dashboard is kept rendered until what it shows changes

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-02 09:40:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0017'
down_revision = '0016'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('needs_rounds', schema=None) as batch_op:
        batch_op.add_column(sa.Column('figures_stamp', sa.String(length=16), server_default='',
                                      nullable=False))


def downgrade():
    with op.batch_alter_table('needs_rounds', schema=None) as batch_op:
        batch_op.drop_column('figures_stamp')
