"""Whose mark is it: the athlete a sentence gives a mark to, from its grammar and its layout.

Rules, in the order they are tried (../shared/tagging-guide.md, PERFORMANCE; docs/tagging.md):

1. Results layout: a mark right after a name, with only a country or club in brackets, a colon,
   a comma or "for <country>" between ("Ann Lee (KEN): 14:05.22", "Sam Ode (10.01)",
   "Hull, 3:50.83", "Kipketer's 1:41.11"); "(both 9.97)" gives it to every name joined before.
   A mark right after a team or country that is not an athlete ("ahead of Italy (3:10.69)") is
   nobody's.
2. "<name> [second | into third place | (NAT)] in|with|on <mark>": the name just before.
3. The grammar (dependency parse): the possessor of the mark ("her throw of 20.00m"), the agent
   ("set by Kosgei", "a time of 7:26.18 by Girma"), a name the mark's phrase hangs on, or the
   subject of the clause that states the mark: through relative clauses ("Garcia Leon, who
   finished in 2:40:52"), open and adverbial clauses ("held off Jones to win in 1:58.10"),
   conjunctions and participles ("setting a record of 7:37.05"), the agent of a passive.
4. A pronoun is the athlete last named (of the pronoun's sex where the registry knows it); a
   description ("the 22-year-old Ethiopian") is the athlete the story was last about.
5. Where the grammar gives nobody, the one athlete named before the mark in its sentence,
   if no athlete is named after it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.tokens import Doc, Span, Token

from trackwire.nlp.text import text_of
from trackwire.nlp.codes import compatible
from trackwire.nlp.layout import previous_sentence, sentence_bounds

MARK_NOUNS = {"time", "times", "mark", "record", "best", "pb", "pr", "sb", "clearance", "throw", "leap", "jump",
              "effort", "run", "heave", "result", "score", "total", "tally", "vault", "personal", "height",
              "distance", "win", "victory", "finish", "performance"}
PRONOUNS = {"he": "M", "him": "M", "his": "M", "she": "F", "her": "F", "hers": "F"}
FIRST_PERSON = {"i", "my", "me", "mine", "myself"}
RELATIVE = {"who", "whose", "that", "which", "whom"}
PLACES = {"GPE", "LOC", "NORP", "FAC"}
PAIR_WORDS = {"men", "women", "pair", "duo", "two", "athletes", "both", "sprinters", "runners"}
TEAM_WORDS = {"team", "squad", "quartet", "foursome", "relay", "teams", "squads", "quartets"}
_RESULT_GAP = re.compile(r"^(?:['’]s?)?\s*(?:\([^()\n]{1,40}\)\s*)?(?:for\s+(?:the\s+)?[A-Z][\w .'’-]{1,30}?\s*)?"
                         r"[:,–—-]?\s*\(?\s*(?P<both>both\s+|all\s+)?(?:a\s+|an\s+)?$")
_TEAM_BEFORE = re.compile(r"(?:^|\s)[A-Z][\w'’.-]+(?:\s+[A-Z][\w'’.-]+){0,2}\s*(?:\([^()]*\)\s*)?[:,]?\s*\(\s*$|"
                          r"(?:^|\s)[A-Z][\w'’.-]+(?:\s+[A-Z][\w'’.-]+){0,2}\s*(?:\([^()]*\)\s*)?:\s*$")
_LISTED = re.compile(r"^[^.;]*(?:,|\band\b)[^.;]*$")  # "A, B, C and D clocked 41.91"
_MAIN_WITH = re.compile(r",\s+with\s+(?:a|an|his|her|their)\s+(?:[\w'’-]+\s+){0,4}?(?:of\s+)?$", re.I)
_PARTICIPLE_GAP = re.compile(r"^(?:['’]s)?(?:\s+of\s+[A-Z][\w'’ -]{1,30}?|\s*\([^()]{1,30}\))?\s*(?:,\s*|\s+\w+ly\s+|\s+)$")
_ADJACENT_GAP = re.compile(r"^(?:['’]s\s+\w+)?(?:\s*,\s*[^,;:()]{1,60},)?\s*(?:(?:also|then|later|quickly|easily|"
                           r"comfortably|eventually|finally|again|had|has|was|have)\s+)*$", re.I)
ATHLETIC_VERBS = {"clocked", "ran", "won", "threw", "jumped", "cleared", "finished", "took", "set", "crossed",
                  "recorded", "posted", "timed", "came", "stopped", "leapt", "leaped", "vaulted", "heaved", "hurled",
                  "scored", "totalled", "totaled", "raced", "sprinted", "stormed", "cruised", "won"}
_IN_GAP = re.compile(r"^(?:['’]s)?\s*(?:\([^()\n]{1,40}\)\s*)?,?\s*(?:(?:in|into|to)\s+)?(?:(?:first|second|third|"
                     r"fourth|fifth|sixth|seventh|eighth|ninth|tenth|\d+(?:st|nd|rd|th)|gold|silver|bronze)\s+"
                     r"(?:place\s+|medal\s+)?)?"
                     r"(?:in|on)\s+(?:(?:a|an|his|her)\s+(?:[\w'’-]+\s+){0,3}?(?:of\s+)?)?$|"
                     r"^\s*(?:\([^()\n]{1,40}\)\s*)?,?\s*(?:first|second|third|fourth|fifth|sixth|seventh|eighth|"
                     r"ninth|tenth|\d+(?:st|nd|rd|th)|gold|silver|bronze)\s+(?:place\s+|medal\s+)?with\s+"
                     r"(?:a\s+|an\s+)?$", re.I)
# "... and Croatia's Filip Marić third with 21.30": a place and "with" right after the name
_BY_WITH = re.compile(r"^\s+with\s+(?:a|an|his|her|their|the)\s+(?:[\w'’-]+\s+){0,4}?(?:of\s+)?$", re.I)
_AFTER_OWNER = re.compile(r"^\s*(?:\)\s*)?(?:[,–—-]\s*)?(?:(?:set|run|clocked|achieved|held|thrown|jumped|owned)\s+)?"
                          r"by\s+(?:[\w'’,-]+\s+){0,3}?$|^\s*[–—-]\s*$|"
                          r"^\s*,?\s*(?:belonged|belongs|had belonged)\s+to\s+(?:[\w'’,-]+\s+){0,3}?$|"
                          r"^\s+(?:[\w'’-]+\s+){0,2}?(?:record|best|mark)\s+(?:held|set|owned)\s+by\s+"
                          r"(?:[\w'’,-]+\s+){0,2}?$", re.I)


@dataclass(slots=True)
class Named:
    """An athlete mention: [start, end) in the text, the canonical name, the registry sex."""

    start: int
    end: int
    name: str
    sex: str | None = None
    events: tuple[str, ...] = ()  # the registry's events for them, where it knows them
    country: str | None = None  # IOC code: the registry's, else the story's ("Ama Owusu of Ghana")


_TEAM_AFTER = re.compile(r"\b(?:anchored\s+by|led\s+off\s+by|(?:after|with|following)\s+(?:\w+\s+)?"
                         r"(?:changes|handovers|exchanges|legs)\s+(?:from|by|between)|featuring|comprising|"
                         r"formed\s+by|made\s+up\s+of|with)\s", re.I)
_OTHER_TEAM = re.compile(r"\b(?:ahead\s+of|beating|behind|while|whereas|from\s+(?:the\s+)?[A-Z]\w+['’]s)\b", re.I)
_COORDINATED = re.compile(r"\s*(?:\([^()]*\)\s*)?[,;]?\s*(?:and|but|while|whereas)\s", re.I)

class Owners:
    """Finds the athletes a mark belongs to, over one parsed doc and its athlete mentions."""

    def __init__(self, doc: Doc, athletes: list[Named], others: list[tuple[int, int]],
                 quotes: list[tuple[int, int, str | None]]):
        self.doc, self.text = doc, text_of(doc)
        self.athletes = sorted(athletes, key=lambda a: a.start)
        self.others = others  # people who are not athletes, and quoted speech
        self.quotes = quotes
        self.event: str | None = None

    # ------------------------------------------------------------ entry point

    def of(self, start: int, end: int, event: str | None = None) -> list[str] | None:
        """Canonical names owning the mark at [start, end) for `event`; [] for nobody's (a team's,
        a coach's); None where nothing decides."""
        self.event = event
        if event and event.endswith("relay"):
            team = self._relay_team(start) or self._relay_team_after(start, end)
            if team:
                return team
        for rule in (self._layout, self._name_in, self._grammar):
            found = rule(start, end)
            if found is not None:
                return found
        return self._only_name(start, end)

    def holder(self, start: int, end: int, event: str | None = None) -> list[str] | None:
        """The holder of a previous record: only the athlete named as its possessor or setter."""
        self.event = event
        after = self._after_owner(end)
        if after:
            return after
        span = self.doc.char_span(start, end, alignment_mode="expand")
        tok = span.root if span is not None else None
        while tok is not None and tok.pos_ not in ("VERB", "AUX") and tok.head.i != tok.i:
            for child in tok.children:
                if child.dep_ == "poss" or child.dep_ == "agent":
                    objects = [c for c in child.children if c.dep_ == "pobj"] if child.dep_ == "agent" else [child]
                    return self._refer(objects[0]) if objects else None
            tok = tok.head
        if tok is not None and tok.lemma_ == "be":  # "His previous best was 9.87": the subject's possessor
            for subject in (c for c in tok.children if c.dep_ == "nsubj"):
                owners = [c for c in subject.subtree if c.dep_ == "poss"]
                if owners:
                    return self._refer(owners[0])
        return None

    # ------------------------------------------------------------ 1-2: layout

    def _before(self, pos: int) -> Named | None:
        earlier = [a for a in self.athletes if a.end <= pos]
        return earlier[-1] if earlier else None

    def _layout(self, start: int, end: int) -> list[str] | None:
        lo, _ = sentence_bounds(self.text, start)
        name = self._before(start)
        since = name.end if name and name.end >= lo else lo
        gap = self.text[since:start]
        if "\n" in gap:
            return None
        match = _RESULT_GAP.match(gap)
        if name and since == name.end and match:
            return self._joined(name, lo) if match.group("both") else [name.name]
        return [] if _TEAM_BEFORE.search(gap) else None

    def _joined(self, last: Named, lo: int) -> list[str]:
        """"A and B (both 9.97)": every athlete joined by commas or "and" up to `last`."""
        names = [last.name]
        cursor = last
        for a in reversed([a for a in self.athletes if lo <= a.start < last.start]):
            between = self.text[a.end:cursor.start]
            if not re.fullmatch(r"(?:\s*\([^()]*\))?\s*(?:,|and|&|,\s*and)\s+(?:[\w'’]+\s+){0,4}?", between):
                break
            names.insert(0, a.name)
            cursor = a
        return names

    def _listed_from(self, pos: int) -> list[str]:
        """The athlete at `pos` and those listed after it ("A, B, C and D"), whatever the parse says."""
        first = next((a for a in self.athletes if a.start <= pos < a.end), None)
        if first is None:
            return []
        names, cursor = [first.name], first
        for a in [a for a in self.athletes if a.start >= first.end]:
            if not re.fullmatch(r"\s*(?:,|and|&|,\s*and)\s*", self.text[cursor.end:a.start]):
                break
            names.append(a.name)
            cursor = a
        return names

    def _name_in(self, start: int, end: int) -> list[str] | None:
        lo, _ = sentence_bounds(self.text, start)
        name = self._before(start)
        if name is None or name.end < lo:
            return None
        gap = self.text[name.end:start]
        if _IN_GAP.match(gap):
            return [name.name]
        if _BY_WITH.match(gap) and re.search(r"\bby\s+(?:[\w'’]+\s+){0,3}$", self.text[max(lo, name.start - 40):name.start]):
            return [name.name]  # "followed by CJ Allen with a personal best of 47.93"
        return None

    # ------------------------------------------------------------ 3-4: grammar

    def _grammar(self, start: int, end: int) -> list[str] | None:
        span = self.doc.char_span(start, end, alignment_mode="expand")
        if span is None:
            return None
        after = self._after_owner(end)
        if after:
            return after
        if _MAIN_WITH.search(self.text[max(0, start - 60):start]):
            return self._subject(span.sent.root)  # "..., previously held by X, with a time of 10.76"
        tok = span.root
        while True:
            # "A won with 78.40 and B managed 77.10": the small model may hang the mark on B, the
            # subject of the next clause; a noun after the mark and a coordinator owns nothing of it
            crossed = tok.i >= span.end and _COORDINATED.match(self.text[span.end_char:tok.idx])
            found = None if crossed else self._on_noun(tok, span)
            if found is not None:
                return found
            if tok.pos_ in ("VERB", "AUX") or tok.head.i == tok.i:
                break
            tok = tok.head
        return self._subject(tok)

    def _after_owner(self, end: int) -> list[str] | None:
        """"5:21.56 by Burundi's Francine Niyonsaba", "10.25 — Warner's time"."""
        _, hi = sentence_bounds(self.text, end)
        for a in self.athletes:
            if end <= a.start < hi and _AFTER_OWNER.match(self.text[end:a.start]):
                return [a.name]
            if a.start >= end:
                break
        return None

    def _on_noun(self, tok: Token, mark: Span) -> list[str] | None:
        """An owner that a noun on the mark's path names: its possessor or agent, or itself."""
        if not mark.start <= tok.i < mark.end:
            named = self._athlete_at(tok)
            if named:
                return named
        if mark.start <= tok.i < mark.end or tok.lower_ in MARK_NOUNS:
            for child in tok.children:
                if child.dep_ == "poss" and child.ent_type_ not in PLACES:  # "Coghlan of Ireland's 3:49.78"
                    return self._refer(child)
        if tok.pos_ in ("VERB", "AUX"):
            return None
        for child in tok.children:
            if child.dep_ == "agent" or (child.dep_ == "prep" and child.lower_ == "by"):
                objects = [c for c in child.children if c.dep_ == "pobj"]
                if objects:
                    return self._refer(objects[0])
        return None

    def _subject(self, verb: Token) -> list[str] | None:
        for _ in range(6):
            agents = [c for c in verb.children if c.dep_ == "agent"]
            passive = any(c.dep_ in ("nsubjpass", "auxpass") for c in verb.children) or verb.tag_ == "VBN"
            if passive and agents:
                objects = [c for c in agents[0].children if c.dep_ == "pobj"]
                if objects:
                    return self._refer(objects[0])
            subjects = [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass", "csubj")]
            if not subjects and verb.tag_ in ("VBG", "VBN") and verb.dep_ in ("advcl", "acl", "conj", "pcomp"):
                just_before = self._athlete_before_participle(verb)
                if just_before:
                    return just_before
            if not subjects:
                adjacent = self._adjacent_subject(verb)
                if adjacent:
                    return adjacent  # "... and Kenya's Mary Moraa took bronze in 1:57.42" (parsed as a conjunct)
            if not subjects and verb.dep_ == "ROOT":
                return self._linear_subject(verb)
            if subjects:
                for subject in subjects:  # "400 meters: A B ...; A B has powered ...": the person, not the label
                    found = self._refer(verb.head) if subject.lower_ in RELATIVE and verb.dep_ == "relcl" \
                        else self._refer(subject)
                    if found:
                        return found
                return found
            if verb.dep_ in ("relcl", "acl"):
                return self._refer(verb.head)
            if verb.head.i == verb.i or verb.dep_ in ("ccomp", "csubj", "parataxis"):
                return None  # a finite clause of its own: its subject is not the main clause's
            verb = verb.head
            while verb.pos_ not in ("VERB", "AUX") and verb.head.i != verb.i:
                verb = verb.head
        return None

    def _athlete_before_participle(self, verb: Token) -> list[str] | None:
        """"..., with Oliver Hoare of Australia, equalling the record of 3:50.83": the athlete
        named right before a participle clause is its subject."""
        name = self._before(verb.idx)
        if name and _PARTICIPLE_GAP.match(self.text[name.end:verb.idx]) and \
                re.search(r"\bwith\s+(?:[\w'’]+\s+){0,5}$", self.text[max(0, name.start - 45):name.start]):
            return [name.name]
        return None

    def _adjacent_subject(self, verb: Token) -> list[str] | None:
        """A name right before a finite verb, with at most an appositive between: its subject,
        whatever the parse says ("Femke Bol, the European champion, finished third in 52.15")."""
        if verb.tag_ not in ("VBD", "VBZ", "VBP"):
            return None
        name = self._before(verb.idx)
        if name is None or name.start < verb.sent.start_char:
            return None
        if _ADJACENT_GAP.match(self.text[name.end:verb.idx]):
            return [name.name]
        return None

    def _linear_subject(self, verb: Token) -> list[str] | None:
        """A main verb the parser gave no subject: the athlete named last before it, with no other
        verb between ("Christian Coleman, the 2019 world 100m champion, won ...")."""
        name = self._before(verb.idx)
        if name is None or name.start < verb.sent.start_char:
            return None
        between = self.doc.char_span(name.end, verb.idx, alignment_mode="contract")
        if between is not None and any(t.pos_ == "VERB" for t in between):
            return None
        if between is not None and len([t for t in between if t.pos_ not in ("AUX", "ADV", "PUNCT", "PART")]) > 8:
            return None
        return [name.name]

    # ------------------------------------------------------------ references

    def _athlete_at(self, tok: Token) -> list[str] | None:
        for a in self.athletes:
            if a.start <= tok.idx < a.end:
                return [a.name]
        return None

    def _refer(self, tok: Token) -> list[str] | None:
        """The athletes a subject, possessor or agent token stands for; [] for a person or thing
        that is not an athlete; None when it cannot tell."""
        named = self._athlete_at(tok)
        if named:
            conj = [a for c in tok.conjuncts for a in (self._athlete_at(c) or [])]
            if (self.event or "").endswith("relay"):  # every runner named as the subject ran it
                return list(dict.fromkeys(self._listed_from(tok.idx) + conj))
            return named + conj if self._shared(tok) else named
        for child in tok.children:
            if child.dep_ in ("appos", "compound") and self._athlete_at(child):
                return self._athlete_at(child)
        word = tok.lower_
        if word in MARK_NOUNS:  # "Her best for that distance is 4:01.11": the best's possessor
            owners = [c for c in tok.children if c.dep_ == "poss" and c.ent_type_ not in PLACES]
            if owners:
                return self._refer(owners[0])
        if word in FIRST_PERSON:
            return self._speaker(tok.idx)
        if word in PRONOUNS:
            return self._pronoun(tok.idx, PRONOUNS[word])
        if word in RELATIVE and tok.head.dep_ == "relcl":
            return self._refer(tok.head.head)
        if word == "whose":  # "Edwards, whose world record of 18.29m has stood since 1995"
            clause = tok
            for _ in range(4):
                clause = clause.head
                if clause.dep_ == "relcl":
                    return self._refer(clause.head)
            before = self._before(tok.idx)  # the parse hung the clause elsewhere: the name before the comma
            if before and re.fullmatch(r"\s*,\s*", self.text[before.end:tok.idx]):
                return [before.name]
        if word in TEAM_WORDS:
            return self._team(tok)
        if word in PAIR_WORDS and any(t.lower_ in ("both", "pair", "two", "duo") for t in tok.subtree):
            return self._pair(tok.idx)  # "Both men were given 9.79"
        if tok.pos_ in ("NOUN", "PROPN", "ADJ") and (tok.left_edge.lower_ == "the" or
                                                     any(c.lower_ == "the" for c in tok.children)) \
                and tok.ent_type_ not in ("GPE", "ORG", "LOC", "FAC"):
            national = self._national(tok)
            if national:
                return national  # "In Athens the Swede long jumped 6.78m": the Swedish athlete named last
            return self._topic(tok.idx)  # "the 22-year-old Ukrainian", "the Norwegian", "the champion"
        if any(s <= tok.idx < e for s, e in self.others) or tok.ent_type_ in ("GPE", "ORG", "LOC", "FAC"):
            return []
        return [] if tok.ent_type_ == "NORP" else None

    def _national(self, tok: Token) -> list[str] | None:
        """A description by nationality ("the Swede", "the 22-year-old Ethiopian"): the last athlete
        named before it whose country the word gives; None when the words give no nationality or
        no athlete before fits it."""
        from trackwire.nlp.refer import demonyms

        words = {t.lower_ for t in self.doc[tok.left_edge.i:tok.i + 1]}
        codes = set().union(*(demonyms().get(w, frozenset()) for w in words))
        if not codes:
            return None
        fit = [a for a in self.athletes if a.end <= tok.idx and a.country in codes]
        return [fit[-1].name] if fit else None

    def _pair(self, pos: int) -> list[str] | None:
        """The two athletes named in the sentence before ("... Lyles ... beating Thompson. Both men ...")."""
        previous = previous_sentence(self.text, sentence_bounds(self.text, pos)[0])
        if previous is None:
            return None
        names = list(dict.fromkeys(a.name for a in self.athletes if previous[0] <= a.start < previous[1]))
        return names if len(names) == 2 else None

    def _shared(self, tok: Token) -> bool:
        return any(w.lower_ in ("both", "all", "each") for w in tok.sent)

    def _speaker(self, pos: int) -> list[str] | None:
        for s, e, speaker in self.quotes:
            if s <= pos < e:
                return [speaker] if speaker and any(a.name == speaker for a in self.athletes) else []
        return None

    def _pronoun(self, pos: int, sex: str) -> list[str] | None:
        earlier = [a for a in self.athletes if a.end <= pos and a.sex in (None, sex)
                   and not any(s <= a.start < e for s, e, _ in self.quotes)]
        return [earlier[-1].name] if earlier else None

    def _topic(self, pos: int) -> list[str] | None:
        """The athlete the story was last about: the first athlete of the latest sentence naming one,
        if they compete in the mark's event as far as the registry knows."""
        lo, _ = sentence_bounds(self.text, pos)
        named = [a for a in self.athletes if lo <= a.start < pos]  # "Thompson delivered ..., the Jamaican hopeful"
        while not named and lo > 0:
            prev_lo, _ = sentence_bounds(self.text, lo - 1)
            named = [a for a in self.athletes if prev_lo <= a.start < lo]
            lo = prev_lo
        if named:
            return [named[0].name] if self._fits(named[0]) else None
        return None

    def _fits(self, athlete: Named) -> bool:
        return self.event is None or compatible(self.event, athlete.events)

    def _team(self, tok: Token) -> list[str]:
        """"The Irish team formed by A, B, C and D": every athlete named in the sentence before the
        verb; "also comprising X, Y and Z" adds the athlete the story is about."""
        sent = tok.sent
        verb = tok.head
        named = [a.name for a in self.athletes if sent.start_char <= a.start < verb.idx]
        if "also" in self.text[tok.idx:verb.idx].lower().split():
            topic = self._topic(sent.start_char) or []
            named = [n for n in topic if n not in named] + named
        return named

    def _relay_team(self, start: int) -> list[str] | None:
        """A relay time goes to every athlete the sentence names as the team before the mark:
        "The Irish team formed by A, B, C and D won ... in 3:09.92"; "also comprising X, Y and Z"
        adds the athlete the story is about."""
        lo, _ = sentence_bounds(self.text, start)
        head = self.text[lo:start]
        named = [a for a in self.athletes if lo <= a.start < start]
        listed = _LISTED.search(self.text[named[0].start:named[-1].end]) if len(named) >= 2 else None
        if len({a.name for a in named}) < 2 or not (listed or re.search(r"\b(?:team|quartet|squad|foursome|"
                                                                         r"comprising|formed by|made up of)\b", head, re.I)):
            return None
        between = self.doc.char_span(named[-1].end, start, alignment_mode="contract")
        if re.search(r"\b(?:ahead of|beat|beating|behind|from|while|whereas)\b", self.text[named[-1].end:start], re.I) \
                or (between is not None and any(t.ent_type_ in ("GPE", "NORP", "ORG") for t in between)):
            return None  # "..., with Jamaica claiming silver in 3:20.88": another team's time
        names = list(dict.fromkeys(a.name for a in named))
        if re.search(r"\balso\b", head, re.I):
            topic = self._topic(lo) or []
            names = [n for n in topic if n not in names] + names
        return names

    def _relay_team_after(self, start: int, end: int) -> list[str] | None:
        """A team's relay time with its runners named after it: "Italy were second in 3:00.41, anchored
        by Dario Ferro"; "Poland won in 42.61, with Ewa Sobek holding on after changes from A, B and C".
        Only where no athlete comes before the mark in its sentence (the subject is the team), and
        never a runner named after "ahead of", "beating", "behind" (another team's)."""
        lo, hi = sentence_bounds(self.text, start)
        if any(lo <= a.start < start for a in self.athletes):
            return None
        tail = self.text[end:hi]
        cue = _TEAM_AFTER.search(tail)
        if cue is None or _OTHER_TEAM.search(tail[:cue.start()]):
            return None
        stop = _OTHER_TEAM.search(tail, cue.end())
        limit = end + (stop.start() if stop else len(tail))
        names = [a.name for a in self.athletes if end + cue.start() <= a.start < limit]
        return list(dict.fromkeys(names)) or None

    def _object(self, a: Named) -> bool:
        """The mention is the object of a verb or a preposition ("held off Bruno Lacasse to win")."""
        span = self.doc.char_span(a.start, a.end, alignment_mode="expand")
        return span is not None and span.root.dep_ in ("dobj", "pobj", "iobj")

    def _described(self, lo: int, start: int) -> bool:
        """The sentence opens with a description as its subject: "The 22-year-old hit the front ..."."""
        span = self.doc.char_span(lo, start, alignment_mode="contract")
        if span is None or not len(span) or span[0].lower_ != "the":
            return False
        for tok in span[1:10]:
            if (tok.tag_ in ("VBD", "VBZ", "VBN") and tok.pos_ == "VERB") or tok.lower_ in ATHLETIC_VERBS:
                return True
            if tok.lower_ in ("from", "of") and tok.i + 1 < len(tok.doc) and tok.nbor().pos_ == "PROPN":
                continue  # "The 29-year-old from Bath clocked 6.56"
            if tok.pos_ in ("VERB", "AUX", "ADP", "PUNCT") and tok.text not in "-":
                return False
        return False

    # ------------------------------------------------------------ 5: fallback

    def _only_name(self, start: int, end: int) -> list[str] | None:
        lo, hi = sentence_bounds(self.text, start)
        if not any(lo <= a.start < start for a in self.athletes) and self._described(lo, start):
            return self._topic(lo)  # "The 29-year-old clocked 1:18:55"
        before = {a.name: a for a in self.athletes if lo <= a.start < start and not self._object(a)}
        after = [a for a in self.athletes if end <= a.start < hi]
        if len(before) == 1 and not after and self._fits(next(iter(before.values()))):
            return list(before)
        return None


def _main_clause(verb: Token) -> bool:
    """The root, or a verb joined to it by "and"/"but" ("...; McLaughlin-Levrone has powered ...")."""
    while verb.dep_ == "conj" and verb.head.i != verb.i:
        verb = verb.head
    return verb.dep_ == "ROOT"
