"""Persistence: SQLModel tables, queries, search and export. Knows nothing of spaCy or HTTP."""
