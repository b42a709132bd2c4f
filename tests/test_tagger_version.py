"""The tagger version moves whenever tagging output does (nlp/version.py).

tests/fixtures/tagger_output.json records the version and a digest of what the
real pipeline gives for the demo articles. When the rules, data or model change,
the version moves and the record must be made again, on purpose:

    .venv/bin/python tests/test_tagger_version.py --record
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

FIXTURE = Path(__file__).parent / "fixtures" / "tagger_output.json"
NLP_DIR = Path(__file__).resolve().parent.parent / "nlp"


def output_digest(nlp) -> str:
    """sha256 of the tags the pipeline gives for every demo article, as stored."""
    from trackwire.crawler.demo_site import load_articles
    from trackwire.nlp.pipeline import doc_tags

    tags = [doc_tags(doc) for doc in nlp.pipe(a.text for a in load_articles())]
    return hashlib.sha256(json.dumps(tags, sort_keys=True).encode()).hexdigest()


def test_output_never_changes_while_the_version_stays(nlp):
    from trackwire.nlp.pipeline import TAGGER_VERSION

    recorded = json.loads(FIXTURE.read_text(encoding="utf-8"))
    assert TAGGER_VERSION == recorded["version"], (
        f"the tagger changed (version {recorded['version']} -> {TAGGER_VERSION}): check the output, then "
        "record it with `.venv/bin/python tests/test_tagger_version.py --record`")
    assert output_digest(nlp) == recorded["digest"], (
        "tagging output changed but the tagger version did not: whatever changed it is missing "
        "from nlp/version.py's inputs")


def test_every_file_the_tagger_reads_is_an_input_of_its_version():
    from trackwire.nlp.pipeline import load_pipeline
    from trackwire.nlp.version import _tagger_files

    opened: set[Path] = set()
    watching = [True]

    def watch(event, args):
        if watching[0] and event == "open" and isinstance(args[0], (str, Path)):
            opened.add(Path(args[0]).resolve())

    sys.addaudithook(watch)  # hooks cannot be removed: this one goes quiet after the test
    try:
        nlp = load_pipeline()
        list(nlp.pipe(["Josh Kerr won the 1500m in 3:29.38. \"I felt good,\" said Kerr.", "Mo Farah ran."]))
    finally:
        watching[0] = False
    hashed = {NLP_DIR / name.lstrip("/") for name, _ in _tagger_files()}
    read = {p for p in opened if NLP_DIR in p.parents and "__pycache__" not in p.parts}
    assert read and read <= hashed, read - hashed


def record() -> None:
    from trackwire.nlp.pipeline import TAGGER_VERSION, load_pipeline

    FIXTURE.write_text(json.dumps({"version": TAGGER_VERSION, "digest": output_digest(load_pipeline())}, indent=1)
                       + "\n", encoding="utf-8")
    print(f"recorded tagger {TAGGER_VERSION} in {FIXTURE}")


if __name__ == "__main__":
    if sys.argv[1:] != ["--record"]:
        sys.exit(f"usage: {sys.argv[0]} --record")
    record()
