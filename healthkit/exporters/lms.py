"""Quiz questions for learning management systems: GIFT, Moodle XML and IMS QTI 1.2.

Every format carries text as escaped HTML, so markup in content shows as text. GIFT declares
the format (``[html]``), writes braces and a leading ``%`` or ``[`` (which GIFT readers take
for a weight or a format switch) as character references, and backslash-escapes
``~ = # { } :``; Moodle XML and QTI carry the escaped HTML inside XML that lxml serialises.
Characters XML cannot hold (controls, noncharacters) are replaced by U+FFFD. Per-option
feedback and the explanation (general feedback) are kept in every format. Functions return
text or bytes and never write files.

Options are written in the order the lessons show them (balanced, see
:mod:`healthkit.quiz.order`). Moodle XML sets ``shuffleanswers`` to false and QTI sets
``shuffle="No"``, so the platform keeps that order; GIFT has no such switch, and Moodle
shuffles GIFT imports unless the quiz's "Shuffle within questions" setting is off.

Each condition's clinical review status ("This lesson has not yet been reviewed by a
clinician. ...") goes with its questions: the category's description in Moodle XML, the
assessment's rubric (and a comment) in QTI, and a comment under the category in GIFT, which
has no description for Moodle to import. Each kind's question type comes from
:data:`healthkit.registry.QUIZ_KINDS`.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from types import MappingProxyType
from typing import Callable, Iterable, Mapping, Sequence

from lxml import etree

from ..content.localise import localise, region_for
from ..content.yamlio import FORBIDDEN
from ..errors import ParameterError
from ..io import zip_entries
from ..lesson.render import review_status_text
from ..model import Condition
from ..registry import QUIZ_FORMATS, QUIZ_KINDS, QuizKind
from ..quiz import lesson_questions
from ..quiz.generate import needs_other_conditions
from ..quiz.model import Question

QTI_NS = "http://www.imsglobal.org/xsd/ims_qtiasiv1p2"
CP_NS = "http://www.imsglobal.org/xsd/imsccv1p1/imscp_v1p1"


@dataclass(frozen=True)
class QuestionBank:
    """The questions of one condition, as exported."""

    condition: Condition
    questions: tuple[Question, ...]

    @property
    def category(self) -> str:
        """Question-bank category; letters, digits and underscores suit every GIFT reader."""
        return "$course$/healthkit/" + re.sub(r"\W", "_", self.condition.id)

    @property
    def notice(self) -> str:
        """What the lessons say about the clinical review (and a draft), for the description."""
        return f"{self.condition.title}: {review_status_text(self.condition)}"


def bank(
    condition: Condition,
    seed: int = 0,
    include_generated: bool = True,
    region: str = "",
    others: Sequence[Condition] = (),
) -> QuestionBank:
    """The questions of ``condition`` with its texts worded for ``region`` (default: its language's).

    Options are in the lesson's display order (see :mod:`healthkit.quiz.order`), the one the
    notebook, the pages and the answer sheet show for the same ``seed``; ``others`` are the
    catalogue's other conditions, which the lesson uses when its own sections cannot supply
    enough distractors.
    """
    where = region_for(condition, region or None)
    condition = localise(condition, where)
    neighbours = [localise(o, where) for o in others if o.id != condition.id] if needs_other_conditions(condition) else []
    questions = lesson_questions(condition, seed, neighbours, where.code)
    if not include_generated:
        questions = tuple(q for q in questions if q.origin == "authored")
    return QuestionBank(condition, questions)


def _kind(q: Question) -> QuizKind:
    return QUIZ_KINDS[q.kind]


def _several(q: Question) -> bool:
    """Whether the question may have several right options (each earns a share)."""
    return _kind(q).correct == "some"


def _fraction(n: int) -> str:
    return f"{100 / n:.5f}".rstrip("0").rstrip(".")


def clean(text: str) -> str:
    """``text`` without characters an export format cannot carry (each becomes U+FFFD)."""
    return FORBIDDEN.sub("\ufffd", text.replace("\r\n", "\n").replace("\r", "\n"))


def _html(text: str) -> str:
    return html.escape(clean(text))


# -- GIFT ----------------------------------------------------------------------------------
_GIFT_SPECIAL = re.compile(r"([~=#{}:\\])")
#: Read at the start of a text: "%50%" is a weight, "[markdown]" a format switch.
_GIFT_LEADING = {"%": "&#37;", "[": "&#91;"}


def gift_escape(text: str) -> str:
    """GIFT escaping: a backslash before ~ = # { } : and itself; newlines as \\n."""
    return _GIFT_SPECIAL.sub(r"\\\1", text).replace("\r", "").replace("\n", r"\n")


def gift_text(text: str) -> str:
    """A text as GIFT carries it in ``[html]`` format: HTML-escaped; braces and a leading
    ``%`` or ``[`` written as character references (some GIFT readers end an answer block at
    an escaped brace); then GIFT-escaped. Moodle shows exactly ``text``."""
    escaped = _html(text).strip().replace("{", "&#123;").replace("}", "&#125;")
    if escaped[:1] in _GIFT_LEADING:
        escaped = _GIFT_LEADING[escaped[0]] + escaped[1:]
    return gift_escape(escaped)


def _pairs(q: Question) -> tuple[list[tuple[str, str]], list[str]]:
    """A triage question as matching: (sign, its place) pairs, and the places no sign has."""
    pairs = [(q.choices[i].item, q.choices[i].target) for i in q.answer]
    used = {target for _, target in pairs}
    return pairs, [t for t in q.targets if t not in used]


def _gift_matching(q: Question) -> str:
    """Moodle's GIFT matching: ``=sign -> place`` per sign, and ``= -> place`` for a place no
    sign has (Moodle offers it as one more wrong answer). The places are plain text."""
    pairs, spare = _pairs(q)
    lines = [f"::{gift_escape(q.id)}:: [html]{gift_text(q.prompt)} {{"]
    lines += [f"\t={gift_text(sign)} -> {gift_escape(clean(place))}" for sign, place in pairs]
    lines += [f"\t= -> {gift_escape(clean(place))}" for place in spare]
    lines.append(f"\t####{gift_text(q.explanation)}")
    lines.append("}")
    return "\n".join(lines)


def _gift_question(q: Question) -> str:
    if _kind(q).moodle == "matching":
        return _gift_matching(q)
    lines = [f"::{gift_escape(q.id)}:: [html]{gift_text(q.prompt)} {{"]
    correct = [c for c in q.choices if c.correct]
    for choice in q.choices:
        text, feedback = gift_text(choice.text), gift_text(choice.feedback)
        if _several(q):
            weight = _fraction(len(correct)) if choice.correct else "-" + _fraction(len(correct))
            lines.append(f"\t~%{weight}%{text}#{feedback}")
        else:
            lines.append(f"\t{'=' if choice.correct else '~'}{text}#{feedback}")
    lines.append(f"\t####{gift_text(q.explanation)}")
    lines.append("}")
    return "\n".join(lines)


#: The name of the description item that opens each category of a GIFT export: the review
#: notice, as something Moodle shows (a comment it would not).
NOTICE_ITEM = "about-these-questions"


def dumps_gift(banks: Iterable[QuestionBank]) -> str:
    out = ["// Exported by healthkit. One category per condition."]
    for b in banks:
        out.append(f"\n$CATEGORY: {b.category}\n")
        out.append("// " + " ".join(clean(b.notice).split()) + "\n")
        out.append(f"::{NOTICE_ITEM}:: [html]{gift_text(b.notice)}\n")  # no answer block: a description item
        out += [_gift_question(q) + "\n" for q in b.questions]
    return "\n".join(out)


# -- Moodle XML ----------------------------------------------------------------------------
def _text(parent: etree._Element, tag: str, value: str, fmt: str | None = "html") -> etree._Element:
    node = etree.SubElement(parent, tag, format=fmt) if fmt else etree.SubElement(parent, tag)
    etree.SubElement(node, "text").text = clean(value)
    return node


def _moodle_type(q: Question) -> str:
    """The kind's Moodle type; a fixed-text kind whose question has other texts (``check``
    refuses them in content) is written as a plain single-answer question."""
    kind = _kind(q)
    if kind.fixed_texts and sorted(c.text.casefold() for c in q.choices) != sorted(t.casefold() for t in kind.fixed_texts):
        return QUIZ_KINDS["single"].moodle
    return kind.moodle


def _moodle_matching(node: etree._Element, q: Question) -> None:
    """Moodle XML's matching: a subquestion per sign with its place as the answer, and an
    empty subquestion for each place no sign has (one more wrong answer to choose)."""
    pairs, spare = _pairs(q)
    etree.SubElement(node, "shuffleanswers").text = "true"
    for sign, place in [*pairs, *(("", p) for p in spare)]:
        sub = _text(node, "subquestion", f"<p>{_html(sign)}</p>" if sign else "")
        answer = etree.SubElement(sub, "answer")
        etree.SubElement(answer, "text").text = clean(place)


def dumps_moodle_xml(banks: Iterable[QuestionBank]) -> str:
    quiz = etree.Element("quiz")
    for b in banks:
        category = etree.SubElement(quiz, "question", type="category")
        _text(category, "category", b.category, fmt=None)
        _text(category, "info", f"<p>{_html(b.notice)}</p>")
        for q in b.questions:
            kind = _moodle_type(q)
            node = etree.SubElement(quiz, "question", type=kind)
            _text(node, "name", q.id, fmt=None)  # cleaned by _text
            _text(node, "questiontext", f"<p>{_html(q.prompt)}</p>")
            _text(node, "generalfeedback", f"<p>{_html(q.explanation)}</p>")
            etree.SubElement(node, "defaultgrade").text = "1"
            etree.SubElement(node, "penalty").text = "0.3333333" if kind in ("multichoice", "matching") else "1"
            etree.SubElement(node, "hidden").text = "0"
            if kind == "matching":
                _moodle_matching(node, q)
                continue
            correct = [c for c in q.choices if c.correct]
            if kind == "multichoice":
                etree.SubElement(node, "single").text = "false" if _several(q) else "true"
                # Our order is already shuffled and balanced, and the answer sheet follows it.
                etree.SubElement(node, "shuffleanswers").text = "false"
                etree.SubElement(node, "answernumbering").text = "abc"
            for choice in q.choices:
                if _several(q):
                    fraction = _fraction(len(correct)) if choice.correct else "-" + _fraction(len(correct))
                else:
                    fraction = "100" if choice.correct else "0"
                text = choice.text.lower() if kind == "truefalse" else _html(choice.text)
                answer = etree.SubElement(node, "answer", fraction=fraction, format="moodle_auto_format" if kind == "truefalse" else "html")
                etree.SubElement(answer, "text").text = clean(text)
                _text(answer, "feedback", _html(choice.feedback))
    return bytes(etree.tostring(quiz, xml_declaration=True, encoding="UTF-8", pretty_print=True)).decode("utf-8")


# -- IMS QTI 1.2 (Canvas) -------------------------------------------------------------------
def _q(tag: str) -> str:
    return f"{{{QTI_NS}}}{tag}"


def _mattext(parent: etree._Element, text: str, texttype: str = "text/html") -> None:
    material = etree.SubElement(parent, _q("material"))
    etree.SubElement(material, _q("mattext"), texttype=texttype).text = _html(text) if texttype == "text/html" else clean(text)


def _meta(item: etree._Element, fields: Sequence[tuple[str, str]]) -> None:
    qti_meta = etree.SubElement(etree.SubElement(item, _q("itemmetadata")), _q("qtimetadata"))
    for label, entry in fields:
        field = etree.SubElement(qti_meta, _q("qtimetadatafield"))
        etree.SubElement(field, _q("fieldlabel")).text = label
        etree.SubElement(field, _q("fieldentry")).text = entry


def _qti_matching(item: etree._Element, q: Question, number: int) -> None:
    """QTI 1.2 matching as Canvas reads it: one ``response_lid`` per sign, each offering every
    place; each sign placed right adds its share of the score."""
    presentation = etree.SubElement(item, _q("presentation"))
    _mattext(presentation, q.prompt)
    places = {target: f"q{number}t{j}" for j, target in enumerate(q.targets)}
    pairs, _ = _pairs(q)
    for k, (sign, _) in enumerate(pairs):
        response = etree.SubElement(presentation, _q("response_lid"), ident=f"response_q{number}s{k}")
        _mattext(response, sign, "text/plain")
        choices = etree.SubElement(response, _q("render_choice"))
        for target, ident in places.items():
            _mattext(etree.SubElement(choices, _q("response_label"), ident=ident), target, "text/plain")
    processing = etree.SubElement(item, _q("resprocessing"))
    outcomes = etree.SubElement(processing, _q("outcomes"))
    etree.SubElement(outcomes, _q("decvar"), maxvalue="100", minvalue="0", varname="SCORE", vartype="Decimal")
    for k, (_, place) in enumerate(pairs):
        condition = etree.SubElement(processing, _q("respcondition"))
        etree.SubElement(etree.SubElement(condition, _q("conditionvar")), _q("varequal"), respident=f"response_q{number}s{k}").text = places[place]
        etree.SubElement(condition, _q("setvar"), varname="SCORE", action="Add").text = f"{100 / len(pairs):.2f}"
    feedback = etree.SubElement(item, _q("itemfeedback"), ident="general_fb")
    _mattext(etree.SubElement(feedback, _q("flow_mat")), q.explanation)


def _qti_item(section: etree._Element, q: Question, number: int) -> None:
    item = etree.SubElement(section, _q("item"), ident=clean(f"q{number}-{q.id}"), title=clean(q.id))
    _meta(item, [("question_type", _kind(q).qti), ("points_possible", "1")])
    if _kind(q).moodle == "matching":
        _qti_matching(item, q, number)
        return
    presentation = etree.SubElement(item, _q("presentation"))
    _mattext(presentation, q.prompt)
    response = etree.SubElement(presentation, _q("response_lid"), ident="response1", rcardinality="Multiple" if _several(q) else "Single")
    choices = etree.SubElement(response, _q("render_choice"), shuffle="No")  # keep the lesson's order
    idents = [f"q{number}a{i}" for i in range(len(q.choices))]
    for ident, choice in zip(idents, q.choices):
        label = etree.SubElement(choices, _q("response_label"), ident=ident)
        _mattext(label, choice.text, "text/plain")
    processing = etree.SubElement(item, _q("resprocessing"))
    outcomes = etree.SubElement(processing, _q("outcomes"))
    etree.SubElement(outcomes, _q("decvar"), maxvalue="100", minvalue="0", varname="SCORE", vartype="Decimal")
    general = etree.SubElement(processing, _q("respcondition"), attrib={"continue": "Yes"})
    etree.SubElement(etree.SubElement(general, _q("conditionvar")), _q("other"))
    etree.SubElement(general, _q("displayfeedback"), feedbacktype="Response", linkrefid="general_fb")
    for ident in idents:
        shown = etree.SubElement(processing, _q("respcondition"), attrib={"continue": "Yes"})
        etree.SubElement(etree.SubElement(shown, _q("conditionvar")), _q("varequal"), respident="response1").text = ident
        etree.SubElement(shown, _q("displayfeedback"), feedbacktype="Response", linkrefid=f"{ident}_fb")
    scoring = etree.SubElement(processing, _q("respcondition"), attrib={"continue": "No"})
    condition = etree.SubElement(scoring, _q("conditionvar"))
    if _several(q):
        both = etree.SubElement(condition, _q("and"))
        for ident, choice in zip(idents, q.choices):
            target = both if choice.correct else etree.SubElement(both, _q("not"))
            etree.SubElement(target, _q("varequal"), respident="response1").text = ident
    else:
        right = idents[q.answer[0]]
        etree.SubElement(condition, _q("varequal"), respident="response1").text = right
    etree.SubElement(scoring, _q("setvar"), action="Set", varname="SCORE").text = "100"
    for ident, text in [("general_fb", q.explanation)] + [(f"{i}_fb", c.feedback) for i, c in zip(idents, q.choices)]:
        feedback = etree.SubElement(item, _q("itemfeedback"), ident=ident)
        _mattext(etree.SubElement(feedback, _q("flow_mat")), text)


def qti_assessment(b: QuestionBank) -> bytes:
    root = etree.Element(_q("questestinterop"), nsmap={None: QTI_NS})
    assessment = etree.SubElement(root, _q("assessment"), ident=f"healthkit-{b.condition.id}", title=clean(f"{b.condition.title} quiz"))
    etree.SubElement(assessment, _q("qticomment")).text = clean(b.notice)
    _mattext(etree.SubElement(assessment, _q("rubric")), b.notice)
    section = etree.SubElement(assessment, _q("section"), ident="root_section")
    for number, q in enumerate(b.questions, 1):
        _qti_item(section, q, number)
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True))


