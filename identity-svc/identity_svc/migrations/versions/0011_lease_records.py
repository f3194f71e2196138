"""lease records: housing's registered leases of business premises

Revision ID: 0011
Revises: 0010
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0011'
down_revision: str | None = '0010'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "lease_records",
        sa.Column("uscc", sa.String(length=18), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("rent_paid_fen", sa.BigInteger(), nullable=False),
        sa.Column("area_m2", sa.Integer(), nullable=False),
        sa.Column("incubation_base", sa.String(length=100), nullable=True),
        sa.Column("department", sa.String(length=20), nullable=True),
        sa.Column("record_id", sa.String(length=64), nullable=True),
        sa.Column("as_of", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(
            ["uscc"], ["enterprises.uscc"], name=op.f("fk_lease_records_uscc_enterprises")
        ),
        sa.PrimaryKeyConstraint("uscc", name=op.f("pk_lease_records")),
    )


def downgrade() -> None:
    op.drop_table("lease_records")
