"""posts: council discussions (posts and replies, their earlier texts), members' reports,
moderation decisions, appeals and suspensions from posting; councils can be pre-moderated

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-02 04:52:17

"""
from alembic import op
import sqlalchemy as sa

import portal.database


# revision identifiers, used by Alembic.
revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('posting_suspensions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('council_id', sa.Integer(), nullable=True),
    sa.Column('until', portal.database.UTCDateTime(timezone=True), nullable=False),
    sa.Column('reason', sa.String(length=500), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', portal.database.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['council_id'], ['councils.id'], name=op.f('fk_posting_suspensions_council_id_councils'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_posting_suspensions_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_posting_suspensions_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_posting_suspensions'))
    )
    with op.batch_alter_table('posting_suspensions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_posting_suspensions_user_id'), ['user_id'], unique=False)

    op.create_table('posts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('council_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('parent_id', sa.Integer(), nullable=True),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('status', sa.Enum('pending', 'published', 'rejected', 'hidden', 'deleted', name='poststatus', native_enum=False, length=16), nullable=False),
    sa.Column('created_at', portal.database.UTCDateTime(timezone=True), nullable=False),
    sa.Column('edited_at', portal.database.UTCDateTime(timezone=True), nullable=True),
    sa.Column('reply_count', sa.Integer(), nullable=False),
    sa.Column('open_reports', sa.Integer(), nullable=False),
    sa.Column('needs_moderation', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_posts_author_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['council_id'], ['councils.id'], name=op.f('fk_posts_council_id_councils'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['parent_id'], ['posts.id'], name=op.f('fk_posts_parent_id_posts'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_posts'))
    )
    with op.batch_alter_table('posts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_posts_author_id'), ['author_id'], unique=False)
        batch_op.create_index('ix_posts_council_threads', ['council_id', 'parent_id', 'id'], unique=False)
        batch_op.create_index('ix_posts_open', ['needs_moderation', 'id'], unique=False)
        batch_op.create_index(batch_op.f('ix_posts_parent_id'), ['parent_id'], unique=False)

    op.create_table('moderation_decisions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('post_id', sa.Integer(), nullable=False),
    sa.Column('moderator_id', sa.Integer(), nullable=True),
    sa.Column('action', sa.Enum('approve', 'reject', 'dismiss', 'hide', 'auto_hidden', 'restore', 'uphold', name='action', native_enum=False, length=16), nullable=False),
    sa.Column('reason', sa.Enum('follows_rules', 'spam', 'abuse', 'misinformation', 'personal_data', 'off_topic', 'other', name='decisionreason', native_enum=False, length=16), nullable=True),
    sa.Column('note', sa.String(length=1000), nullable=False),
    sa.Column('created_at', portal.database.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['moderator_id'], ['users.id'], name=op.f('fk_moderation_decisions_moderator_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['post_id'], ['posts.id'], name=op.f('fk_moderation_decisions_post_id_posts'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_moderation_decisions'))
    )
    with op.batch_alter_table('moderation_decisions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_moderation_decisions_post_id'), ['post_id'], unique=False)

    op.create_table('post_reports',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('post_id', sa.Integer(), nullable=False),
    sa.Column('reporter_id', sa.Integer(), nullable=True),
    sa.Column('reason', sa.Enum('spam', 'abuse', 'misinformation', 'personal_data', 'other', name='reportreason', native_enum=False, length=16), nullable=False),
    sa.Column('text', sa.String(length=500), nullable=False),
    sa.Column('created_at', portal.database.UTCDateTime(timezone=True), nullable=False),
    sa.Column('closed_at', portal.database.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['post_id'], ['posts.id'], name=op.f('fk_post_reports_post_id_posts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['reporter_id'], ['users.id'], name=op.f('fk_post_reports_reporter_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_post_reports')),
    sa.UniqueConstraint('post_id', 'reporter_id', name=op.f('uq_post_reports_post_id'))
    )
    with op.batch_alter_table('post_reports', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_post_reports_post_id'), ['post_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_post_reports_reporter_id'), ['reporter_id'], unique=False)

    op.create_table('post_revisions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('post_id', sa.Integer(), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('created_at', portal.database.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['post_id'], ['posts.id'], name=op.f('fk_post_revisions_post_id_posts'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_post_revisions'))
    )
    with op.batch_alter_table('post_revisions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_post_revisions_post_id'), ['post_id'], unique=False)

    op.create_table('appeals',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('decision_id', sa.Integer(), nullable=False),
    sa.Column('post_id', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('created_at', portal.database.UTCDateTime(timezone=True), nullable=False),
    sa.Column('outcome_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['decision_id'], ['moderation_decisions.id'], name=op.f('fk_appeals_decision_id_moderation_decisions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['outcome_id'], ['moderation_decisions.id'], name=op.f('fk_appeals_outcome_id_moderation_decisions'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['post_id'], ['posts.id'], name=op.f('fk_appeals_post_id_posts'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_appeals')),
    sa.UniqueConstraint('decision_id', name=op.f('uq_appeals_decision_id'))
    )
    with op.batch_alter_table('appeals', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_appeals_post_id'), ['post_id'], unique=False)

    with op.batch_alter_table('councils', schema=None) as batch_op:
        batch_op.add_column(sa.Column('posts_premoderated', sa.Boolean(), server_default=sa.false(), nullable=False))



def downgrade():
    with op.batch_alter_table('councils', schema=None) as batch_op:
        batch_op.drop_column('posts_premoderated')

    with op.batch_alter_table('appeals', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_appeals_post_id'))

    op.drop_table('appeals')
    with op.batch_alter_table('post_revisions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_post_revisions_post_id'))

    op.drop_table('post_revisions')
    with op.batch_alter_table('post_reports', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_post_reports_reporter_id'))
        batch_op.drop_index(batch_op.f('ix_post_reports_post_id'))

    op.drop_table('post_reports')
    with op.batch_alter_table('moderation_decisions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_moderation_decisions_post_id'))

    op.drop_table('moderation_decisions')
    with op.batch_alter_table('posts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_posts_parent_id'))
        batch_op.drop_index('ix_posts_open')
        batch_op.drop_index('ix_posts_council_threads')
        batch_op.drop_index(batch_op.f('ix_posts_author_id'))

    op.drop_table('posts')
    with op.batch_alter_table('posting_suspensions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_posting_suspensions_user_id'))

    op.drop_table('posting_suspensions')
