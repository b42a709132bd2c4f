"""Near-duplicate clusters, on stories written for these tests and the real duplicate pair."""

from sqlmodel import select

from conftest import shared
from trackwire.store.db import read_session, write_session
from trackwire.store.dedupe import distance, simhash
from trackwire.store.export import story_records
from trackwire.store.filters import StoryFilter
from trackwire.store.models import Story
from trackwire.store.stories import StoryIn, upsert_story

ORIGINAL = ("Kerr takes indoor title\n\nJosh Kerr won the British indoor 3000m title in Birmingham on Sunday, "
            "kicking clear of the field over the final lap to win in 7:42.10. The Scot had sat behind the leaders "
            "for most of the race before moving up on the bell. Neil Gourley finished second and George Mills was "
            "third. Kerr said he was pleased with his speed and would now turn his attention to the world indoor "
            "championships next month, where he hopes to defend his title over the same distance.\n")
COPY = ("Scot Kerr wins British indoor crown\n\n" + ORIGINAL.split("\n\n", 1)[1].rstrip()
        + " Additional reporting by a news agency.\n")
OTHER = ("Hodgkinson opens season\n\nKeely Hodgkinson opened her season with a comfortable 800m win in Manchester, "
         "running 1:58.20 on a windy evening. The Olympic champion led from the gun and was never challenged, "
         "finishing well clear of a young field. She said the race was a useful test after a winter of hard "
         "training at altitude and that she would race again in two weeks in Paris.\n")


def store(engine, key, text):
    with write_session(engine) as session:
        upsert_story(session, StoryIn(key=key, text=text, title=text.split("\n")[0]))


def clusters(engine) -> dict[str, str]:
    """Each story's key mapped to the key of its cluster's first story."""
    with read_session(engine) as session:
        cluster_of = dict(session.exec(select(Story.key, Story.cluster_id)).all())
        key_of = dict(session.exec(select(Story.id, Story.key)).all())
    return {key: key_of[cluster] for key, cluster in cluster_of.items()}


def test_a_retitled_copy_joins_the_original_and_others_stay_apart(engine):
    store(engine, "original", ORIGINAL)
    store(engine, "other", OTHER)
    store(engine, "copy", COPY)
    assert clusters(engine) == {"original": "original", "other": "other", "copy": "original"}


def test_one_per_cluster_leaves_the_copy_out(engine):
    for key, text in (("original", ORIGINAL), ("copy", COPY), ("other", OTHER)):
        store(engine, key, text)
    with read_session(engine) as session:
        keys = [r["key"] for r in story_records(session, filters=StoryFilter(one_per_cluster=True))]
    assert keys == ["original", "other"]


def test_fingerprints_are_far_apart_for_different_stories():
    assert distance(simhash(ORIGINAL), simhash(COPY)) <= 6 < 20 <= distance(simhash(ORIGINAL), simhash(OTHER))


def test_the_real_duplicate_pair_is_one_cluster(engine):
    folder = shared("corpus", "bbcsport-athletics")
    for name in ("012", "013", "020"):
        store(engine, name, (folder / f"bbcsport-athletics-{name}.txt").read_text(encoding="utf-8"))
    assert clusters(engine) == {"012": "012", "013": "013", "020": "012"}
