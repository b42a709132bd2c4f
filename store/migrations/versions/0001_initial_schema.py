"""Initial schema: every table of trackwire 0.1 plus the tagging-queue columns, and full-text search.

The search DDL below is written by hand (autogenerate cannot see it):
- SQLite: an FTS5 table over a folded copy of title and text, kept in sync by
  triggers; `tw_fold` is a function store.db registers on every connection.
- PostgreSQL: `unaccent` and `pg_trgm` (in schema public unless already
  installed elsewhere), an IMMUTABLE `tw_unaccent` wrapper, a generated
  `search_vector` column (title weight A, body weight B) with a GIN index, and
  a trigram index on athlete names for fuzzy look-up.

Revision ID: 0001
Revises: 
Created: 2026-11-24 17:31:57.174417
"""

from alembic import op
import sqlalchemy as sa


revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


SQLITE_SEARCH = [
    """CREATE VIRTUAL TABLE IF NOT EXISTS story_fts USING fts5(
        title, text, content='story', content_rowid='id',
        tokenize='unicode61 remove_diacritics 2')""",
    """CREATE TRIGGER IF NOT EXISTS story_fts_ai AFTER INSERT ON story BEGIN
        INSERT INTO story_fts(rowid, title, text) VALUES (new.id, tw_fold(new.title), tw_fold(new.text));
    END""",
    """CREATE TRIGGER IF NOT EXISTS story_fts_ad AFTER DELETE ON story BEGIN
        INSERT INTO story_fts(story_fts, rowid, title, text)
        VALUES ('delete', old.id, tw_fold(old.title), tw_fold(old.text));
    END""",
    """CREATE TRIGGER IF NOT EXISTS story_fts_au AFTER UPDATE OF title, text ON story BEGIN
        INSERT INTO story_fts(story_fts, rowid, title, text)
        VALUES ('delete', old.id, tw_fold(old.title), tw_fold(old.text));
        INSERT INTO story_fts(rowid, title, text) VALUES (new.id, tw_fold(new.title), tw_fold(new.text));
    END""",
]


def _postgres_search() -> None:
    bind = op.get_bind()
    schemas = {}
    for extension in ("unaccent", "pg_trgm"):
        op.execute(f"CREATE EXTENSION IF NOT EXISTS {extension} SCHEMA public")
        schemas[extension] = bind.exec_driver_sql(
            "SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace "
            f"WHERE e.extname = '{extension}'").scalar_one()
    unaccent = schemas["unaccent"]
    # unaccent() is only STABLE (its dictionary could change); a generated column needs IMMUTABLE
    op.execute(f"""CREATE OR REPLACE FUNCTION tw_unaccent(text) RETURNS text
        LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
        AS $$ SELECT {unaccent}.unaccent('{unaccent}.unaccent'::regdictionary, $1) $$""")
    op.execute("""ALTER TABLE story ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('simple'::regconfig, tw_unaccent(title)), 'A') ||
        setweight(to_tsvector('simple'::regconfig, tw_unaccent(text)), 'B')) STORED""")
    op.execute("CREATE INDEX ix_story_search ON story USING gin (search_vector)")
    op.execute(f"CREATE INDEX ix_athlete_fold_trgm ON athlete USING gin (fold {schemas['pg_trgm']}.gin_trgm_ops)")


