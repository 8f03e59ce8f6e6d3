"""One definition per concept: sections, quiz kinds, editions, safety tiers, regions, formats.

Everything that lists these reads them from here: the content model and its JSON Schema,
``check``, the lesson and its widget (which receives the quiz-kind table and the edition's
``shows_answers`` as data), the build and its output folders, the command line's choices and
help, the workshop pack and the docs.

What adding an entry involves:

- A quiz kind, a region, an edition or a quiz format: the entry below, plus, for a quiz kind,
  its name in the :data:`QuestionType` ``Literal`` (type checkers need the names written
  out) and, for a quiz format, its writer in :data:`healthkit.exporters.lms.WRITERS`.
  ``tests/test_registry.py`` fails until each of these agrees with the table.
- A section: the entry in :data:`SECTIONS`, its name in the :data:`SectionName` ``Literal``,
  a field of :class:`healthkit.model.Sections` (the content format, one field per section),
  and its two cells in the lesson template (``notebooks/lesson.ipynb``:
  ``lesson.section("name")`` then ``lesson.section_quiz("name")``, in reading order), which
  stay cells of their own so each section can be run, read and tested apart. Content files
  then need the new section. ``tests/test_registry.py`` fails until the Literal, the
  dataclass and the template agree with :data:`SECTIONS`.

This module imports nothing from healthkit, so every layer can use it.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType
from typing import Literal, Mapping, Protocol, TypeVar


class _Named(Protocol):
    @property
    def name(self) -> str: ...


N = TypeVar("N", bound=_Named)


def _table(*entries: N) -> Mapping[str, N]:
    """A read-only table of ``entries`` by name, in the order given."""
    return MappingProxyType({entry.name: entry for entry in entries})


# -- sections ------------------------------------------------------------------------------
SectionName = Literal["types", "causes", "symptoms", "diagnosis", "prevention", "treatments", "home_remedies"]


@dataclass(frozen=True)
class SectionSpec:
    name: str
    title: str
    #: Whether the section gives advice a reader acts on (a wrong quiz option may not repeat it).
    advice: bool = False
    #: How publishers head this section: regular expressions ``healthkit import`` looks for
    #: anywhere in a heading, lower-cased, with the condition's name taken out ("What causes
    #: eczema?", "Check if you have tonsillitis", "Lifestyle and home remedies").
    headings: tuple[str, ...] = ()


SECTIONS: Mapping[str, SectionSpec] = _table(
    SectionSpec("types", "Types", headings=(
        r"\btypes?\b", r"\bkinds?\b", r"\bforms? of\b", r"\bclassification\b", r"\bvariants?\b",
    )),
    SectionSpec("causes", "Causes", headings=(
        r"\bcaus", r"\brisk factors?\b", r"\btrigger", r"\bwho (is|are|gets?)\b.*\b(risk|likely)\b", r"\bwhy do\b",
        r"^who gets\b", r"\bcatch\b", r"\bhow (is|are) (it|they|\w+) (spread|passed on|caught)\b",
        r"\bhow (does|do|did|can) (it|they|\w+) spread\b", r"^how [\w ]{1,30} spreads$", r"\bwhy (does|do) (it|they|\w+) (build up|happen|develop|start|occur)\b",
    )),
    SectionSpec("symptoms", "Symptoms", headings=(
        r"\bsymptoms?\b", r"\bsigns?\b", r"\bcheck if\b", r"\bhow (do|can|will) (i|you) (know|tell)\b",
        r"\bwhat does .* (look|feel) like\b", r"\blook(ing)? out for\b", r"\bwhat to look for\b", r"\bhow to tell\b",
    )),
    SectionSpec("diagnosis", "Diagnosis", headings=(
        r"\bdiagnos", r"\btests?\b", r"\btest(ed|ing)\b", r"\bexams?\b", r"\bscreening\b",
        r"\bhow (we|a gp|the gp|your gp|a doctor|the doctor|your doctor|doctors|a nurse)\b.*\bchecks?\b",
        r"\bhow (will )?(we|they|the \w+|a \w+|your \w+) (will )?(check|assess|examine|test)\b", r"\bassess(ment|ing)?\b",
    )),
    SectionSpec("prevention", "Prevention", advice=True, headings=(
        r"\bprevent", r"\bavoid", r"\breduc\w* (your|the) risk\b", r"\blower\w* (your|the) risk\b", r"\bstop\w* .*spread",
        r"\bstop\w* .*coming back\b", r"\bstop\w* (my|your|them|it|\w+) .*\bagain\b", r"\bexclusion\b",
    )),
    SectionSpec("treatments", "Treatments", advice=True, headings=(
        r"\btreat", r"\bmanag(e|ement|ing)\b", r"\bmedicines?\b", r"\bmedications?\b", r"\btherap(y|ies)\b",
        r"\bsurgery\b", r"\bcures?\b", r"\bwhat can (a|your|the) (doctor|gp|nurse|specialist) do\b",
        r"\bhow (a|your|the) (doctor|gp|nurse|specialist) can help\b",
        r"\bwhat (your|a|the) (gp|doctor|nurse|podiatrist|pharmacist|specialist|physio\w*)\b.*\b(do|offer|suggest)\b",
    )),
    SectionSpec("home_remedies", "Home remedies", advice=True, headings=(
        r"(?<!stay )(?<!stay at )(?<!staying )\bhome\b(?! from)", r"\bremed", r"\bself[- ]?(care|help|management)\b", r"\byourself\b", r"\bthings (you|to) (can )?(do|try)\b",
        r"\blifestyle\b", r"\bliving with\b", r"\bcoping\b", r"\blook(ing)? after\b", r"\bease\b", r"\btips\b",
        r"\bwhat (can|could) (i|you) do\b", r"\bwhat you can do\b", r"\b(do|try) at home\b",
    )),
)
#: Sections a heading that matches several is read as first, whatever the order of its words:
#: "Home treatment" and "Managing IBS yourself" are home remedies, not treatments.
SECTION_PRECEDENCE: tuple[str, ...] = ("home_remedies",)

# -- quiz kinds ----------------------------------------------------------------------------
#: The kinds authors write in content files.
QuestionType = Literal["single", "multiple", "true_false"]
#: Every kind a quiz holds: the authored ones and those healthkit writes itself.
KindName = Literal["single", "multiple", "true_false", "triage"]


@dataclass(frozen=True)
class QuizKind:
    name: str
    doc: str
    #: The form control the widget draws: one per option, or (``select``) one list of
    #: targets per item to sort (a triage question's signs).
    input: Literal["radio", "checkbox", "select"]
    #: Said once per question, under the prompt.
    hint: str
    #: How many options must be correct: "one" or "some" (at least one).
    correct: Literal["one", "some"]
    #: The question type in Moodle XML.
    moodle: str
    #: The ``question_type`` in IMS QTI 1.2, as Canvas reads it.
    qti: str
    #: The option texts every question of the kind has, in display order (true/false), or
    #: () when authors write their own options. ``check`` refuses any other texts.
    fixed_texts: tuple[str, ...] = ()
    #: Whether authors may write it in a content file (see :data:`QuestionType`); the others
    #: are written by healthkit from the lesson.
    authored: bool = True
    #: The SCORM interaction type a learning platform records answers of this kind as.
    scorm: str = "choice"

    @property
    def balanced(self) -> bool:
        """Whether the place of the right option is balanced across a lesson: one right
        option among options the author wrote (see :mod:`healthkit.quiz.order`)."""
        return self.correct == "one" and not self.fixed_texts

    def to_data(self) -> dict[str, object]:
        """What the browser widget needs to draw this kind (it grades every kind alike)."""
        return {"input": self.input, "hint": self.hint, "multiple": self.correct == "some" and self.input == "checkbox"}


QUIZ_KINDS: Mapping[str, QuizKind] = _table(
    QuizKind("single", "one right option", "radio", "Choose one answer.", "one", "multichoice", "multiple_choice_question"),
    QuizKind(
        "multiple", "one or more right options", "checkbox", "Choose all that apply.", "some", "multichoice",
        "multiple_answers_question",
    ),
    QuizKind(
        "true_false", "a statement that is true or false", "radio", "Choose True or False.", "one", "truefalse",
        "true_false_question", fixed_texts=("True", "False"),
    ),
    QuizKind(
        "triage", "signs from the lesson's safety tiers, each to be matched to where to get help", "select",
        "Choose where to get help for each sign.", "some", "matching", "matching_question", authored=False, scorm="matching",
    ),
)
#: The names of :data:`QUIZ_KINDS` authors may write (the :data:`QuestionType` literal).
AUTHORED_KINDS: tuple[str, ...] = tuple(name for name, kind in QUIZ_KINDS.items() if kind.authored)

# -- editions ------------------------------------------------------------------------------
@dataclass(frozen=True)
class EditionSpec:
    name: str
    doc: str
    #: Folder of the build output that holds this edition's notebooks.
    lesson_folder: str
    #: Folder of the build output that holds this edition's offline pages.
    page_folder: str
    #: Whether answer keys, facilitator notes and the answer sheet are shown.
    shows_answers: bool
    #: The browser storage key under which offline pages of this edition keep quiz answers,
    #: so the editions never share saved progress. Its version changes when the saved
    #: records change form: records under an older key are not read (see ``retired_stores``).
    progress_store: str
    #: Keys earlier versions kept answers under: never read, removed by "Forget my answers".
    retired_stores: tuple[str, ...] = ()
    #: Said in every lesson of this edition, just after the safety box ("" for none).
    notice: str = ""


EDITIONS_SPEC: Mapping[str, EditionSpec] = _table(
    EditionSpec(
        "learner", "for learners: quizzes with feedback, no answer key", "lessons", "site", False,
        "healthkit.progress.v2", ("healthkit.progress.v1",),
    ),
    EditionSpec(
        "teacher", "for educators: answer keys, facilitator notes and an answer sheet", "teacher", "teacher", True,
        "healthkit.teacher-progress.v2", ("healthkit.teacher-progress.v1",),
        notice="Teacher edition: answers and facilitator notes are shown.",
    ),
)
EDITIONS: tuple[str, ...] = tuple(EDITIONS_SPEC)
#: The edition whose pages make the course site: its page folder holds the index and
#: lessons.zip, and the index shows its progress.
SITE_EDITION = "learner"
#: Names a page folder gives to a page of its own (the course index): no lesson may take them.
RESERVED_IDS = frozenset({"index"})

# -- safety tiers --------------------------------------------------------------------------
TierName = Literal["emergency", "urgent", "see_doctor", "pharmacist"]


@dataclass(frozen=True)
class SafetyTier:
    name: str
    doc: str
    #: Whether a condition must have triggers in at least one of the ``required`` tiers.
    required: bool
    #: How articles say this tier, in any region ("Call 999", "go to the emergency room",
    #: "Immediate action required"): regular expressions ``healthkit import`` looks for,
    #: lower-cased, in the line or heading that leads into a list of signs. Tiers are tried
    #: most urgent first, so a line that names two is read as the more urgent.
    cues: tuple[str, ...] = ()


SAFETY_TIERS: Mapping[str, SafetyTier] = _table(
    SafetyTier("emergency", "Call the emergency number or go to an emergency department now.", True, cues=(
        r"\b(999|911|112|000|995)\b", r"\btriple zero\b", r"\b(the|an|nearest) (er|ed)\b", r"\ba ?& ?e\b", r"\bemergency (room|department|care|services?|help|number)\b",
        r"\bimmediate (action|help|medical)\b", r"\bambulance\b", r"\bseek emergency\b", r"(?<!non-)(?<!non )(?<!not an )\bemergency\b",
        r"\b(get|seek) (medical )?help (immediately|straight away|right now)\b",
    )),
    SafetyTier("urgent", "Get urgent advice today (an urgent appointment or an urgent-advice line).", True, cues=(
        r"\b111\b", r"(?<!non-)(?<!non )\burgent", r"\bsame[- ]day\b", r"\btoday\b", r"\bright away\b", r"\bas soon as (possible|you can)\b",
        r"\bout[- ]of[- ]hours\b", r"\b1800 022 222\b", r"\bwithin 24 hours\b", r"\bpromptly\b",
    )),
    SafetyTier("see_doctor", "Book a normal appointment with a doctor.", False, cues=(
        r"\bnon[- ]urgent\b", r"\bsee (a|your) (gp|doctor|healthcare provider|health ?care provider|provider|nurse)\b",
        r"\b(see|contact|call|talk to|talk with|speak to|speak with|check with|visit|tell|ask|book (in )?with) (a|your|the) (gp|doctor|healthcare provider|health ?care provider|provider|nurse|"
        r"practice nurse|school nurse|physiotherapist|physio|podiatrist|health centre|health center|surgery|practice|clinic)\b",
        r"\b(make|book) an appointment\b", r"\bwhen (to|should (i|you)) (see|contact|call)\b", r"\bmedical (advice|professional|care)\b",
        r"\bget (medical )?help\b", r"\bsee a doctor\b", r"\b(see|visit|book|make an appointment with) (a|an|your) (optician|optometrist|dentist|midwife|health visitor|physio\w*)\b",
        r"\b(book|make|get) (a|an) (routine |regular |normal |non-urgent )?(gp |doctor'?s? |nurse )?appointment\b",
    )),
    SafetyTier("pharmacist", "A pharmacist can help (optional).", False, cues=(r"\bpharmacist", r"\bpharmacy\b", r"\bchemist\b")),
)

# -- regions -------------------------------------------------------------------------------
@dataclass(frozen=True)
class Region:
    """How a region names its health services. Content text may use each field as a
    ``{placeholder}`` (see :data:`PLACEHOLDERS`); the tier headings use them too."""

    code: str
    name: str
    emergency_number: str
    emergency_department: str
    #: The urgent-advice route, as an instruction ("call NHS 111 or ...").
    urgent_help: str
    #: Who a routine appointment is with ("a GP", "your doctor").
    doctor: str
    crisis_line: str
    #: The everyday painkiller's name ("paracetamol"; in the US "acetaminophen (paracetamol)").
    paracetamol: str
    #: Tier headings, each ending in "if:".
    headings: Mapping[str, str]
    #: Words that name this region's own services or medicines ("NHS", "A&E", "911"): in a
    #: lesson built for another region, they must come from a placeholder or not be there.
    terms: tuple[str, ...] = ()

    @property
    def travel(self) -> str:
        """Said under the emergency tier, as NHS pages do: never drive yourself there."""
        return (f"Do not drive yourself to {self.emergency_department}: ask someone to drive you, "
                f"or call {self.emergency_number} and ask for an ambulance.")


def _region(code: str, name: str, number: str, department: str, urgent: str, doctor: str, crisis: str,
            urgent_heading: str, doctor_heading: str, paracetamol: str = "paracetamol", terms: tuple[str, ...] = ()) -> Region:
    headings = {
        "emergency": f"Call {number} or go to {department} now if:",
        "urgent": urgent_heading,
        "see_doctor": doctor_heading,
        "pharmacist": "A pharmacist can help if:",
    }
    return Region(code, name, number, department, urgent, doctor, crisis, paracetamol, MappingProxyType(headings), terms)


REGIONS: Mapping[str, Region] = MappingProxyType(
    {
        r.code: r
        for r in (
            _region("uk", "United Kingdom", "999", "A&E",
                    "call NHS 111 or ask for an urgent GP appointment", "a GP", "Samaritans on 116 123",
                    "Ask for an urgent GP appointment or call NHS 111 if:", "See a GP if:",
                    terms=("NHS", "A&E", "GP", "GPs", "999", "111", "chemist", "Pharmacy First", "NICE", "paracetamol")),
            _region("us", "United States", "911", "the emergency room",
                    "go to urgent care or call your doctor today", "your doctor",
                    "the 988 Suicide and Crisis Lifeline (call or text 988)",
                    "Go to urgent care or call your doctor today if:", "See your doctor if:",
                    paracetamol="acetaminophen (paracetamol)", terms=("911", "ER", "emergency room", "urgent care", "acetaminophen", "Tylenol")),
            _region("ie", "Ireland", "112 (or 999)", "the emergency department",
                    "contact your GP today, or the GP out-of-hours service when it is closed", "a GP",
                    "Samaritans on 116 123",
                    "Contact your GP today (out of hours: the GP out-of-hours service) if:", "See a GP if:",
                    terms=("HSE", "GP", "GPs", "112", "999", "paracetamol")),
            _region("au", "Australia", "000", "the emergency department",
                    "call healthdirect on 1800 022 222 or see a GP today", "a GP", "Lifeline on 13 11 14",
                    "Call healthdirect on 1800 022 222 or see a GP today if:", "See a GP if:",
                    terms=("healthdirect", "000", "triple zero", "GP", "GPs", "paracetamol")),
            _region("eu", "Other regions (generic, with 112)", "112", "the emergency department",
                    "get medical advice today from a doctor or an out-of-hours service", "a doctor",
                    "a local crisis line",
                    "Get medical advice today, from a doctor or an out-of-hours service, if:", "See a doctor if:",
                    terms=("112", "paracetamol")),
        )
    }
)

#: Text placeholders content may use, filled from the reader's :class:`Region`.
PLACEHOLDERS: tuple[str, ...] = ("emergency_number", "emergency_department", "urgent_help", "doctor", "crisis_line", "paracetamol")

#: Language tag -> region, when the build does not name one (tags match whatever their case).
LANGUAGE_REGIONS: Mapping[str, str] = MappingProxyType({"en-GB": "uk", "en-US": "us", "en-IE": "ie", "en-AU": "au"})
GENERIC_REGION = "eu"
_BY_LANGUAGE = {tag.casefold(): code for tag, code in LANGUAGE_REGIONS.items()}


def foreign_terms(region: str) -> tuple[str, ...]:
    """The words of other regions' services that a lesson built for ``region`` must not show."""
    own = set(REGIONS[region].terms)
    return tuple(sorted({t for r in REGIONS.values() for t in r.terms if t not in own}, key=str.lower))


