"""Performances by kind of writing (issue 12), on stories written for these tests, through the real model.

Each case is a short story in the shape of a kind of athletics writing and the exact set of
(athlete, event, mark) it states. Names are invented unless the kind needs a registry athlete.
"""

from __future__ import annotations

import pytest

from trackwire.nlp.pipeline import tag_texts


def performances(nlp, text: str) -> set[tuple[str, str, str]]:
    (tags,) = tag_texts(nlp, [text])
    return {(p["athlete"], p["event"], p["mark"]) for p in tags["performances"]}


CASES = [
    ("300m-hurdles-is-its-own-event",
     "Hurdles in Oslo\n\nTomas Ferrand ran 33.05 in the 300m hurdles, a World Athletics event since 2025.",
     {("Tomas Ferrand", "300m hurdles", "33.05")}),
    ("owner-is-the-clause-subject",
     "Ferrand wins in Lyon\n\nTomas Ferrand held off Bruno Lacasse to win the 800m in 1:45.10.",
     {("Tomas Ferrand", "800m", "1:45.10")}),
    ("relative-clause-is-not-the-owner",
     "Indoor 1500m\n\nOwen Barlow, who broke Marcus Hale's meeting record last winter, was second in the 1500m "
     "in 3:36.40.",
     {("Owen Barlow", "1500m", "3:36.40")}),
    ("second-clause-subject",
     "Sprint double\n\nLena Voss won the 200m in 22.81 and her team-mate Carla Brandt was second in 22.95.",
     {("Lena Voss", "200m", "22.81"), ("Carla Brandt", "200m", "22.95")}),
    ("results-line-with-country",
     "Women's 5000m final\n\nResults:\n1. Ann Leto (KEN) 14:05.22, 2. Mira Sadek (ETH) 14:07.90, "
     "3. Jo Pell (GBR) 14:12.01",
     {("Ann Leto", "5000m", "14:05.22"), ("Mira Sadek", "5000m", "14:07.90"), ("Jo Pell", "5000m", "14:12.01")}),
    ("results-line-under-an-event-label",
     "County championships\n\n100m: Sam Odell 10.31 (+0.4); 200m: Kit Marsh 21.02",
     {("Sam Odell", "100m", "10.31"), ("Kit Marsh", "200m", "21.02")}),
    ("results-line-with-club",
     "Club long jump\n\nThe long jump went to Ada Reedman (Belgrave) 6.21m ahead of Pia Lorne (Shaftesbury) 6.02m.",
     {("Ada Reedman", "long jump", "6.21m"), ("Pia Lorne", "long jump", "6.02m")}),
    ("mark-in-brackets-after-a-name",
     "200m heats\n\nKenji Arata (20.31) and Bo Lindqvist (20.44) were the fastest 200m qualifiers.",
     {("Kenji Arata", "200m", "20.31"), ("Bo Lindqvist", "200m", "20.44")}),
    ("both-in-brackets",
     "100m heats\n\nThe quickest 100m heat winners were Dev Rao and Ian Cole (both 10.12).",
     {("Dev Rao", "100m", "10.12"), ("Ian Cole", "100m", "10.12")}),
    ("mark-inside-a-quote-stated-as-the-speakers-own",
     "Hammer thrower eyes the final\n\nPetra Lind reached the hammer final. \"Last summer I threw my PB of "
     "71.18 and I know there is more in me,\" said Lind.",
     {("Petra Lind", "hammer throw", "71.18")}),
    ("a-named-athletes-mark-inside-a-quote",
     "Coach on the 1500m\n\nThe coach said: \"Kerr's PB of 3:27.79 is from the Olympic final, so he knows he can "
     "run fast in the 1500m.\"",
     {("Josh Kerr", "1500m", "3:27.79")}),
    ("a-series-of-heights",
     "Vault\n\nMaria Solberg cleared 4.50m, 4.60m and 4.70m in the pole vault before three failures at 4.80m.",
     {("Maria Solberg", "pole vault", "4.50m"), ("Maria Solberg", "pole vault", "4.60m"),
      ("Maria Solberg", "pole vault", "4.70m")}),
    ("relay-time-for-each-named-runner",
     "Relay gold\n\nThe Irish quartet of Aoife Ryan, Cara Moss, Niamh Byrne and Sile Walsh won the 4x400m relay "
     "in 3:24.51, ahead of Poland (3:25.10).",
     {("Aoife Ryan", "4x400m relay", "3:24.51"), ("Cara Moss", "4x400m relay", "3:24.51"),
      ("Niamh Byrne", "4x400m relay", "3:24.51"), ("Sile Walsh", "4x400m relay", "3:24.51")}),
    ("relay-leg-splits-are-not-performances",
     "Relay legs\n\nCara Moss ran the second leg in 50.95 for Ireland in the 4x400m relay.",
     set()),
    ("combined-event-discipline-and-total",
     "Decathlon day one\n\nJonas Vedder opened the decathlon with 10.61 in the 100m and finished the two days "
     "on 8,344 points.",
     {("Jonas Vedder", "100m", "10.61"), ("Jonas Vedder", "decathlon", "8,344 points")}),
    ("cross-country-time",
     "Cross country\n\nRuth Kiprop won the senior women's cross country race in 33:12.",
     {("Ruth Kiprop", "cross country", "33:12")}),
    ("para-class-is-an-attribute-of-the-event",
     "Paralympic sprint\n\nLeo Marant won the men's 100m T35 final in 12.41, a Paralympic record.",
     {("Leo Marant", "100m", "12.41")}),
    ("threshold-is-not-a-performance",
     "Preview\n\nHelen Okafor wants to become the first Irish woman under 4:00 for the 1500m this summer.",
     set()),
    ("target-is-not-a-performance",
     "Preview\n\nMarek Olsen is aiming for 8.20m in the long jump in Rome.",
     set()),
    ("the-old-record-belongs-to-its-holder-not-the-breaker",
     "Record falls\n\nSara Ben won the 3000m steeplechase in 8:59.10, beating the meeting record of 9:01.20 set "
     "by Nina Kruse in 2019.",
     {("Sara Ben", "3000m steeplechase", "8:59.10"), ("Nina Kruse", "3000m steeplechase", "9:01.20")}),
    ("the-sentence-says-which-of-two-forms-of-an-event",
     "Road and track\n\nJon Kapp ran 27:41.33 for 10,000m on the track in May, and in September he ran the "
     "Valencia 10km road race in 27:05.",
     {("Jon Kapp", "10000m", "27:41.33"), ("Jon Kapp", "10km road", "27:05")}),
    ("a-description-is-the-athlete-the-story-is-about",
     "Marathon win\n\nAbel Tesfaye won the Hamburg Marathon on Sunday. The 27-year-old Ethiopian crossed the line "
     "in 2:05:44.",
     {("Abel Tesfaye", "marathon", "2:05:44")}),
    ("a-pronoun-is-the-last-subject",
     "Indoor 60m\n\nNia Forde won her heat easily. In the final she clocked 7.08 to win the 60m.",
     {("Nia Forde", "60m", "7.08")}),
    ("a-user-story-with-a-discus-winner",
     "Discus\n\nKristjan Čeh won the discus with 70.02m.",
     {("Kristjan Čeh", "discus throw", "70.02m")}),
    ("a-split-through-a-point-of-the-race",
     "5000m\n\nEva Holm went through 3000m in 8:50.12 and won the 5000m in 14:41.80.",
     {("Eva Holm", "5000m", "14:41.80")}),
    ("her-best-for-that-distance",
     "Indoor mile\n\nIfeoma Nwosu won the mile in 4:18.62 in Boston. She will run the 1500m at the world "
     "indoors. Her best for that distance is 4:01.11, set last summer.",
     {("Ifeoma Nwosu", "mile", "4:18.62"), ("Ifeoma Nwosu", "1500m", "4:01.11")}),
    ("a-past-race-in-a-who-clause-is-not-the-paragraphs-race",
     "Indoor mile\n\nIfeoma Nwosu won the mile in 4:18.62 in Boston.\n\nThe 23-year-old, who was fifth in the "
     "1500m at the worlds last summer, sat behind Kate Ellis until the bell. Ellis was second in 4:19.30.",
     {("Ifeoma Nwosu", "mile", "4:18.62"), ("Kate Ellis", "mile", "4:19.30")}),
    ("an-aside-about-the-marks-own-athlete-names-its-event",
     "Hammer ban\n\nHammer thrower Ivo Kral has been banned for two years.\n\nHis team-mate Pal Veres, who lost "
     "his Olympic discus title last year, is serving a similar ban. Veres had thrown 68.93m in the final.",
     {("Pal Veres", "discus throw", "68.93m")}),
    ("whose-record-is-the-antecedents",
     "Triple jump\n\nJon Edge, whose world record of 18.09m has stood since 1998, says Ike Dowd can beat it.",
     {("Jon Edge", "triple jump", "18.09m")}),
    ("a-description-with-a-home-town-as-the-subject",
     "Indoor 60m\n\nJason Garde won the 60m in Glasgow.\n\nThe 29-year-old from Bath clocked 6.56 seconds, the "
     "quickest time by a European this winter.",
     {("Jason Garde", "60m", "6.56 seconds")}),
    ("relay-runners-named-as-the-subject-all-ran-it",
     "Relay gold\n\nMarc Devon, Jay Garde, Dan Camp and Mark Lewis stunned the Americans, clocking 38.07 seconds "
     "to win the 4x100m relay.",
     {(n, "4x100m relay", "38.07 seconds") for n in ("Marc Devon", "Jay Garde", "Dan Camp", "Mark Lewis")}),
    ("failed-attempts-at-a-height-are-no-performance",
     "Vault\n\nYana Isak failed in three attempts at a world record 4.90m but won the pole vault at 4.80m.",
     {("Yana Isak", "pole vault", "4.80m")}),
    ("marks-in-training-are-no-performance",
     "Javelin\n\nCara Klein won the javelin with 48.20m. \"She threw over 50 metres several times in training in "
     "March,\" her coach said.",
     {("Cara Klein", "javelin throw", "48.20m")}),
    ("a-last-lap-duel-is-no-split",
     "Glasgow\n\nAl Cragan of Ireland took the 3000m in 7:38.59 after a last-lap duel with Craig Mott.",
     {("Al Cragan", "3000m", "7:38.59")}),
    ("a-nationality-description-is-the-athlete-of-that-country",
     "Heptathlon\n\nSweden's Cara Lund leads the heptathlon.\n\nAmerican Jo Kerse is second. In the long jump the "
     "Swede jumped 6.78m.",
     {("Cara Lund", "long jump", "6.78m")}),
    ("an-event-named-by-its-verb",
     "Heptathlon\n\nCara Lund won the heptathlon. In Athens she long jumped 6.78m and ran the 200m in 23.27 seconds.",
     {("Cara Lund", "long jump", "6.78m"), ("Cara Lund", "200m", "23.27 seconds")}),
    ("a-place-with-the-mark-after-and",
     "Shot put\n\nDan Frye won the shot put with 22.10m. Lee Rata was second with 21.66 and Croatia's Filip Maric "
     "third with 21.30.",
     {("Dan Frye", "shot put", "22.10m"), ("Lee Rata", "shot put", "21.66"), ("Filip Maric", "shot put", "21.30")}),
    ("a-mark-before-and-a-new-clause-is-the-first-subjects",
     "Hammer\n\nTeo Rask won the hammer with 77.42 and Piet Jansma managed 75.90 in the same pool.",
     {("Teo Rask", "hammer throw", "77.42"), ("Piet Jansma", "hammer throw", "75.90")}),
    ("a-height-failed-is-no-performance",
     "Pole vault\n\nNina Sorel cleared 4.45m and 4.55m before failing at 4.65m in the pole vault.",
     {("Nina Sorel", "pole vault", "4.45m"), ("Nina Sorel", "pole vault", "4.55m")}),
    ("results-line-places-and-names-without-countries",
     "Heats\n\nMen's 200m heat 3: 1 Oskar Vehl 20.51 Q, 2 Tadeo Runa 20.66 Q, 3 Emil Skarr 20.93 q",
     {("Oskar Vehl", "200m", "20.51"), ("Tadeo Runa", "200m", "20.66"), ("Emil Skarr", "200m", "20.93")}),
    ("results-line-names-and-metres-after-an-event-label",
     "Throws\n\nWomen's discus: Greta Holm 63.05m, Lise Dahl 61.10m",
     {("Greta Holm", "discus throw", "63.05m"), ("Lise Dahl", "discus throw", "61.10m")}),
    ("a-standing-record-without-its-holder-is-nobodys",
     "Road race\n\nPia Lorne was fourth. The marathon course record of 2:05:40 was never in danger as Omar Sadiq "
     "won in 2:08:02.",
     {("Omar Sadiq", "marathon", "2:08:02")}),
    ("a-descriptor-before-the-name-is-not-part-of-it",
     "Decathlon\n\nDecathlete Rolf Amsel opened with 10.83 in the 100m and then reached 7.22m in the long jump.",
     {("Rolf Amsel", "100m", "10.83"), ("Rolf Amsel", "long jump", "7.22m")}),
    ("marks-after-a-possessive-or-whose-in-a-list",
     "Season lists\n\nIn the 400m hurdles, Kirsten Vale's 53.02 from Doha leads, and Mara Obi, whose 53.60 in "
     "Nairobi surprised many, is second.",
     {("Kirsten Vale", "400m hurdles", "53.02"), ("Mara Obi", "400m hurdles", "53.60")}),
    ("results-line-of-surnames-the-story-named-in-full",
     "Final\n\nJon Amesbury beat Tam Rudd and Lou Crane.\n\nMen's 100m: 1 Amesbury 10.25; 2 Rudd 10.31; 3 Crane 10.40",
     {("Jon Amesbury", "100m", "10.25"), ("Tam Rudd", "100m", "10.31"), ("Lou Crane", "100m", "10.40")}),
    ("standards-targets-and-obligations-are-not-performances",
     "Qualifying\n\nEda Voss threw 58.10m in the javelin but is short of the qualifying standard of 61.50m. "
     "Ros Leyland only had to run 4:40 in the 1500m, and her target of 2:50 in the 35km walk stands.",
     {("Eda Voss", "javelin throw", "58.10m")}),
    ("going-out-at-a-height-is-no-clearance",
     "Vault\n\nIn the pole vault Sam Ruel cleared 5.60m but went out at 5.75m.",
     {("Sam Ruel", "pole vault", "5.60m")}),
    ("us-race-numbers",
     "State meet\n\nAri Tolland ran away with the 1600 in 4:07.15 and won the 3200 in 9:01.40.",
     {("Ari Tolland", "1600m", "4:07.15"), ("Ari Tolland", "3200m", "9:01.40")}),
    ("tenths-before-split-or-leg-are-marks-not-performances",
     "Relay\n\nBritain won the 4x400m relay in 2:59.80. Ewan Holt ran a 44.9 split and Ray Dunn clocked 45.1 on "
     "the third leg.",
     set()),
    ("a-road-race-in-a-cross-country-story",
     "Chebet back\n\nLyn Chebet skipped the cross country season. She won a 10K race in Ponce in 31:10.",
     {("Lyn Chebet", "10km road", "31:10")}),
    ("a-team-time-with-its-runners-named-after-it",
     "Relays\n\nPoland won the women's 4x100m relay in 42.61, with Ewa Sobek holding off the Dutch anchor after "
     "changes from Ula Marek, Ada Wolny and Iga Pietr. Italy were second in the 4x400m relay in 3:00.41, anchored "
     "by Dario Ferro.",
     {("Ewa Sobek", "4x100m relay", "42.61"), ("Ula Marek", "4x100m relay", "42.61"),
      ("Ada Wolny", "4x100m relay", "42.61"), ("Iga Pietr", "4x100m relay", "42.61"),
      ("Dario Ferro", "4x400m relay", "3:00.41")}),
    ("a-lead-off-or-leg-time-is-a-split",
     "Relays\n\nTom Hale led off in 45.62 and Ray Dunn ran 44.80 on the third leg of the 4x400m relay.",
     set()),
    ("a-previous-best-was-is-the-possessors",
     "Powell\n\nAsafa Powell won the 100m in 9.80. His previous 100m best was 9.87.",
     {("Asafa Powell", "100m", "9.80"), ("Asafa Powell", "100m", "9.87")}),
    ("a-listed-series-keeps-each-disciplines-unit",
     "Decathlon\n\nViktor Lund opened with 10.91 in the 100m, 7.52m in the long jump, 2.04m in the high jump and "
     "48.36 in the 400m.",
     {("Viktor Lund", "100m", "10.91"), ("Viktor Lund", "long jump", "7.52m"), ("Viktor Lund", "high jump", "2.04m"),
      ("Viktor Lund", "400m", "48.36")}),
    ("gapped-list-of-names-and-marks",
     "Hurdles\n\nShay Little ran 53.55, Ann Cockburn 53.60 and Jaz Jonas 53.64 in the 400m hurdles.",
     {("Shay Little", "400m hurdles", "53.55"), ("Ann Cockburn", "400m hurdles", "53.60"),
      ("Jaz Jonas", "400m hurdles", "53.64")}),
    ("a-mark-after-her-in-the-event",
     "Sprint\n\nJulia Alf was first to post, minutes after her 10.78 in the 100m.",
     {("Julia Alf", "100m", "10.78")}),
    ("heights-asked-for-and-missed-are-no-performances",
     "Vault\n\nIn the pole vault Nils Brand went clear at 5.95m, then had the bar put up to 6.10m and missed three "
     "times. Ola Rask asked for 5.90m and failed three times. Ben Tolle no-heighted at 5.40m.",
     {("Nils Brand", "pole vault", "5.95m")}),
    ("a-height-needing-three-attempts-was-cleared",
     "Vault\n\nIn the pole vault Sven Aune was second at 5.82m, having needed three attempts at 5.70m.",
     {("Sven Aune", "pole vault", "5.82m"), ("Sven Aune", "pole vault", "5.70m")}),
    ("a-gapped-medal-and-time-after-and",
     "Walk\n\nOlek Hanuk took 20km silver in 1:19:35 and Spain's Dani Arcos bronze in 1:19:58 in the race walk.",
     {("Olek Hanuk", "20km race walk", "1:19:35"), ("Dani Arcos", "20km race walk", "1:19:58")}),
    ("a-record-held-by-someone-is-theirs",
     "Marathon\n\nRuth Koros won the marathon in 2:22:47, outside the 2:19:40 course record held by Mary Hailo.",
     {("Ruth Koros", "marathon", "2:22:47"), ("Mary Hailo", "marathon", "2:19:40")}),
    ("clubs-in-brackets-and-schools-before-a-role-are-not-athletes",
     "College\n\nOle Miss sophomore Jalen Pruett ran 44.61 in the 400m.\n\n200m: 1 Jo Etuk (Herne Hill) 20.80",
     {("Jalen Pruett", "400m", "44.61"), ("Jo Etuk", "200m", "20.80")}),
    ("a-bare-figure-after-a-result-verb",
     "Discus\n\nGreta Holm produced 63.05 in the third round to win the discus.",
     {("Greta Holm", "discus throw", "63.05")}),
]


