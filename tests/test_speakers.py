"""Speakers by kind of writing (issue 12), on stories written for these tests, through the real model."""

from __future__ import annotations

import pytest

from trackwire.nlp.pipeline import tag_texts


def speakers(nlp, text: str) -> list[str | None]:
    (tags,) = tag_texts(nlp, [text])
    return [q["speaker"] for q in tags["quotes"]]


CASES = [
    ("said-name", 'Mile\n\nSam Rayner won the mile. "I ran my own race today," said Rayner.', ["Sam Rayner"]),
    ("name-said", 'Mile\n\nSam Rayner won the mile. "I ran my own race today," Rayner said.', ["Sam Rayner"]),
    ("an-open-class-verb-after-the-quote",
     'Mile\n\nSam Rayner won the mile. "That was the best day of my life," beamed Rayner.', ["Sam Rayner"]),
    ("a-verb-after-the-speaker", 'Mile\n\nSam Rayner won the mile. "I had to dig deep in the end," Rayner quipped.',
     ["Sam Rayner"]),
    ("colon-before", 'Mile\n\nSam Rayner won the mile. Rayner told reporters: "I ran my own race today."',
     ["Sam Rayner"]),
    ("dash-after-the-quote", 'Steeple\n\nAna Ruiz won the steeplechase.\n\n"The barriers felt easy tonight" - Ana Ruiz',
     ["Ana Ruiz"]),
    ("label-line", 'Hammer\n\nDan Hough won the hammer.\n\nWhat Hough had to say:\n\n"I threw far when it mattered most."',
     ["Dan Hough"]),
    ("a-speaker-not-in-the-registry", 'Steeple\n\n"I had nothing left on the last lap," said Zed Okoro.', ["Zed Okoro"]),
    ("pronoun", 'Mile\n\nSam Rayner won again. "I ran my own race today," he added.', ["Sam Rayner"]),
    ("pronoun-chain-over-long-quoted-paragraphs",
     'Marathon\n\nTess Orlov won the marathon in Berlin. "The first half was calm and I stayed in the pack. '
     'Then the pace went up and I went with it. By 35km it was just me and the pacer."\n\n'
     '"I will take a long rest now and think about the autumn," she added.',
     ["Tess Orlov", "Tess Orlov"]),
    ("a-typo-in-the-attribution", 'Mile\n\nAda Vane won the mile. "I felt strong from the gun today," sahe said.',
     ["Ada Vane"]),
    ("a-short-quote-carries-its-attribution-to-the-next",
     'Mile\n\nSam Rayner won the mile. "Yes," Rayner said. "I knew I could win it from the bell."',
     ["Sam Rayner"]),
    ("continued-speech-over-paragraphs",
     'Mile\n\nSam Rayner won the mile. "I ran my own race today," said Rayner.\n\n'
     '"The crowd carried me home at the end."', ["Sam Rayner", "Sam Rayner"]),
    ("partial-quote-in-reported-speech",
     'Mile\n\nSam Rayner said he had "never felt so strong over the last lap" of a mile.', ["Sam Rayner"]),
    ("a-description-the-words-fit",
     'Relay\n\nLena Voss of Germany and Ama Owusu of Ghana led the field. "We did everything right today," '
     'said the Ghanaian.', ["Ama Owusu"]),
    ("an-unnamed-spokesman-is-nobody-the-story-names",
     'Ruling\n\nKim Bale was banned. "The decision will stand," said a federation spokesman.', [None]),
    ("a-statement-is-nobody", 'Ruling\n\nThe statement read: "We will appeal against the decision today."', [None]),
    ("a-first-person-paragraph-after-narration-is-the-narrated-athlete",
     'Decathlon\n\nPaul Lenoir led after day one. He twisted an ankle in the long jump.\n\n'
     '"I had a couple of scary moments out there today."', ["Paul Lenoir"]),
]


@pytest.mark.parametrize("text,expected", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_speakers_by_kind(nlp, text, expected):
    assert speakers(nlp, text) == expected
