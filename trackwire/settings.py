"""One settings object, read from TRACKWIRE_* environment variables (and .env)."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_SOURCES = Path(__file__).resolve().parent.parent / "crawler" / "sources.toml"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="TRACKWIRE_", env_file=".env", extra="ignore")

    db: str = Field("./trackwire.db", description="SQLite path or PostgreSQL URL")
    spacy_model: str | None = Field(None, description="spaCy model; default en_core_web_sm if installed")
    sources: Path = Field(DEFAULT_SOURCES, description="sources file (TOML)")
    user_agent: str = Field("trackwire/0.1 (+https://github.com/trackwire/trackwire; athletics news research)",
                            description="User-Agent sent by the crawler, with a contact")
    download_delay: float = Field(1.0, description="seconds between requests to one domain")
    obey_robots: bool = True
    download_timeout: int = Field(30, description="seconds one page may take to download")
    crawl_timeout: int = Field(3600, description="seconds a crawl may take before it is stopped")
    allow_private_addresses: bool = Field(False, description="let sources fetch loopback, private and "
                                          "link-local addresses they do not live on (docs/crawler.md)")
    tag_batch: int = Field(32, description="stories per nlp.pipe batch")
    redis_url: str | None = Field(None, description="Redis URL: crawls share one frontier (queue, dedup)")
    redis_prefix: str = Field("trackwire", description="prefix of trackwire's Redis keys")
    schedule: str = Field("30 2 * * *", description="nightly crawl, cron syntax")


WHAT_IT_MUST_BE = {
    "float_parsing": "is not a number", "float_type": "is not a number",
    "int_parsing": "is not a whole number", "int_from_float": "is not a whole number", "int_type": "is not a whole number",
    "bool_parsing": "is not true or false (write true, false, 1, 0, yes or no)", "bool_type": "is not true or false",
    "path_type": "is not a file path",
}


class SettingsError(ValueError):
    """A TRACKWIRE_* variable (or .env line) whose value cannot be used; the message names it."""

    exit_code = 2


def load_settings() -> Settings:
    """The settings from the environment and .env; SettingsError (one line naming the first bad
    variable, its value and what it must be) instead of pydantic's ValidationError."""
    from pydantic import ValidationError

    try:
        return Settings()
    except ValidationError as exc:
        problems = []
        for e in exc.errors():
            name = "TRACKWIRE_" + "_".join(str(part) for part in e["loc"][:1]).upper()
            what = WHAT_IT_MUST_BE.get(e["type"], f"cannot be used ({e['msg'].lower()})")
            problems.append(f"{name} {e.get('input')!r} {what}")
        raise SettingsError("; ".join(problems) + ": fix it in the environment or .env") from None