def _fetchstate() -> None:
    op.create_table('fetchstate',
    sa.Column('url', sa.String(), nullable=False),
    sa.Column('etag', sa.String(), nullable=True),
    sa.Column('last_modified', sa.String(), nullable=True),
    sa.Column('fetched_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('url')
    )


def _storyband() -> None:
    op.create_table('storyband',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('story_id', sa.Integer(), nullable=False),
    sa.Column('band', sa.Integer(), nullable=False),
    sa.Column('value', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['story_id'], ['story.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('storyband', schema=None) as batch_op:
        batch_op.create_index('ix_storyband_band_value', ['band', 'value'], unique=False)
        batch_op.create_index(batch_op.f('ix_storyband_story_id'), ['story_id'], unique=False)


# What this revision's tables have that a store made before migrations (trackwire 0.1, SQLite) may
# lack, added since the first commit: athlete aliases, near-duplicate fingerprints and clusters, the
# tagging queue. Its leftovers (old search triggers, old indexes, stories without fingerprints) are
# repaired by 0002, which also repairs stores adopted by earlier trackwire versions.
def _legacy_columns() -> dict[str, list[sa.Column]]:
    return {
        "athlete": [sa.Column("aliases", sa.String(), nullable=False, server_default="")],
        "story": [sa.Column("simhash", sa.BigInteger(), nullable=True),
                  sa.Column("cluster_id", sa.Integer(), nullable=True),
                  sa.Column("claimed_by", sa.String(), nullable=True),
                  sa.Column("claimed_until", sa.DateTime(), nullable=True),
                  sa.Column("tagged_by", sa.String(), nullable=True)],
    }


# Every index of this revision outside storyband (made with its table), for stores that lack any.
INDEXES = [("ix_athlete_fold", "athlete", ["fold"], False), ("ix_source_name", "source", ["name"], True),
           ("ix_story_cluster_id", "story", ["cluster_id"], False),
           ("ix_story_content_hash", "story", ["content_hash"], False), ("ix_story_key", "story", ["key"], True),
           ("ix_story_published_at", "story", ["published_at"], False), ("ix_story_source", "story", ["source"], False),
           ("ix_story_tagged_at", "story", ["tagged_at"], False), ("ix_story_url", "story", ["url"], False),
           ("ix_mark_story_id", "mark", ["story_id"], False),
           ("ix_mention_athlete_id", "mention", ["athlete_id"], False),
           ("ix_mention_label_name", "mention", ["label", "name"], False),
           ("ix_mention_story_id", "mention", ["story_id"], False),
           ("ix_performance_athlete_id", "performance", ["athlete_id"], False),
           ("ix_performance_event", "performance", ["event"], False),
           ("ix_performance_story_id", "performance", ["story_id"], False),
           ("ix_quote_athlete_id", "quote", ["athlete_id"], False), ("ix_quote_story_id", "quote", ["story_id"], False)]


def _from_before_migrations() -> None:
    """Bring a store made before migrations to this revision's tables (SQLite only)."""
    inspector = sa.inspect(op.get_bind())
    for table, columns in _legacy_columns().items():
        present = {c["name"] for c in inspector.get_columns(table)}
        for column in columns:
            if column.name not in present:
                op.add_column(table, column)
    tables = set(inspector.get_table_names())
    if "fetchstate" not in tables:
        _fetchstate()
    if "storyband" not in tables:
        _storyband()
    for name, table, columns, unique in INDEXES:
        if name not in {i["name"] for i in inspector.get_indexes(table)}:
            op.create_index(name, table, columns, unique=unique)
    for ddl in SQLITE_SEARCH:
        op.execute(ddl)


def upgrade() -> None:
    if "story" in sa.inspect(op.get_bind()).get_table_names():
        _from_before_migrations()
        return
    op.create_table('athlete',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(), nullable=False),
    sa.Column('fold', sa.String(), nullable=False),
    sa.Column('aliases', sa.String(), nullable=False),
    sa.Column('country', sa.String(), nullable=True),
    sa.Column('sex', sa.String(), nullable=True),
    sa.Column('birth_year', sa.Integer(), nullable=True),
    sa.Column('events', sa.String(), nullable=True),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('name')
    )
    with op.batch_alter_table('athlete', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_athlete_fold'), ['fold'], unique=False)

    op.create_table('crawlrun',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(), nullable=False),
    sa.Column('started_at', sa.DateTime(), nullable=False),
    sa.Column('ended_at', sa.DateTime(), nullable=True),
    sa.Column('status', sa.String(), nullable=False),
    sa.Column('stories_new', sa.Integer(), nullable=False),
    sa.Column('stories_updated', sa.Integer(), nullable=False),
    sa.Column('pages_dropped', sa.Integer(), nullable=False),
    sa.Column('stats', sa.JSON(), nullable=False),
    sa.Column('errors', sa.JSON(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    _fetchstate()
    op.create_table('source',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(), nullable=False),
    sa.Column('homepage', sa.String(), nullable=True),
    sa.Column('last_crawl_at', sa.DateTime(), nullable=True),
    sa.Column('last_status', sa.String(), nullable=True),
    sa.Column('last_error', sa.String(), nullable=True),
    sa.Column('failing_runs', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('source', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_source_name'), ['name'], unique=True)

    op.create_table('story',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(), nullable=False),
    sa.Column('url', sa.String(), nullable=True),
    sa.Column('source', sa.String(), nullable=True),
    sa.Column('title', sa.String(), nullable=False),
    sa.Column('author', sa.String(), nullable=True),
    sa.Column('published_at', sa.DateTime(), nullable=True),
    sa.Column('fetched_at', sa.DateTime(), nullable=False),
    sa.Column('language', sa.String(), nullable=True),
    sa.Column('text', sa.String(), nullable=False),
    sa.Column('content_hash', sa.String(), nullable=False),
    sa.Column('raw_html', sa.LargeBinary(), nullable=True),
    sa.Column('tagged_at', sa.DateTime(), nullable=True),
    sa.Column('tagger_version', sa.String(), nullable=True),
    sa.Column('simhash', sa.BigInteger(), nullable=True),
    sa.Column('cluster_id', sa.Integer(), nullable=True),
    sa.Column('claimed_by', sa.String(), nullable=True),
    sa.Column('claimed_until', sa.DateTime(), nullable=True),
    sa.Column('tagged_by', sa.String(), nullable=True),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('story', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_story_cluster_id'), ['cluster_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_story_content_hash'), ['content_hash'], unique=False)
        batch_op.create_index(batch_op.f('ix_story_key'), ['key'], unique=True)
        batch_op.create_index(batch_op.f('ix_story_published_at'), ['published_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_story_source'), ['source'], unique=False)
        batch_op.create_index(batch_op.f('ix_story_tagged_at'), ['tagged_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_story_url'), ['url'], unique=False)

    op.create_table('mark',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('story_id', sa.Integer(), nullable=False),
    sa.Column('start', sa.Integer(), nullable=False),
    sa.Column('end', sa.Integer(), nullable=False),
    sa.Column('text', sa.String(), nullable=False),
    sa.Column('value', sa.Float(), nullable=False),
    sa.Column('unit', sa.String(), nullable=False),
    sa.Column('flags', sa.JSON(), nullable=False),
    sa.Column('wind', sa.String(), nullable=True),
    sa.ForeignKeyConstraint(['story_id'], ['story.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('mark', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_mark_story_id'), ['story_id'], unique=False)

    op.create_table('mention',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('story_id', sa.Integer(), nullable=False),
    sa.Column('start', sa.Integer(), nullable=False),
    sa.Column('end', sa.Integer(), nullable=False),
    sa.Column('label', sa.String(), nullable=False),
    sa.Column('text', sa.String(), nullable=False),
    sa.Column('name', sa.String(), nullable=False),
    sa.Column('athlete_id', sa.Integer(), nullable=True),
    sa.Column('role', sa.String(), nullable=True),
    sa.Column('sex', sa.String(), nullable=True),
    sa.Column('indoor', sa.Boolean(), nullable=True),
    sa.ForeignKeyConstraint(['athlete_id'], ['athlete.id'], ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['story_id'], ['story.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('mention', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_mention_athlete_id'), ['athlete_id'], unique=False)
        batch_op.create_index('ix_mention_label_name', ['label', 'name'], unique=False)
        batch_op.create_index(batch_op.f('ix_mention_story_id'), ['story_id'], unique=False)

    op.create_table('performance',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('story_id', sa.Integer(), nullable=False),
    sa.Column('athlete', sa.String(), nullable=False),
    sa.Column('athlete_id', sa.Integer(), nullable=True),
    sa.Column('event', sa.String(), nullable=False),
    sa.Column('mark', sa.String(), nullable=False),
    sa.Column('value', sa.Float(), nullable=False),
    sa.Column('unit', sa.String(), nullable=False),
    sa.ForeignKeyConstraint(['athlete_id'], ['athlete.id'], ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['story_id'], ['story.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('performance', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_performance_athlete_id'), ['athlete_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_performance_event'), ['event'], unique=False)
        batch_op.create_index(batch_op.f('ix_performance_story_id'), ['story_id'], unique=False)

    op.create_table('quote',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('story_id', sa.Integer(), nullable=False),
    sa.Column('start', sa.Integer(), nullable=False),
    sa.Column('end', sa.Integer(), nullable=False),
    sa.Column('text', sa.String(), nullable=False),
    sa.Column('speaker', sa.String(), nullable=True),
    sa.Column('athlete_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['athlete_id'], ['athlete.id'], ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['story_id'], ['story.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('quote', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_quote_athlete_id'), ['athlete_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_quote_story_id'), ['story_id'], unique=False)

    _storyband()
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for ddl in SQLITE_SEARCH:
            op.execute(ddl)
    elif dialect == "postgresql":
        _postgres_search()


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        op.execute("DROP TABLE IF EXISTS story_fts")
    elif dialect == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_athlete_fold_trgm")
    with op.batch_alter_table('storyband', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_storyband_story_id'))
        batch_op.drop_index('ix_storyband_band_value')

    op.drop_table('storyband')
    with op.batch_alter_table('quote', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_quote_story_id'))
        batch_op.drop_index(batch_op.f('ix_quote_athlete_id'))

    op.drop_table('quote')
    with op.batch_alter_table('performance', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_performance_story_id'))
        batch_op.drop_index(batch_op.f('ix_performance_event'))
        batch_op.drop_index(batch_op.f('ix_performance_athlete_id'))

    op.drop_table('performance')
    with op.batch_alter_table('mention', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_mention_story_id'))
        batch_op.drop_index('ix_mention_label_name')
        batch_op.drop_index(batch_op.f('ix_mention_athlete_id'))

    op.drop_table('mention')
    with op.batch_alter_table('mark', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_mark_story_id'))

    op.drop_table('mark')
    with op.batch_alter_table('story', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_story_url'))
        batch_op.drop_index(batch_op.f('ix_story_tagged_at'))
        batch_op.drop_index(batch_op.f('ix_story_source'))
        batch_op.drop_index(batch_op.f('ix_story_published_at'))
        batch_op.drop_index(batch_op.f('ix_story_key'))
        batch_op.drop_index(batch_op.f('ix_story_content_hash'))
        batch_op.drop_index(batch_op.f('ix_story_cluster_id'))

    op.drop_table('story')
    with op.batch_alter_table('source', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_source_name'))

    op.drop_table('source')
    op.drop_table('fetchstate')
    op.drop_table('crawlrun')
    with op.batch_alter_table('athlete', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_athlete_fold'))

    op.drop_table('athlete')
    if dialect == "postgresql":
        op.execute("DROP FUNCTION IF EXISTS tw_unaccent(text)")
