"""department officers sign in: people and codes name a department instead of a USCC

Revision ID: 0008
Revises: 0007
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0008'
down_revision: str | None = '0007'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('people', schema=None) as batch_op:
        batch_op.add_column(sa.Column('department', sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column('scopes', sa.String(length=500), nullable=True))
        batch_op.alter_column('uscc', existing_type=sa.String(length=18), nullable=True)
    with op.batch_alter_table('authorization_codes', schema=None) as batch_op:
        batch_op.add_column(sa.Column('department', sa.String(length=20), nullable=True))
        batch_op.alter_column('uscc', existing_type=sa.String(length=18), nullable=True)


def downgrade() -> None:
    with op.batch_alter_table('authorization_codes', schema=None) as batch_op:
        batch_op.alter_column('uscc', existing_type=sa.String(length=18), nullable=False)
        batch_op.drop_column('department')
    with op.batch_alter_table('people', schema=None) as batch_op:
        batch_op.alter_column('uscc', existing_type=sa.String(length=18), nullable=False)
        batch_op.drop_column('scopes')
        batch_op.drop_column('department')
