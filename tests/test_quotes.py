"""Quote spans and speakers, on paragraphs written for these tests."""

import pytest

from trackwire.nlp.quotes import NameMention, attribute, find_quotes


def quotes_of(text):
    return [q.text(text) for q in find_quotes(text)]


def test_run_on_paragraphs_are_one_quote_each():
    text = ('Lin said: "The first lap felt easy and I stayed calm.\n\n'
            '"The second lap hurt a lot more than I expected."\n')
    assert quotes_of(text) == ["The first lap felt easy and I stayed calm.",
                               "The second lap hurt a lot more than I expected."]


def test_flattened_run_on_splits_at_each_opening_mark():
    text = '"We trained hard all winter long. "Now it is time to race well," said Ray.'
    assert quotes_of(text) == ["We trained hard all winter long.", "Now it is time to race well,"]


def test_scare_quotes_and_short_titles_are_not_quotes():
    assert quotes_of('He called it a "blip" and sang "Run Boy Run" later.') == []


def test_curly_quotes():
    assert quotes_of("“I will be back next summer,” she said.") == ["I will be back next summer,"]


def speakers(text, names):
    mentions = [NameMention(text.index(n), text.index(n) + len(n), full, True) for n, full in names]
    return attribute(text, find_quotes(text), mentions)


CASES = [
    ("said_name", '"I ran my own race today," said Ray.', [("Ray", "Sam Ray")], ["Sam Ray"]),
    ("name_said", '"I ran my own race today," Ray said.', [("Ray", "Sam Ray")], ["Sam Ray"]),
    ("inverted_verb", '"That was the best day of my life," grins Ray.', [("Ray", "Sam Ray")], ["Sam Ray"]),
    ("colon_before", 'Ray told reporters: "I ran my own race today."', [("Ray", "Sam Ray")], ["Sam Ray"]),
    ("pronoun", 'Sam Ray won again. "I ran my own race today," he added.', [("Sam Ray", "Sam Ray")], ["Sam Ray"]),
    ("continuation", '"I ran my own race today," said Ray.\n\n"The crowd carried me home at the end."',
     [("Ray", "Sam Ray")], ["Sam Ray", "Sam Ray"]),
    ("unattributed", 'The statement read: "We will appeal against the decision today."', [], [None]),
]


@pytest.mark.parametrize("text,names,expected", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_speaker(text, names, expected):
    assert speakers(text, names) == expected