def language_region(language: str) -> str | None:
    """The region a language tag names (``en-gb`` and ``en-GB`` alike), or None."""
    return _BY_LANGUAGE.get(language.casefold())


def default_region(language: str) -> str:
    """The region a condition's language implies (see :data:`LANGUAGE_REGIONS`), otherwise
    :data:`GENERIC_REGION` (112)."""
    return language_region(language) or GENERIC_REGION


def language_defaults() -> str:
    """"en-GB: uk, en-US: us, ..., otherwise eu", for help texts and docs."""
    return ", ".join(f"{tag}: {code}" for tag, code in LANGUAGE_REGIONS.items()) + f", otherwise {GENERIC_REGION}"


# -- output formats ------------------------------------------------------------------------
@dataclass(frozen=True)
class ExportFormat:
    """A file format ``healthkit export-quiz`` writes (its writer is in
    :data:`healthkit.exporters.lms.WRITERS`, under the same name)."""

    name: str
    doc: str
    #: File name inside a workshop pack.
    workshop_name: str


QUIZ_FORMATS: Mapping[str, ExportFormat] = _table(
    ExportFormat("gift", "Moodle's GIFT text format", "quizzes.gift"),
    ExportFormat("moodle-xml", "Moodle XML", "quizzes-moodle.xml"),
    ExportFormat("qti", "an IMS QTI 1.2 zip with imsmanifest.xml (Canvas imports it)", "quizzes-qti.zip"),
)


