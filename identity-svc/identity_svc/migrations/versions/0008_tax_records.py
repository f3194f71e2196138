"""tax records

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
    op.create_table('tax_records',
    sa.Column('uscc', sa.String(length=18), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('revenue_fen', sa.BigInteger(), nullable=False),
    sa.Column('tax_paid_fen', sa.BigInteger(), nullable=False),
    sa.Column('credit_rating', sa.String(length=1), nullable=False),
    sa.Column('department', sa.String(length=20), nullable=True),
    sa.Column('record_id', sa.String(length=64), nullable=True),
    sa.Column('as_of', sa.Date(), nullable=True),
    sa.ForeignKeyConstraint(['uscc'], ['enterprises.uscc'], name=op.f('fk_tax_records_uscc_enterprises')),
    sa.PrimaryKeyConstraint('uscc', name=op.f('pk_tax_records'))
    )


def downgrade() -> None:
    op.drop_table('tax_records')
