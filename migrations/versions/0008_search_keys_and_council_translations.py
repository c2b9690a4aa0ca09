"""search keys, council names in every language, display time zones, one "no answer" for the
residence status

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02 00:30:00

"""
from alembic import op
import sqlalchemy as sa

from portal.councils.services import place_key
from portal.members.models import phone_digits
from portal.search import joined_key, search_key


revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None

councils = sa.table('councils', sa.column('id', sa.Integer), sa.column('name', sa.String),
                    sa.column('city', sa.String), sa.column('country', sa.String),
                    sa.column('search_key', sa.Text))
users = sa.table('users', sa.column('id', sa.Integer), sa.column('display_name', sa.String),
                 sa.column('email', sa.String), sa.column('search_key', sa.String))
profiles = sa.table('profiles', sa.column('user_id', sa.Integer), sa.column('city', sa.String),
                    sa.column('phone', sa.String), sa.column('city_key', sa.String),
                    sa.column('phone_key', sa.String),
                    sa.column('residence_status', sa.String))


def upgrade():
    op.create_table(
        'council_translations',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('council_id', sa.Integer(), nullable=False),
        sa.Column('locale', sa.String(length=8), nullable=False),
        sa.Column('name', sa.String(length=120), nullable=True),
        sa.Column('city', sa.String(length=80), nullable=True),
        sa.Column('description', sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(['council_id'], ['councils.id'],
                                name=op.f('fk_council_translations_council_id_councils'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_council_translations')),
        sa.UniqueConstraint('council_id', 'locale',
                            name=op.f('uq_council_translations_council_id')),
    )
    with op.batch_alter_table('councils', schema=None) as batch_op:
        batch_op.add_column(sa.Column('default_locale', sa.String(length=8), nullable=False,
                                      server_default='en'))
        batch_op.add_column(sa.Column('search_key', sa.Text(), nullable=False,
                                      server_default=''))
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('time_zone', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('search_key', sa.String(length=400), nullable=False,
                                      server_default=''))
    with op.batch_alter_table('profiles', schema=None) as batch_op:
        batch_op.add_column(sa.Column('city_key', sa.String(length=80), nullable=False,
                                      server_default=''))
        batch_op.add_column(sa.Column('phone_key', sa.String(length=32), nullable=False,
                                      server_default=''))
    _fill_search_keys()
    # "No answer" and "I prefer not to say" meant the same: one choice (no value) remains.
    op.execute(profiles.update().where(profiles.c.residence_status == 'prefer_not_to_say')
               .values(residence_status=None))


def _fill_search_keys():
    connection = op.get_bind()
    for row in connection.execute(sa.select(councils)).all():
        connection.execute(councils.update().where(councils.c.id == row.id).values(
            search_key=place_key(row.country, row.name, row.city)))
    for row in connection.execute(sa.select(users)).all():
        connection.execute(users.update().where(users.c.id == row.id).values(
            search_key=joined_key(row.display_name, row.email)))
    for row in connection.execute(sa.select(profiles)).all():
        connection.execute(profiles.update().where(profiles.c.user_id == row.user_id).values(
            city_key=search_key(row.city), phone_key=phone_digits(row.phone)))


def downgrade():
    with op.batch_alter_table('profiles', schema=None) as batch_op:
        batch_op.drop_column('phone_key')
        batch_op.drop_column('city_key')
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('search_key')
        batch_op.drop_column('time_zone')
    with op.batch_alter_table('councils', schema=None) as batch_op:
        batch_op.drop_column('search_key')
        batch_op.drop_column('default_locale')
    op.drop_table('council_translations')
