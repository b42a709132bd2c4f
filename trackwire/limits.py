"""Bounds on numbers a person types, shared by the API and the command line: past them a database
or a timer fails with an overflow deep inside, not a message."""

MAX_LIMIT = 1000  # stories or runs one listing shows
MAX_COUNT = 10_000_000  # articles a crawl may fetch
MAX_WORKERS = 64
MAX_SECONDS = 366 * 24 * 3600  # a year: longer waits are typing slips


def check_limit(limit: int, offset: int = 0) -> None:
    """QueryError unless 1 <= limit <= MAX_LIMIT and 0 <= offset < 2**31."""
    from trackwire.store.search import QueryError

    if not isinstance(limit, int) or not 1 <= limit <= MAX_LIMIT:
        raise QueryError(f"limit {limit!r} must be a whole number from 1 to {MAX_LIMIT}")
    if not isinstance(offset, int) or not 0 <= offset < 2**31:
        raise QueryError(f"offset {offset!r} must be a whole number from 0")
