"""A resend key for submissions sent without a submission id (forms posted without JavaScript).

Unique, so two service processes storing the same resent form at once store it once.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-30
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("submissions", sa.Column("resend_key", sa.Text(), nullable=True))
    op.create_index("submissions_resend_key", "submissions", ["resend_key"], unique=True)


def downgrade() -> None:
    op.drop_index("submissions_resend_key", table_name="submissions")
    op.drop_column("submissions", "resend_key")