# -- learning-platform packages ------------------------------------------------------------
@dataclass(frozen=True)
class ScormStandard:
    """A SCORM version ``healthkit scorm`` packages lessons for."""

    name: str
    doc: str
    #: The run-time API object a page looks for in its parent frames and opener.
    api: str
    #: ``<schemaversion>`` in imsmanifest.xml.
    schemaversion: str
    #: Characters ``cmi.suspend_data`` holds; the saved answers must fit.
    suspend_data_limit: int
    #: Folder under ``healthkit/exporters/templates/scorm/schemas`` with the XML Schema files the
    #: standard wants at the root of every package.
    schemas: str
    #: "module:function" returning imsmanifest.xml for a package, imported only when used.
    manifest: str


SCORM_STANDARDS: Mapping[str, ScormStandard] = _table(
    ScormStandard(
        "1.2", "SCORM 1.2, the most widely supported: one status (passed, failed, completed or incomplete) and a score",
        "API", "1.2", 4096, "1.2", "healthkit.exporters.scorm:manifest_12",
    ),
    ScormStandard(
        "2004", "SCORM 2004 4th Edition: completion and success reported apart, and a scaled score",
        "API_1484_11", "2004 4th Edition", 64000, "2004", "healthkit.exporters.scorm:manifest_2004",
    ),
)
DEFAULT_SCORM_STANDARD = "1.2"
#: Percent of a lesson's questions right on the first try that passes, unless the content or
#: the command line says otherwise.
DEFAULT_PASSING_SCORE = 80
#: The title of a set of lessons (the course index, a Lite site, a SCORM package of several
#: lessons) unless the user gives one.
DEFAULT_COURSE_TITLE = "Health lessons"
