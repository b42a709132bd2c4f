"""Tagged stories (export contract records) into spaCy's training formats.

The entity layer is ATHLETE, PERSON, EVENT and MARK spans, snapped to token
boundaries (`alignment_mode="expand"`); overlaps keep the longer span. Quotes
go in a span group named "quotes", with the speaker as the span's kb_id.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import spacy
from spacy.tokens import Doc, DocBin
from spacy.util import filter_spans

ENTITY_LABELS = ("ATHLETE", "PERSON", "EVENT", "MARK")


def record_doc(nlp, record: dict) -> Doc:
    doc = nlp.make_doc(record["text"])
    spans = [doc.char_span(s["start"], s["end"], label=s["label"], alignment_mode="expand")
             for s in record["spans"] if s["label"] in ENTITY_LABELS]
    doc.ents = filter_spans([s for s in spans if s is not None])
    quotes = []
    for q in record["quotes"]:
        span = doc.char_span(q["start"], q["end"], label="QUOTE", kb_id=q["speaker"] or "",
                             alignment_mode="expand")
        if span is not None:
            quotes.append(span)
    doc.spans["quotes"] = quotes
    doc.user_data["key"] = record["key"]
    return doc


def docbin(records: Iterable[dict], lang: str = "en") -> Iterator[DocBin]:
    """DocBins of up to 1,000 docs each, for a streaming writer to merge or write in parts."""
    nlp = spacy.blank(lang)
    box = DocBin(store_user_data=True)
    for record in records:
        box.add(record_doc(nlp, record))
        if len(box) >= 1000:
            yield box
            box = DocBin(store_user_data=True)
    if len(box):
        yield box


def iob_lines(records: Iterable[dict], lang: str = "en") -> Iterator[str]:
    """CoNLL-style "token<TAB>tag" lines, a blank line between sentences and a -DOCSTART- per story.
    A blank line in the text (after the headline, between paragraphs) always ends a sentence: the
    headline is a sentence of its own, punctuated or not."""
    nlp = spacy.blank(lang)
    nlp.add_pipe("sentencizer")  # overwrite=False: it keeps the starts set below
    for record in records:
        doc = record_doc(nlp, record)
        for i, t in enumerate(doc[:-1]):
            if t.is_space and "\n\n" in t.text.replace("\r", "").replace(" ", ""):
                doc[i + 1].is_sent_start = True
        doc = nlp(doc)
        yield "-DOCSTART- -X- O O\n\n"
        for sent in doc.sents:
            tokens = [t for t in sent if not t.is_space]
            if not tokens:
                continue
            for t in tokens:
                tag = f"{t.ent_iob_}-{t.ent_type_}" if t.ent_type_ else "O"
                yield f"{t.text} -X- _ {tag}\n"
            yield "\n"
