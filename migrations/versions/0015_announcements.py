"""announcements: texts per language, audiences, revisions and the members each was mailed
to; shared mail bodies and extra headers in the outbox; each member's choice of announcement
mail

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-02 04:25:13

"""
from alembic import op
import sqlalchemy as sa

import portal.database


# revision identifiers, used by Alembic.
revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('mail_contents',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=80), nullable=False),
    sa.Column('body_text', sa.Text(), nullable=False),
    sa.Column('body_html', sa.Text(), nullable=True),
    sa.Column('created_at', portal.database.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mail_contents')),
    sa.UniqueConstraint('key', name=op.f('uq_mail_contents_key'))
    )
    op.create_table('announcements',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('default_locale', sa.String(length=8), nullable=False),
    sa.Column('audience', sa.Enum('all', 'countries', 'councils', name='audience', native_enum=False, length=16), nullable=False),
    sa.Column('pinned', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('publish_at', portal.database.UTCDateTime(timezone=True), nullable=True),
    sa.Column('expires_at', portal.database.UTCDateTime(timezone=True), nullable=True),
    sa.Column('archived_at', portal.database.UTCDateTime(timezone=True), nullable=True),
    sa.Column('awaiting_approval', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('requested_by_id', sa.Integer(), nullable=True),
    sa.Column('approved_by_id', sa.Integer(), nullable=True),
    sa.Column('corrected_at', portal.database.UTCDateTime(timezone=True), nullable=True),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('fanout_pending', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('created_at', portal.database.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', portal.database.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['approved_by_id'], ['users.id'], name=op.f('fk_announcements_approved_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_announcements_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['requested_by_id'], ['users.id'], name=op.f('fk_announcements_requested_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_announcements'))
    )
    with op.batch_alter_table('announcements', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_announcements_created_by_id'), ['created_by_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_announcements_fanout_pending'), ['fanout_pending'], unique=False)
        batch_op.create_index('ix_announcements_listing', ['pinned', 'publish_at', 'id'], unique=False)

    op.create_table('announcement_councils',
    sa.Column('announcement_id', sa.Integer(), nullable=False),
    sa.Column('council_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['announcement_id'], ['announcements.id'], name=op.f('fk_announcement_councils_announcement_id_announcements'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['council_id'], ['councils.id'], name=op.f('fk_announcement_councils_council_id_councils'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('announcement_id', 'council_id', name=op.f('pk_announcement_councils'))
    )
    with op.batch_alter_table('announcement_councils', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_announcement_councils_council_id'), ['council_id'], unique=False)

    op.create_table('announcement_countries',
    sa.Column('announcement_id', sa.Integer(), nullable=False),
    sa.Column('country', sa.String(length=2), nullable=False),
    sa.ForeignKeyConstraint(['announcement_id'], ['announcements.id'], name=op.f('fk_announcement_countries_announcement_id_announcements'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('announcement_id', 'country', name=op.f('pk_announcement_countries'))
    )
    with op.batch_alter_table('announcement_countries', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_announcement_countries_country'), ['country'], unique=False)

    op.create_table('announcement_recipients',
    sa.Column('announcement_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['announcement_id'], ['announcements.id'], name=op.f('fk_announcement_recipients_announcement_id_announcements'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_announcement_recipients_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('announcement_id', 'user_id', name=op.f('pk_announcement_recipients'))
    )
    with op.batch_alter_table('announcement_recipients', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_announcement_recipients_user_id'), ['user_id'], unique=False)

    op.create_table('announcement_revisions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('announcement_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('edited_at', portal.database.UTCDateTime(timezone=True), nullable=False),
    sa.Column('edited_by_id', sa.Integer(), nullable=True),
    sa.Column('content', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['announcement_id'], ['announcements.id'], name=op.f('fk_announcement_revisions_announcement_id_announcements'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['edited_by_id'], ['users.id'], name=op.f('fk_announcement_revisions_edited_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_announcement_revisions'))
    )
    with op.batch_alter_table('announcement_revisions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_announcement_revisions_announcement_id'), ['announcement_id'], unique=False)

    op.create_table('announcement_texts',
    sa.Column('announcement_id', sa.Integer(), nullable=False),
    sa.Column('locale', sa.String(length=8), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('body_markdown', sa.Text(), nullable=False),
    sa.Column('body_html', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['announcement_id'], ['announcements.id'], name=op.f('fk_announcement_texts_announcement_id_announcements'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('announcement_id', 'locale', name=op.f('pk_announcement_texts'))
    )
    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.add_column(sa.Column('body_html', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('content_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('headers', sa.JSON(), nullable=True))
        batch_op.alter_column('body_text',
               existing_type=sa.TEXT(),
               nullable=True)
        batch_op.create_index(batch_op.f('ix_outbox_messages_content_id'), ['content_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_outbox_messages_content_id_mail_contents'), 'mail_contents', ['content_id'], ['id'], ondelete='CASCADE')

    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('announcement_mail', sa.Boolean(), server_default=sa.true(), nullable=False))
        batch_op.add_column(sa.Column('announcements_seen_at', portal.database.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('unsubscribe_version', sa.Integer(), server_default=sa.text('1'), nullable=False))



def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('unsubscribe_version')
        batch_op.drop_column('announcements_seen_at')
        batch_op.drop_column('announcement_mail')

    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_outbox_messages_content_id_mail_contents'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_outbox_messages_content_id'))
        batch_op.alter_column('body_text',
               existing_type=sa.TEXT(),
               nullable=False)
        batch_op.drop_column('headers')
        batch_op.drop_column('content_id')
        batch_op.drop_column('body_html')

    op.drop_table('announcement_texts')
    with op.batch_alter_table('announcement_revisions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_announcement_revisions_announcement_id'))

    op.drop_table('announcement_revisions')
    with op.batch_alter_table('announcement_recipients', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_announcement_recipients_user_id'))

    op.drop_table('announcement_recipients')
    with op.batch_alter_table('announcement_countries', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_announcement_countries_country'))

    op.drop_table('announcement_countries')
    with op.batch_alter_table('announcement_councils', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_announcement_councils_council_id'))

    op.drop_table('announcement_councils')
    with op.batch_alter_table('announcements', schema=None) as batch_op:
        batch_op.drop_index('ix_announcements_listing')
        batch_op.drop_index(batch_op.f('ix_announcements_fanout_pending'))
        batch_op.drop_index(batch_op.f('ix_announcements_created_by_id'))

    op.drop_table('announcements')
    op.drop_table('mail_contents')
