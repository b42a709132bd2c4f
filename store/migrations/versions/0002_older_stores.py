"""Stores made by earlier trackwire versions, repaired to behave exactly as new ones.

- SQLite stores made before migrations kept trackwire 0.1's search triggers, which index the
  text unfolded: "Sørensen" and "Łukasz" could not be found. The triggers are replaced and the
  index is rebuilt from folded text (only when the old triggers are found).
- Their indexes on mention.label and mention.name (replaced by ix_mention_label_name) are dropped.
- Adopting them added athlete.aliases with DEFAULT ''; the small athlete table is rebuilt without
  it (store.migrate runs migrations with SQLite's foreign keys off, so no link is touched).
- Stories stored before near-duplicate fingerprints existed have none, and so never clustered:
  they are fingerprinted and every story is clustered again in the order stored.
- APScheduler jobs stored before trackwire's modules moved under `trackwire.` name
  `scheduler:nightly_job`, which no longer imports (APScheduler would drop the job with a
  traceback): they are renamed to `trackwire.scheduler:nightly_job`, keeping their next run time.

Every step finds its own work and does nothing on a store that needs none.

Revision ID: 0002
Revises: 0001
"""

import pickle

import sqlalchemy as sa
from alembic import op

from trackwire.store.dedupe import fingerprint_missing

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

TRIGGERS = ("story_fts_ai", "story_fts_ad", "story_fts_au")
SQLITE_SEARCH = [
    """CREATE VIRTUAL TABLE IF NOT EXISTS story_fts USING fts5(
        title, text, content='story', content_rowid='id',
        tokenize='unicode61 remove_diacritics 2')""",
    """CREATE TRIGGER story_fts_ai AFTER INSERT ON story BEGIN
        INSERT INTO story_fts(rowid, title, text) VALUES (new.id, tw_fold(new.title), tw_fold(new.text));
    END""",
    """CREATE TRIGGER story_fts_ad AFTER DELETE ON story BEGIN
        INSERT INTO story_fts(story_fts, rowid, title, text)
        VALUES ('delete', old.id, tw_fold(old.title), tw_fold(old.text));
    END""",
    """CREATE TRIGGER story_fts_au AFTER UPDATE OF title, text ON story BEGIN
        INSERT INTO story_fts(story_fts, rowid, title, text)
        VALUES ('delete', old.id, tw_fold(old.title), tw_fold(old.text));
        INSERT INTO story_fts(rowid, title, text) VALUES (new.id, tw_fold(new.title), tw_fold(new.text));
    END""",
]
LEFTOVER_INDEXES = ("ix_mention_label", "ix_mention_name")
MOVED_MODULES = ("scheduler",)  # top-level modules of trackwire before f28a5a0, now trackwire.<name>


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        _folded_search(bind)
        for name in LEFTOVER_INDEXES:
            op.execute(f"DROP INDEX IF EXISTS {name}")
        _aliases_without_default(bind)
    fingerprint_missing(bind)
    _carry_jobs_over(bind)


def downgrade() -> None:
    """Nothing to undo: a repaired store is also a valid 0001 store."""


def _folded_search(bind) -> None:
    found = dict(bind.exec_driver_sql(
        "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'story'").all())
    if all("tw_fold(" in (found.get(name) or "") for name in TRIGGERS):
        return
    for name in TRIGGERS:
        op.execute(f"DROP TRIGGER IF EXISTS {name}")
    for ddl in SQLITE_SEARCH:
        op.execute(ddl)
    op.execute("INSERT INTO story_fts(story_fts) VALUES ('delete-all')")
    op.execute("INSERT INTO story_fts(rowid, title, text) SELECT id, tw_fold(title), tw_fold(text) FROM story")


def _aliases_without_default(bind) -> None:
    defaults = {row[1]: row[4] for row in bind.exec_driver_sql('PRAGMA table_info("athlete")')}
    if defaults.get("aliases") is None:
        return
    with op.batch_alter_table("athlete", recreate="always") as batch:
        batch.alter_column("aliases", existing_type=sa.String(), existing_nullable=False, server_default=None)


def _carry_jobs_over(bind) -> None:
    if "scheduler_job" not in sa.inspect(bind).get_table_names():
        return
    for job_id, blob in bind.execute(sa.text("SELECT id, job_state FROM scheduler_job")).all():
        state = pickle.loads(blob)
        ref = state.get("func")
        if isinstance(ref, str) and ref.split(":")[0] in MOVED_MODULES:
            state["func"] = f"trackwire.{ref}"
            bind.execute(sa.text("UPDATE scheduler_job SET job_state = :state WHERE id = :id"),
                         {"state": pickle.dumps(state, pickle.HIGHEST_PROTOCOL), "id": job_id})
