"""enterprises' unemployment insurance (HRSS): what the job-retention refund reads

Revision ID: 0009
Revises: 0008
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "unemployment_insurance_records",
        sa.Column("uscc", sa.String(length=18), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("months_paid", sa.Integer(), nullable=False),
        sa.Column("paid_fen", sa.BigInteger(), nullable=False),
        sa.Column("average_insured", sa.Integer(), nullable=False),
        sa.Column("new_claimants", sa.Integer(), nullable=False),
        sa.Column("size_class", sa.String(length=6), nullable=False),
        sa.Column("department", sa.String(length=20), nullable=True),
        sa.Column("record_id", sa.String(length=64), nullable=True),
        sa.Column("as_of", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(
            ["uscc"],
            ["enterprises.uscc"],
            name=op.f("fk_unemployment_insurance_records_uscc_enterprises"),
        ),
        sa.PrimaryKeyConstraint("uscc", name=op.f("pk_unemployment_insurance_records")),
    )


def downgrade() -> None:
    op.drop_table("unemployment_insurance_records")
