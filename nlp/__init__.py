"""Athletics tagging: spaCy components and rules. Text in, tags out; no HTTP, no SQL."""
