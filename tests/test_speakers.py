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
    ("said-an-athletes-coach-named-after-a-comma",
     'Vault\n\nMira Holt won the vault from Jana Fiala.\n\n"Mira is the best there is, no question," '
     "said Fiala's coach, Oto Brabec.", ["Oto Brabec"]),
    ("an-athletes-lawyer-named-before-the-colon",
     "Ban\n\nIvo Kral was banned for two years. Kral' lawyer, Petr Sima, said: \"My client will appeal against "
     'the decision."', ["Petr Sima"]),
    ("an-unnamed-coach-is-nobody-the-story-names",
     'Vault\n\nMira Holt won the vault. "She was simply the best out there today," said Holt\'s coach.', [None]),
    ("he-after-a-sentence-whose-subject-is-an-athletes-coach",
     "Walk\n\nDiego Lara won the 20km walk. Lara's coach, Tomas Ruiz, praised his patience. "
     '"Diego walked like a veteran out there today," he said.', ["Tomas Ruiz"]),
    ("a-quote-after-a-coach-reported-his-athletes-plans",
     "Sprint\n\nJon Hale won the 100m. Hale's coach Al Benn said his athlete would run the 200m next. "
     '"Jon can win both races there, I have no doubt about it."', ["Al Benn"]),
    ("an-age-description-after-a-paragraph-about-the-athlete",
     'Sprint\n\nJon Hale beat Rob Carr over 100m.\n\n"Rob is still a great competitor," said Hale.\n\n'
     'Carr, the former champion, insisted he was not worried.\n\n"I am still getting into shape," said the '
     '30-year-old.', ["Jon Hale", "Rob Carr"]),
    ("an-age-description-after-a-sentence-about-the-athletes-time",
     'Marathon\n\nAbel Too won the marathon, with Sam Dyke fourth.\n\n"The wind was hard out there today," said '
     'Too.\n\nDyke\'s time moves him to second on the British list. "I am over the moon with that," said the '
     '29-year-old.', ["Abel Too", "Sam Dyke"]),
    ("interview-topic-labels-are-the-interviewees",
     'Lorne on her new group\n\nPia Lorne has moved to a training group in Flagstaff under coach Ida Marsh.\n\n'
     'On the altitude:\n"The first fortnight I could barely finish an easy run."\n\n'
     'On her coach, Ida Marsh:\n"She changed how I think about rest days."',
     ["Pia Lorne", "Pia Lorne"]),
    ("called-or-described-as-gives-the-subject",
     'Coach\n\nPia Lorne won the 5000m. Her coach Ida Marsh once called her "the calmest racer I have ever '
     'trained", and Tom Pell described her as "a nightmare to race against over the last lap".',
     ["Ida Marsh", "Tom Pell"]),
    ("an-organisation-saying-that-an-athlete-was-is-not-the-athlete",
     'Statement\n\nPia Lorne has withdrawn. The federation said in a statement that Lorne had been "fully '
     'supported in her decision to rest".',
     [None]),
    ("her-coach-named-in-the-question-is-not-she",
     'Lorne moves\n\nPia Lorne has moved to Flagstaff.\n\nAsked what her coach, Ida Marsh, changed first, she '
     'laughed. "She took my phone off me for a month. I was livid."',
     ["Pia Lorne"]),
    ("said-joined-to-an-earlier-verb-takes-its-subject",
     'Lorne\n\nPia Lorne won the 5000m. She would not name a time, but said she wants "to be in the fight at the '
     'bell" in Tokyo.',
     ["Pia Lorne"]),
    ("a-nationality-subject-is-a-description-not-an-organisation",
     'Wendel\n\nSofie Wendel won the 800m. The German ran 1:57.10 and says the record is "a number, not a wall".',
     ["Sofie Wendel"]),
]


@pytest.mark.parametrize("text,expected", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_speakers_by_kind(nlp, text, expected):
    assert speakers(nlp, text) == expected