@pytest.mark.parametrize("text,expected", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_performances_by_kind(nlp, text, expected):
    assert performances(nlp, text) == expected


def test_a_time_to_the_tenth_before_split_or_leg_is_a_mark(nlp):
    (tags,) = tag_texts(nlp, ["Relay\n\nBritain won the 4x400m relay in 2:59.80. Ewan Holt ran a 44.9 split and "
                              "Ray Dunn clocked 45.1 on the third leg. The club has 44.5 members."])
    assert [m["text"] for m in tags["marks"]] == ["2:59.80", "44.9", "45.1"]


def test_clubs_in_brackets_and_schools_before_a_role_are_not_athletes(nlp):
    (tags,) = tag_texts(nlp, ["College\n\nOle Miss sophomore Jalen Pruett ran 44.61 in the 400m.\n\n"
                              "200m: 1 Jo Etuk (Herne Hill) 20.80, 2 Tom Brenner (Blackheath) 20.96"])
    assert [a["name"] for a in tags["athletes"]] == ["Jalen Pruett", "Jo Etuk", "Tom Brenner"]


def test_names_after_a_role_word_or_in_a_list_of_runners_are_athletes(nlp):
    (tags,) = tag_texts(nlp, ["Relay\n\nBen Kiptoo broke clear of compatriot Moses Lang after 15km. Ole Miss thrower "
                              "Keza Aman won the discus. Poland won the 4x100m relay in 42.61, with Ewa Swoboda "
                              "anchoring after changes from Julia Wrzos, Nata Wierzb and Zuza Pietr."])
    names = {a["name"] for a in tags["athletes"]}
    assert {"Moses Lang", "Keza Aman", "Julia Wrzos", "Nata Wierzb", "Zuza Pietr"} <= names