def qti_manifest(files: Sequence[str]) -> bytes:
    root = etree.Element(f"{{{CP_NS}}}manifest", nsmap={None: CP_NS}, identifier="healthkit-quizzes")
    metadata = etree.SubElement(root, f"{{{CP_NS}}}metadata")
    etree.SubElement(metadata, f"{{{CP_NS}}}schema").text = "IMS Content"
    etree.SubElement(metadata, f"{{{CP_NS}}}schemaversion").text = "1.1.3"
    etree.SubElement(root, f"{{{CP_NS}}}organizations")
    resources = etree.SubElement(root, f"{{{CP_NS}}}resources")
    for i, name in enumerate(files, 1):
        resource = etree.SubElement(resources, f"{{{CP_NS}}}resource", identifier=f"res{i}", type="imsqti_xmlv1p2")
        etree.SubElement(resource, f"{{{CP_NS}}}file", href=name)
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True))


def qti_zip(banks: Iterable[QuestionBank]) -> bytes:
    """A QTI 1.2 package: imsmanifest.xml plus one assessment per condition (Canvas imports it)."""
    entries = [(f"{b.condition.id}/{b.condition.id}.xml", qti_assessment(b)) for b in banks]
    return zip_entries([*entries, ("imsmanifest.xml", qti_manifest([name for name, _ in entries]))])


def gift_bytes(banks: Sequence[QuestionBank]) -> bytes:
    return dumps_gift(banks).encode("utf-8")


def moodle_xml_bytes(banks: Sequence[QuestionBank]) -> bytes:
    return dumps_moodle_xml(banks).encode("utf-8")


#: The writer of each format of :data:`healthkit.registry.QUIZ_FORMATS`, by its name.
WRITERS: Mapping[str, Callable[[Sequence[QuestionBank]], bytes]] = MappingProxyType(
    {"gift": gift_bytes, "moodle-xml": moodle_xml_bytes, "qti": qti_zip}
)


def export(banks: Sequence[QuestionBank], fmt: str) -> bytes:
    """Bytes of ``fmt`` (a name in :data:`healthkit.registry.QUIZ_FORMATS`) for ``banks``."""
    if fmt not in QUIZ_FORMATS or fmt not in WRITERS:
        raise ParameterError(f"unknown quiz format {fmt!r}; use one of {', '.join(QUIZ_FORMATS)}")
    return WRITERS[fmt](banks)
