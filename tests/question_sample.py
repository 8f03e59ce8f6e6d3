"""A random sample of the questions healthkit writes by itself, for an educator's cold read.

``python -m tests.question_sample [--count 20] [--seed 1]`` prints, as Markdown, questions
healthkit generated for the shipped lessons (over ten seeds and every region), drawn at random,
each beside the lesson text it was made from (for a triage question: the safety box, as the
region's lesson shows it); the answer key comes last, so a reader can first try each question
as a learner who has not read the lesson would, then as one who has. docs/content-format.md
says how the sample is judged.
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

from healthkit.content import load_catalog
from healthkit.content.localise import localise
from healthkit.model import Condition
from healthkit.quiz import lesson_questions
from healthkit.quiz.model import Question
from healthkit.registry import REGIONS, SAFETY_TIERS

CONTENT = Path(__file__).resolve().parent.parent / "content"
SEEDS = range(10)


def pool() -> list[tuple[Condition, str, Question]]:
    """Every distinct generated question of the shipped lessons over :data:`SEEDS` and regions
    (the same signs asked in two regions count once)."""
    found: dict[tuple[str, tuple[str, ...]], tuple[Condition, str, Question]] = {}
    for condition in load_catalog(CONTENT):
        for region in REGIONS:
            for seed in SEEDS:
                for q in lesson_questions(condition, seed, region=region):
                    if q.origin == "generated":
                        found.setdefault((condition.id, tuple(sorted(q.items)) or (q.prompt,)), (condition, region, q))
    return list(found.values())


def _safety_text(condition: Condition, region: str) -> list[str]:
    shown = localise(condition, REGIONS[region])
    lines: list[str] = []
    for tier, signs in shown.safety.tiers() if shown.safety else ():
        lines += [f"*{REGIONS[region].headings[tier]}*", *(f"- {s}" for s in signs), ""]
    return lines or [f"(no safety advice; tiers are {', '.join(SAFETY_TIERS)})"]


def _question_lines(q: Question) -> tuple[list[str], str]:
    if q.kind != "triage":
        right = ", ".join(c.text for c in q.choices if c.correct)
        return [f"- {c.text}" for c in q.choices], right
    lines = ["Places:", *(f"- {t}" for t in q.targets), "", "Signs:", *(f"- {i}" for i in q.items)]
    key = "; ".join(f"{c.item} → {c.target}" for c in q.choices if c.correct)
    return lines, key


def sample(count: int, seed: int) -> str:
    rng = random.Random(seed)
    chosen = rng.sample(pool(), k=count)
    out = [f"# {count} generated questions (sample seed {seed})", ""]
    key = ["## Answer key", ""]
    for n, (condition, region, q) in enumerate(chosen, 1):
        lines, right = _question_lines(q)
        out += [f"## {n}. {condition.title} ({REGIONS[region].name})", "", "Lesson text (the safety box):", "", *_safety_text(condition, region)]
        out += [f"Question: {q.prompt}", "", *lines, ""]
        key.append(f"{n}. {right}")
    return "\n".join(out + key) + "\n"


def main(argv: list[str]) -> int:
    count = int(argv[argv.index("--count") + 1]) if "--count" in argv else 20
    seed = int(argv[argv.index("--seed") + 1]) if "--seed" in argv else 1
    available = len(pool())
    sys.stdout.write(sample(min(count, available), seed))
    print(f"({min(count, available)} of {available} distinct generated questions)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
