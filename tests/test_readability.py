"""Reading grades: healthkit's own formulas against textstat 0.7.4, which it used before.

``REFERENCE`` holds textstat 0.7.4's SMOG and Flesch-Kincaid grades for the whole text and
every section of the six catalogue conditions as they were when healthkit replaced textstat
(textstat 0.7.4 imports ``pkg_resources``, which new setuptools and Python 3.12+ lack). The
texts are frozen in tests/fixtures/readability/texts.json, so later content edits do not
change what is compared. Both were produced by tests/fixtures/readability/textstat_reference.py
(``extract`` with healthkit, then ``grade`` in a throwaway Python 3.11 venv with
``setuptools<70 textstat==0.7.4 pyphen==0.18.1``); its docstring has the commands.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from healthkit.content.readability import flesch_kincaid, measure, sentence_count, smog, syllables

TEXTS = json.loads((Path(__file__).parent / "fixtures" / "readability" / "texts.json").read_text(encoding="utf-8"))
TOLERANCE = 0.3

# textstat 0.7.4, pyphen 0.18.1, Python 3.11.7
# (condition, part): (SMOG or None, Flesch-Kincaid)
REFERENCE = {
    ('back-spasms', 'whole'): (6.5, 2.9),
    ('back-spasms', 'types'): (6.4, 3.2),
    ('back-spasms', 'causes'): (6.8, 2.8),
    ('back-spasms', 'symptoms'): (7.0, 2.7),
    ('back-spasms', 'diagnosis'): (7.4, 4.4),
    ('back-spasms', 'prevention'): (6.0, 2.6),
    ('back-spasms', 'treatments'): (7.2, 4.2),
    ('back-spasms', 'home_remedies'): (5.1, 2.7),
    ('endometriosis', 'whole'): (6.7, 2.9),
    ('endometriosis', 'types'): (7.2, 3.2),
    ('endometriosis', 'causes'): (5.3, 2.2),
    ('endometriosis', 'symptoms'): (5.9, 2.0),
    ('endometriosis', 'diagnosis'): (6.1, 3.1),
    ('endometriosis', 'prevention'): (6.2, 2.7),
    ('endometriosis', 'treatments'): (6.5, 3.1),
    ('endometriosis', 'home_remedies'): (7.8, 4.0),
    ('iron-deficiency-anaemia', 'whole'): (6.5, 3.3),
    ('iron-deficiency-anaemia', 'types'): (6.3, 2.5),
    ('iron-deficiency-anaemia', 'causes'): (6.3, 4.1),
    ('iron-deficiency-anaemia', 'symptoms'): (7.2, 4.0),
    ('iron-deficiency-anaemia', 'diagnosis'): (5.1, 2.7),
    ('iron-deficiency-anaemia', 'prevention'): (7.4, 3.7),
    ('iron-deficiency-anaemia', 'treatments'): (6.9, 3.1),
    ('iron-deficiency-anaemia', 'home_remedies'): (3.1, 3.8),
    ('menopause', 'whole'): (6.9, 2.4),
    ('menopause', 'types'): (6.7, 1.7),
    ('menopause', 'causes'): (6.6, 1.6),
    ('menopause', 'symptoms'): (6.6, 2.4),
    ('menopause', 'diagnosis'): (6.6, 2.9),
    ('menopause', 'prevention'): (6.5, 1.9),
    ('menopause', 'treatments'): (5.7, 2.1),
    ('menopause', 'home_remedies'): (7.3, 2.8),
    ('migraine', 'whole'): (6.4, 4.1),
    ('migraine', 'types'): (5.1, 2.4),
    ('migraine', 'causes'): (7.6, 4.5),
    ('migraine', 'symptoms'): (6.0, 3.9),
    ('migraine', 'diagnosis'): (6.2, 3.8),
    ('migraine', 'prevention'): (6.7, 3.4),
    ('migraine', 'treatments'): (5.9, 3.3),
    ('migraine', 'home_remedies'): (5.7, 2.9),
    ('urinary-tract-infection', 'whole'): (7.5, 4.0),
    ('urinary-tract-infection', 'types'): (7.4, 3.8),
    ('urinary-tract-infection', 'causes'): (6.8, 3.3),
    ('urinary-tract-infection', 'symptoms'): (7.9, 4.6),
    ('urinary-tract-infection', 'diagnosis'): (7.2, 4.0),
    ('urinary-tract-infection', 'prevention'): (7.4, 3.9),
    ('urinary-tract-infection', 'treatments'): (7.6, 3.3),
    ('urinary-tract-infection', 'home_remedies'): (6.7, 3.9),
}


def test_the_reference_covers_every_frozen_text() -> None:
    frozen = {(cid, part) for cid, parts in TEXTS.items() for part in parts}
    assert frozen == set(REFERENCE)
    assert len({cid for cid, _ in REFERENCE}) == 6
    assert {part for _, part in REFERENCE} == {"whole", "types", "causes", "symptoms", "diagnosis", "prevention", "treatments", "home_remedies"}


@pytest.mark.parametrize(("condition", "part"), sorted(REFERENCE))
def test_grades_match_textstat_0_7_4(condition: str, part: str) -> None:
    expected_smog, expected_fk = REFERENCE[condition, part]
    level = measure(TEXTS[condition][part])
    assert abs(level.flesch_kincaid - expected_fk) <= TOLERANCE
    if expected_smog is None:
        assert level.smog is None
    else:
        assert level.smog is not None and abs(level.smog - expected_smog) <= TOLERANCE
    assert abs(level.grade - max(expected_fk, expected_smog or 0.0)) <= TOLERANCE


def test_syllables_come_from_the_hyphenation_dictionary() -> None:
    assert syllables("cat") == 1
    assert syllables("Water, water!") == 4
    assert syllables("hospital") == 3
    assert syllables("physiotherapy") > syllables("therapy")


def test_short_sentences_are_not_counted_and_smog_needs_three() -> None:
    assert sentence_count("Rest. Keep moving gently every day. Stop.") == 1
    text = "The cat sat on the mat. It was a warm day. The sun was out."
    assert measure(text).smog is not None
    assert measure("The cat sat on the mat. It was warm.").smog is None


def test_harder_words_and_longer_sentences_raise_the_grade() -> None:
    easy = "Drink water. Rest your back. Walk a bit each day. Ask a nurse if it hurts."
    hard = (
        "Musculoskeletal inflammation necessitates individualised physiotherapeutic rehabilitation, "
        "incorporating progressive mobilisation alongside pharmacological analgesia administered appropriately."
    )
    assert flesch_kincaid(hard) > flesch_kincaid(easy) + 10
    assert smog(hard + " " + hard + " " + hard) > smog(easy)


def test_no_download_and_no_pkg_resources() -> None:
    """The measure works offline and never imports setuptools' pkg_resources."""
    import subprocess

    code = (
        "import sys, socket\n"
        "def refuse(*a, **k): raise OSError('network used')\n"
        "socket.socket.connect = refuse\n"
        "sys.modules['pkg_resources'] = None\n"
        "from healthkit.content.readability import measure\n"
        "print(measure('Rest your back. Walk a little each day. Ask a pharmacist about pain relief.').grade)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert float(out.stdout) > 0
