"""A random sample of the questions healthkit writes by itself, for an educator's cold read.

``python -m tests.question_sample [--count 20] [--seed 1]`` prints, as Markdown, generated
questions drawn at random from the shipped lessons (over ten seeds), each beside the lesson
text it was made from, with the options in a shuffled order; the answer key comes last, so a
reader can first try each question as a learner who has not read the lesson would, then as one
who has. docs/content-format.md says how the sample is judged.
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

from healthkit.content import load_catalog
from healthkit.model import SECTION_TITLES, Condition
from healthkit.quiz.generate import generated
from healthkit.quiz.model import Question

CONTENT = Path(__file__).resolve().parent.parent / "content"
SEEDS = range(10)


def pool() -> list[tuple[Condition, Question]]:
    """Every distinct generated question of the shipped lessons over :data:`SEEDS`."""
    found: dict[tuple[str, str], tuple[Condition, Question]] = {}
    for condition in load_catalog(CONTENT):
        for seed in SEEDS:
            for q in generated(condition, seed):
                found.setdefault((condition.id, q.prompt), (condition, q))
    return list(found.values())


def _section_text(condition: Condition, section: str) -> list[str]:
    part = condition.sections.get(section)
    lines = [f"*{part.summary}*", ""]
    lines += [f"- **{item.name}**: {item.description}" for item in part.items]
    return lines


def sample(count: int, seed: int) -> str:
    rng = random.Random(seed)
    chosen = rng.sample(pool(), k=count)
    out = [f"# {count} generated questions (sample seed {seed})", ""]
    key = ["## Answer key", ""]
    for n, (condition, q) in enumerate(chosen, 1):
        choices = list(q.choices)
        if q.kind != "true_false":
            rng.shuffle(choices)
        out += [f"## {n}. {condition.title}, {SECTION_TITLES[q.section]}", "", "Lesson text:", "", *_section_text(condition, q.section), ""]
        out += [f"Question: {q.prompt}", ""]
        out += [f"{chr(65 + i)}. {c.text}" for i, c in enumerate(choices)] + [""]
        right = ", ".join(chr(65 + i) for i, c in enumerate(choices) if c.correct)
        key.append(f"{n}. {right} — {q.explanation}")
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
