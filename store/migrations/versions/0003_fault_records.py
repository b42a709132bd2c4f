"""What faults leave behind: why a story could not be tagged, and which process records a run.

- story.tag_error: "reason: detail" when the tagger named in story.tagger_version could not tag
  the story (too long, or the tagger raised on it); the story is skipped until the tagger changes.
- crawlrun.host and crawlrun.pid: the process that records the run, so that a run left `running`
  by a killed process can be closed as `interrupted` by the next start on that host.

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Adds each column unless present (a store whose history was lost may have them already)."""
    inspector = sa.inspect(op.get_bind())
    for table, column in (("story", sa.Column("tag_error", sa.String(), nullable=True)),
                          ("crawlrun", sa.Column("host", sa.String(), nullable=True)),
                          ("crawlrun", sa.Column("pid", sa.Integer(), nullable=True))):
        if column.name not in {c["name"] for c in inspector.get_columns(table)}:
            op.add_column(table, column)


def downgrade() -> None:
    with op.batch_alter_table("crawlrun") as batch:
        batch.drop_column("pid")
        batch.drop_column("host")
    with op.batch_alter_table("story") as batch:
        batch.drop_column("tag_error")
