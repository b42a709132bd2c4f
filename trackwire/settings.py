"""One settings object, read from TRACKWIRE_* environment variables (and .env)."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_SOURCES = Path(__file__).resolve().parent.parent / "crawler" / "sources.toml"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="TRACKWIRE_", env_file=".env", extra="ignore")

    db: str = Field("./trackwire.db", description="SQLite path or PostgreSQL URL")
    spacy_model: str | None = Field(None, description="spaCy model; default en_core_web_sm if installed")
    sources: Path = Field(DEFAULT_SOURCES, description="sources file (TOML)")
    user_agent: str = Field("trackwire/0.1 (+https://github.com/trackwire/trackwire; athletics news research)",
                            description="User-Agent sent by the crawler, with a contact")
    download_delay: float = Field(1.0, ge=0, allow_inf_nan=False, description="seconds between requests to one domain")
    obey_robots: bool = True
    download_timeout: int = Field(30, gt=0, description="seconds one page may take to download")
    crawl_timeout: int = Field(3600, gt=0, description="seconds a crawl may take before it is stopped")
    stop_grace: float = Field(10.0, gt=0, le=3600, allow_inf_nan=False,
                              description="seconds a stopping crawl gives the downloads in flight before it ends anyway")
    allow_private_addresses: bool = Field(False, description="let sources fetch loopback, private and "
                                          "link-local addresses they do not live on (docs/crawler.md)")
    tag_batch: int = Field(32, ge=1, le=10_000, description="stories per nlp.pipe batch")
    redis_url: str | None = Field(None, description="Redis URL: crawls share one frontier (queue, dedup)")
    redis_prefix: str = Field("trackwire", description="prefix of trackwire's Redis keys")
    schedule: str = Field("30 2 * * *", description="nightly crawl, cron syntax")

    @field_validator("db")
    @classmethod
    def _db(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("is empty: give an SQLite file (trackwire.db) or a PostgreSQL URL")
        return value

    @field_validator("sources")
    @classmethod
    def _sources(cls, value: Path) -> Path:
        if value != DEFAULT_SOURCES and not value.is_file():  # never fall back to the packaged sources
            raise ValueError("is not a file" if value.exists() else "does not exist")
        return value

    @field_validator("redis_url")
    @classmethod
    def _redis_url(cls, value: str | None) -> str | None:
        if value and not value.startswith(("redis://", "rediss://", "unix://")):
            raise ValueError("is not a Redis URL (redis://host:6379/0)")
        return value or None

    @field_validator("schedule")
    @classmethod
    def _cron(cls, value: str) -> str:
        from apscheduler.triggers.cron import CronTrigger

        try:
            CronTrigger.from_crontab(value)
        except ValueError as exc:
            raise ValueError(f"is not a cron expression of five fields ({exc})") from None
        return value


WHAT_IT_MUST_BE = {
    "float_parsing": "is not a number", "float_type": "is not a number",
    "int_parsing": "is not a whole number", "int_from_float": "is not a whole number", "int_type": "is not a whole number",
    "bool_parsing": "is not true or false (write true, false, 1, 0, yes or no)", "bool_type": "is not true or false",
    "path_type": "is not a file path",
}


def _number(value) -> str:
    """3600.0 as 3600, 0.5 as 0.5: limits as a person writes them."""
    return f"{value:g}" if isinstance(value, float) else str(value)


def _what(error: dict) -> str:
    """What a value must be, in words, for one pydantic error."""
    ctx = error.get("ctx") or {}
    if error["type"] == "greater_than_equal":
        return f"must be at least {_number(ctx.get('ge'))}"
    if error["type"] == "greater_than":
        return f"must be more than {_number(ctx.get('gt'))}"
    if error["type"] == "less_than_equal":
        return f"must be at most {_number(ctx.get('le'))}"
    if error["type"] == "finite_number":
        return "must be a finite number"
    if error["type"] == "value_error":
        return str(ctx.get("error", error["msg"]))
    return WHAT_IT_MUST_BE.get(error["type"], f"cannot be used ({error['msg'].lower()})")


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
            what = _what(e)
            problems.append(f"{name} {e.get('input')!r} {what}")
        raise SettingsError("; ".join(problems) + ": fix it in the environment or .env") from None


# TRACKWIRE_* variables that are not settings but are read by name: the test suite's, and the one a
# parent sets for a child process that must die with it (trackwire.stopping).
NOT_SETTINGS = {"TRACKWIRE_REQUIRE_SERVICES", "TRACKWIRE_TEST_PG", "TRACKWIRE_TEST_REDIS", "TRACKWIRE_PARENT_PID"}


def unknown_variables(environ=None) -> list[str]:
    """One line for each TRACKWIRE_* environment variable that is no setting (a misspelling would
    otherwise be ignored in silence), with the closest setting's name when one is close."""
    import difflib
    import os

    environ = os.environ if environ is None else environ
    known = {f"TRACKWIRE_{name.upper()}" for name in Settings.model_fields}
    lines = []
    for name in sorted(environ):
        if name.startswith("TRACKWIRE_") and name not in known and name not in NOT_SETTINGS:
            close = difflib.get_close_matches(name.removeprefix("TRACKWIRE_"), sorted(k[10:] for k in known), n=1,
                                              cutoff=0.75)
            lines.append(f"{name} is not a trackwire setting" + (f"; did you mean TRACKWIRE_{close[0]}?" if close else
                                                                  " (README: Settings); it is ignored"))
    return lines
