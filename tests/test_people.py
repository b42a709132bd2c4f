"""Grouping mentions into people, roles, and the registry's typo rule (pure functions)."""

import pytest

from trackwire.nlp.people import Candidate, Person, assign_roles, clean_candidate, group_people
from trackwire.nlp.registry import Entry, Registry, is_typo


def cands(text, names):
    out, pos = [], 0
    for n in names:
        i = text.index(n, pos)
        out.append(Candidate(i, i + len(n), n))
        pos = i + len(n)
    return out


def test_surname_and_possessive_map_to_the_full_name():
    c = [clean_candidate(t, s, e) for t, s, e in [("Josh Kerr", 0, 9), ("Kerr", 15, 19), ("Kerr's", 29, 35)]]
    (kerr,) = group_people(c)
    assert kerr.name == "Josh Kerr" and kerr.mentions == [(0, 9), (15, 19), (29, 33)]


def test_misspelt_surname_joins_the_story_name():
    text = "Jakob Ingebrigtsen won. Ingebrigsten was happy."
    (p,) = group_people(cands(text, ["Jakob Ingebrigtsen", "Ingebrigsten"]))
    assert p.name == "Jakob Ingebrigtsen" and len(p.mentions) == 2


def test_short_names_are_not_fuzzy_matched():
    people = group_people(cands("Josh Kerr and Karr ran.", ["Josh Kerr", "Karr"]))
    assert [p.name for p in people] == ["Josh Kerr", "Karr"]


def test_fuller_name_later_wins():
    people = group_people(cands("El Guerrouj returns. Hicham El Guerrouj said so.", ["El Guerrouj",
                                                                                    "Hicham El Guerrouj"]))
    assert [p.name for p in people] == ["Hicham El Guerrouj"]


@pytest.mark.parametrize("text,name,role", [
    ("His coach Danny Mackey was pleased.", "Danny Mackey", "coach"),
    ("IAAF president Lamine Diack spoke.", "Lamine Diack", "official"),
    ("Nick Davies, spokesman for the IAAF, said no.", "Nick Davies", "official"),
    ("one of their lawyers, Gregory Ioannidis, said", "Gregory Ioannidis", "other"),
], ids=["coach", "official-before", "official-appositive", "lawyer-plural"])
def test_roles_from_context(text, name, role):
    i = text.index(name)
    p = Person(name, [(i, i + len(name))])
    assign_roles(text, [p])
    assert (p.role, p.athlete) == (role, False)


def test_former_olympian_pundit_is_an_athlete():
    text = "BBC pundit and former Olympian Steve Cram said it was close."
    i = text.index("Steve Cram")
    p = Person("Steve Cram", [(i, i + 10)])
    assign_roles(text, [p])
    assert p.athlete


@pytest.mark.parametrize("a,b,expected", [
    ("ingebrigsten", "ingebrigtsen", True), ("fionnualla", "fionnuala", True),
    ("adera", "adere", False), ("reina", "pena", False)], ids=["swap", "double", "vowel", "other-person"])
def test_typo_rule(a, b, expected):
    assert is_typo(a, b) is expected


def test_registry_corrects_only_typing_slips():
    reg = Registry([Entry("Jakob Ingebrigtsen", "NOR", "M", 2000, ("1500m",)),
                    Entry("Frank Fredericks", "NAM", "M", 1967, ("100m",))])
    assert reg.closest("Jakob Ingebrigsten").name == "Jakob Ingebrigtsen"
    assert reg.closest("Frankie Fredericks") is None
