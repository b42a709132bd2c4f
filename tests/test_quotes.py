"""Quote spans, on paragraphs written for these tests (pure functions over text)."""

from trackwire.nlp.quotes import find_quotes


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


def test_short_quotes_and_titles_are_not_quotes():
    assert quotes_of('He called it a "blip" and sang "Run Boy Run" later.') == []


def test_a_phrase_of_four_words_with_no_speech_around_it_is_a_scare_quote():
    assert quotes_of('The coaches chase "the one per cents" in every session.') == []


def test_a_partial_quote_in_reported_speech_is_a_quote():
    text = 'She admitted she "does not like the winter training any more" at all.'
    assert quotes_of(text) == ["does not like the winter training any more"]


def test_british_nesting_single_outside_double_inside_is_one_quote():
    text = "'My coach told me \"keep going, keep going\" and I did,' said Amy Lord."
    assert quotes_of(text) == ['My coach told me "keep going, keep going" and I did,']


def test_a_nested_quote_is_part_of_the_outer_one():
    text = '"Then she said \'we are going to win this\' and we did," Ria said.'
    assert quotes_of(text) == ["Then she said 'we are going to win this' and we did,"]


def test_curly_quotes():
    assert quotes_of("“I will be back next summer,” she said.") == ["I will be back next summer,"]


def test_short_quotes_are_kept_for_attribution_when_asked():
    (short,) = find_quotes('"Yes," she said.', keep_short=True)
    assert short.short and short.text('"Yes," she said.') == "Yes,"
