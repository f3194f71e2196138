"""enterprises' requests to departments (direct interaction)

Revision ID: 0010
Revises: 0009
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0010'
down_revision: str | None = '0009'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('interaction_requests',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('uscc', sa.String(length=18), nullable=False),
    sa.Column('client_id', sa.String(length=100), nullable=False),
    sa.Column('topic', sa.String(length=40), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('links', sa.JSON(), nullable=False),
    sa.Column('application', sa.JSON(), nullable=True),
    sa.Column('department_code', sa.String(length=20), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('round', sa.Integer(), nullable=False),
    sa.Column('submitted_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('acknowledge_by', sa.DateTime(timezone=True), nullable=True),
    sa.Column('answer_by', sa.DateTime(timezone=True), nullable=True),
    sa.Column('first_answered_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('first_answer_in_time', sa.Boolean(), nullable=True),
    sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('escalated', sa.Boolean(), nullable=False),
    sa.Column('late', sa.Boolean(), nullable=False),
    sa.Column('rating', sa.Integer(), nullable=True),
    sa.Column('outcome', sa.String(length=10), nullable=True),
    sa.Column('steps', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_interaction_requests'))
    )
    with op.batch_alter_table('interaction_requests', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_interaction_requests_department_code'), ['department_code'], unique=False)
        batch_op.create_index(batch_op.f('ix_interaction_requests_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_interaction_requests_uscc'), ['uscc'], unique=False)

    op.create_table('interaction_steps',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('request_id', sa.String(length=36), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('action', sa.String(length=30), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('actor', sa.String(length=100), nullable=False),
    sa.Column('department_code', sa.String(length=20), nullable=False),
    sa.Column('to_department', sa.String(length=20), nullable=True),
    sa.Column('text', sa.Text(), nullable=True),
    sa.Column('rating', sa.Integer(), nullable=True),
    sa.Column('outcome', sa.String(length=10), nullable=True),
    sa.Column('escalated_to', sa.JSON(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_interaction_steps')),
    sa.UniqueConstraint('request_id', 'seq', name=op.f('uq_interaction_steps_request_id_seq'))
    )
    with op.batch_alter_table('interaction_steps', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_interaction_steps_request_id'), ['request_id'], unique=False)

    topics = op.create_table('request_topics',
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('name_zh', sa.String(length=100), nullable=False),
    sa.Column('department_code', sa.String(length=20), nullable=False),
    sa.Column('acknowledge_days', sa.Integer(), nullable=False),
    sa.Column('answer_days', sa.Integer(), nullable=False),
    sa.Column('needs_application', sa.Boolean(), nullable=False),
    sa.Column('needs_service', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('code', name=op.f('pk_request_topics'))
    )
    # the city's topics and their limits in working days (docs/interaction.md): a
    # request goes to the department of the policy or service it links to, else to
    # the topic's department
    op.bulk_insert(topics, [
        {'code': 'policy-question', 'name': 'A question about a policy',
         'name_zh': '政策咨询', 'department_code': 'HZ-GSA',
         'acknowledge_days': 1, 'answer_days': 5, 'needs_application': False,
         'needs_service': False},
        {'code': 'permit-problem', 'name': 'A problem with a permit or service item',
         'name_zh': '审批办事问题', 'department_code': 'HZ-GSA',
         'acknowledge_days': 1, 'answer_days': 5, 'needs_application': False,
         'needs_service': False},
        {'code': 'decision-complaint', 'name': 'A complaint about a decision',
         'name_zh': '对决定的投诉', 'department_code': 'HZ-GSA',
         'acknowledge_days': 1, 'answer_days': 10, 'needs_application': True,
         'needs_service': False},
        {'code': 'help-request', 'name': 'A need for help',
         'name_zh': '困难帮扶', 'department_code': 'HZ-EIT',
         'acknowledge_days': 1, 'answer_days': 5, 'needs_application': False,
         'needs_service': False},
        # a service item (办事) asked for in any district, decided by the item's
        # department: granted or refused
        {'code': 'service-item', 'name': 'A service item asked for',
         'name_zh': '政务服务事项办理', 'department_code': 'HZ-GSA',
         'acknowledge_days': 1, 'answer_days': 5, 'needs_application': False,
         'needs_service': True},
    ])


def downgrade() -> None:
    op.drop_table('request_topics')
    with op.batch_alter_table('interaction_steps', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_interaction_steps_request_id'))

    op.drop_table('interaction_steps')
    with op.batch_alter_table('interaction_requests', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_interaction_requests_uscc'))
        batch_op.drop_index(batch_op.f('ix_interaction_requests_status'))
        batch_op.drop_index(batch_op.f('ix_interaction_requests_department_code'))

    op.drop_table('interaction_requests')
