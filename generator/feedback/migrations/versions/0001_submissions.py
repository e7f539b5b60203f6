"""The submissions table, as the service has always made it.

A SQLite database made before migrations existed already has this table (and no
``alembic_version``): it is kept as it is, rows and all, and marked as at this revision.

Revision ID: 0001
Revises:
Create Date: 2026-11-30
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    if sa.inspect(op.get_bind()).has_table("submissions"):
        return
    op.create_table(
        "submissions",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("submission_id", sa.Text(), nullable=True, unique=True),
        sa.Column("briefing", sa.Text(), nullable=False),
        sa.Column("received_at", sa.Text(), nullable=False),
        sa.Column("answers", sa.Text(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("submissions")
