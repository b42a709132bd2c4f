"""Athletes and other people by kind of writing (issue 12), on stories written for these tests."""

from __future__ import annotations

import pytest

from trackwire.nlp.pipeline import tag_texts


def tagged(nlp, text: str) -> dict:
    (tags,) = tag_texts(nlp, [text])
    return tags


def athletes(nlp, text: str) -> set[str]:
    return {a["name"] for a in tagged(nlp, text)["athletes"]}


CASES = [
    ("initials-take-the-full-name-the-story-gives",
     "County 60m\n\nKit Marsh won the 60m. Results: 1. K Marsh (Belgrave) 6.81, 2. P Lorne (Blackheath) 6.90",
     {"Kit Marsh", "P Lorne"}),
    ("a-demonym-before-a-name-is-not-part-of-it",
     "Cross country\n\nScotsman Ian Dewar led from the gun and Kenyan Peter Otieno followed him home.",
     {"Ian Dewar", "Peter Otieno"}),
    ("an-age-before-a-name-is-not-part-of-it",
     "Junior sprints\n\nThe 17-year-old Ray Mossop clocked 10.41 in the 100m.",
     {"Ray Mossop"}),
    ("a-club-is-not-a-person",
     "League meeting\n\nRiverside Harriers won the team title, and Ann Voss of Hillside AC won the 3000m.",
     {"Ann Voss"}),
    ("a-championship-is-not-a-person",
     "Indoors\n\nJo Penrose won the National Indoor Championships 800m title.",
     {"Jo Penrose"}),
    ("journalists-in-credit-lines-are-not-athletes",
     "Relay squad named\n\nThe selectors named Lisa Crane for the 4x100m relay.\n\n"
     "Reporting by Tom Harker; editing by Jane Wells",
     {"Lisa Crane"}),
    ("results-line-names-the-model-may-miss",
     "Women's 5000m\n\n1. Tigrina Abera (ETH) 14:41.10, 2. Selam Okuba (KEN) 14:44.82",
     {"Tigrina Abera", "Selam Okuba"}),
    ("country-possessive-introduces-a-person",
     "Para sprint\n\nJapan's Kenya Morikawa won the 100m T11 final in 11.20.",
     {"Kenya Morikawa"}),
    ("a-name-cut-by-a-particle",
     "5000m T11\n\nBrazil's Joao Batista dos Reis won the 5000m T11 in 15:01.",
     {"Joao Batista dos Reis"}),
    ("a-nickname-alone-pins-one-athlete",
     "Pole vault\n\nMondo cleared 6.00m at the first attempt to win the pole vault again.",
     {"Armand Duplantis"}),
    ("a-given-name-with-a-surname-the-story-names",
     "Millrose 60m\n\nNoah Lyles was second in the 60m, ahead of Lyles' younger brother Josephus.",
     {"Noah Lyles", "Josephus Lyles"}),
    ("a-surname-alone-of-one-registry-athlete-in-the-storys-event",
     "Marathon\n\nRadcliffe won the marathon in New York on Sunday.",
     {"Paula Radcliffe"}),
    ("a-misspelt-surname-joins-the-story-name",
     "5000m\n\nJakob Ingebrigtsen won the 5000m. Ingebrigsten said he was tired.",
     {"Jakob Ingebrigtsen"}),
    ("an-official-of-an-organisation-is-not-an-athlete",
     "Selection\n\n\"We will pick the best team,\" said Marta Hollis of UK Athletics. Amy Reed won the 1500m.",
     {"Amy Reed"}),
    ("a-headline-phrase-in-title-case-is-not-a-person",
     "Stunning Comeback For Sprinter\n\nLaura Dane won the 200m in 22.90.",
     {"Laura Dane"}),
    ("an-unknown-speaker-is-still-a-person",
     "Steeplechase\n\n\"I had nothing left on the last lap,\" said Zed Okoro after the steeplechase.",
     {"Zed Okoro"}),
    ("a-subject-opening-a-sentence-the-model-may-miss",
     "800m\n\nTomas Ferrand held off Bruno Lacasse to win the 800m.",
     {"Tomas Ferrand", "Bruno Lacasse"}),
    ("a-full-name-introduced-where-the-model-sees-only-the-surname-later",
     "Nwosu breaks record\n\nIfeoma Nwosu became the first Irish woman to run under 4:20 for the mile indoors, "
     "clocking 4:18.62 in Boston on Sunday.\n\n\"I didn't look at the clock once,\" Nwosu told reporters.",
     {"Ifeoma Nwosu"}),
    ("a-day-before-a-surname-is-no-given-name",
     "Record\n\nOn Sunday Okonkwo won the mile in 4:18.62.\n\n\"I didn't look at the clock once,\" Okonkwo told "
     "reporters.", {"Okonkwo"}),
    ("a-demonym-before-a-surname-is-no-given-name",
     "Record\n\nAmerican Okonkwo won the mile in 4:18.62.\n\n\"I didn't look at the clock once,\" Okonkwo told "
     "reporters.", {"Okonkwo"}),
    ("a-place-name-inside-a-name-is-a-given-name",
     "High jump\n\nMira Kravec won the high jump with 1.99. Spain's Lucia Ortega was second with 1.95 and Sydney "
     "Mbeki third with 1.92.", {"Mira Kravec", "Lucia Ortega", "Sydney Mbeki"}),
    ("every-label-of-a-squad-line-lists-names",
     "Squad\n\nMen: 100m: Tom Okara, Dan Ashe. 1500m: Ewan Crossan, Hal Doyle. Marathon: Lee Garsten.",
     {"Tom Okara", "Dan Ashe", "Ewan Crossan", "Hal Doyle", "Lee Garsten"}),
    ("an-initial-that-is-also-a-word",
     "Club results\n\n200m: 1 K Marr (Sheffield) 24.02; 2 A Fairfield (Rotherham) 24.66; 3 I Noble (York) 24.90.",
     {"K Marr", "A Fairfield", "I Noble"}),
]


@pytest.mark.parametrize("text,expected", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_athletes_by_kind(nlp, text, expected):
    assert athletes(nlp, text) == expected


def test_people_of_other_roles_keep_their_role(nlp):
    tags = tagged(nlp, "Appeal\n\nThe lawyer Sam Greer said the ban was wrong. Coach Dan Mills agreed.")
    assert {(p["name"], p["role"]) for p in tags["people"]} == {("Sam Greer", "other"), ("Dan Mills", "coach")}
    assert tags["athletes"] == []


def test_a_team_leader_is_an_official_and_a_former_steeplechaser_an_athlete(nlp):
    tags = tagged(nlp, "Squad\n\nTeam leader Jo Thrale named the squad. Her coach, former steeplechaser Declan "
                       "Fury, said she was ready.")
    assert {(p["name"], p["role"]) for p in tags["people"]} >= {("Jo Thrale", "official")}
    assert {a["name"] for a in tags["athletes"]} == {"Declan Fury"}
