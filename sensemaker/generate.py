"""Synthetic, patterned stories for demos, tests and benchmarks (`sensemaker generate`).

Stories come from a few latent groups. Each group has its own centre on every triad,
dyad, stones canvas and star area, its own choice probabilities (demographic choices
strongly so), its own prompts and story themes; one group's share grows over the six
months, so clusters, comparisons and before/after views all have something to find.
Border answers (triad edges and corners, dyad ends, unplaced stones) and N/A appear at
realistic rates. One seeded generator draws everything: the same seed and survey give
the same fragments (the dates move with the default end day; pass `end` to fix them).
The words of the stories come from `story_bank`.
"""

import hashlib
import uuid
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import numpy as np

from . import db, fragments, intake, story_bank
from .bulk import without_cycle_collection
from .fragments import Fragment
from .questions import NA, Question
from .survey import Survey

STOCKHOLM = ZoneInfo("Europe/Stockholm")
DAYS = 182  # stories are spread over about six months
NA_RATE = 0.065  # N/A on geometric questions that allow it
EDGE_RATE, CORNER_RATE = 0.05, 0.02  # triad answers pushed exactly onto an edge / a corner
DYAD_END_RATE = 0.05  # dyad answers exactly 0 or 1
UNPLACED_RATE = 0.25  # each stone left off the canvas
SKIP_RATE, TEXT_SKIP_RATE = 0.03, 0.3  # optional questions left unanswered
ENGLISH_RATE = 0.15
OTHER_TEXT_RATE = 0.7  # an "other" choice that comes with its text
TRIAD_CONCENTRATION, DYAD_CONCENTRATION = 20.0, 14.0  # higher: answers closer to the centre
SKIP = object()  # a question left unanswered in one fragment

# Well-spread triad centres to draw group centres from: near each corner, near each edge,
# and the middle, so every two groups are clearly apart in log-ratio space.
TRIAD_CENTRES = np.array(
    [[0.7, 0.15, 0.15], [0.15, 0.7, 0.15], [0.15, 0.15, 0.7],
     [0.425, 0.425, 0.15], [0.425, 0.15, 0.425], [0.15, 0.425, 0.425],
     [1 / 3, 1 / 3, 1 / 3]]
)  # fmt: skip


@dataclass(frozen=True)
class GeneratedBatch:
    """Generated fragments, how many latent groups made them, and each one's group."""

    fragments: list[Fragment]
    groups: int
    truth: list[int]  # the latent group (0 … groups - 1) of each fragment, in order


@dataclass(frozen=True)
class Draw:
    """What every answer maker needs: the generator and each fragment's group and language."""

    rng: np.random.Generator
    group: np.ndarray  # latent group per fragment
    groups: int
    theme: np.ndarray  # story theme per fragment
    language: list[str]
    themes: str  # the bank's "themes" (care) or "work_themes" (staff telling about work)

    @property
    def n(self) -> int:
        return len(self.group)

    def spread(self, low: float, high: float) -> np.ndarray:
        """One centre per group, evenly apart between low and high, in random order."""
        centres = np.linspace(low, high, self.groups)[self.rng.permutation(self.groups)]
        return centres + self.rng.uniform(-0.03, 0.03, self.groups)

    def with_na(self, answers: list, question: Question) -> list:
        if question.allow_na:
            for i in np.flatnonzero(self.rng.random(self.n) < NA_RATE):
                answers[i] = NA
        return answers

    def phrase(self, kind: str) -> list[str]:
        """A sentence of `kind` (e.g. "wishes") from each fragment's theme and language."""
        numbers = self.rng.integers(0, 1 << 30, self.n).tolist()
        return story_bank.phrases(kind, self.language, self.themes, self.theme, numbers)


# -- answers, one maker per question kind ------------------------------------------------
def _triad(question, d: Draw) -> list:
    rng, n = d.rng, d.n
    centres = TRIAD_CENTRES[rng.choice(len(TRIAD_CENTRES), d.groups, replace=False)]
    centres = centres * rng.uniform(0.85, 1.15, (d.groups, 3))
    centres /= centres.sum(axis=1, keepdims=True)
    shares = rng.standard_gamma(TRIAD_CONCENTRATION * centres[d.group])
    shares = np.clip(shares / shares.sum(axis=1, keepdims=True), 0.002, 1.0)  # off the border
    shares /= shares.sum(axis=1, keepdims=True)
    rows, border = np.arange(n), rng.random(n)
    edge = border < EDGE_RATE
    shares[rows[edge], shares[edge].argmin(axis=1)] = 0.0
    corner = (border >= EDGE_RATE) & (border < EDGE_RATE + CORNER_RATE)
    top = shares[corner].argmax(axis=1)
    shares[corner] = 0.0
    shares[rows[corner], top] = 1.0
    shares /= shares.sum(axis=1, keepdims=True)
    first = np.round(shares[:, 0], 3)
    second = np.minimum(np.round(shares[:, 1], 3), 1.0 - first)
    second = np.where(shares[:, 2] == 0.0, _exactly_one(first, 0.0), second)  # keep the edge
    third = _exactly_one(first, second)
    return d.with_na(np.column_stack([first, second, third]).tolist(), question)


def _exactly_one(first: np.ndarray, second: np.ndarray) -> np.ndarray:
    """The share that makes `first + second + share` exactly 1.0, rounded where it can be.

    Summed left to right in floating point, as the API does, so that its normalisation
    leaves the shares unchanged; where the rounded share misses, the exact remainder is used.
    """
    remainder = 1.0 - (first + second)
    rounded = np.round(remainder, 3)
    return np.where((first + second) + rounded == 1.0, rounded, remainder)


def _dyad(question, d: Draw) -> list:
    centre = d.spread(0.12, 0.88)[d.group]
    x = d.rng.beta(DYAD_CONCENTRATION * centre, DYAD_CONCENTRATION * (1 - centre))
    x = np.clip(np.round(x, 3), 0.001, 0.999)
    ends = d.rng.random(d.n) < DYAD_END_RATE
    x[ends] = np.round(x[ends])  # the nearer pole, exactly
    return d.with_na(x.tolist(), question)


def _stones(question, d: Draw) -> list:
    ids = [stone["id"] for stone in question.raw["stones"]]
    centres = d.rng.uniform(0.1, 0.9, (d.groups, len(ids), 2))
    noise = d.rng.normal(0.0, 0.1, (d.n, len(ids), 2))
    points = np.clip(np.round(centres[d.group] + noise, 3), 0.0, 1.0).tolist()
    placed = d.rng.random((d.n, len(ids))) >= UNPLACED_RATE
    if question.required:
        placed[~placed.any(axis=1), 0] = True
    answers = [
        {stone: point for stone, point, on in zip(ids, row, used, strict=True) if on}
        for row, used in zip(points, placed.tolist(), strict=True)
    ]
    return d.with_na(answers, question)


def _star(question, d: Draw) -> list:
    ids = [area["id"] for area in question.raw["areas"]]
    means = np.stack([d.spread(2.5, 8.5) for _ in ids], axis=1)  # groups × areas
    noise = d.rng.normal(0.0, 1.3, (d.n, len(ids)))
    ratings = np.clip(np.rint(means[d.group] + noise), 1, 10).astype(int).tolist()
    na = (d.rng.random((d.n, len(ids))) < NA_RATE) & question.allow_na
    return [
        {
            area: NA if missing else rating
            for area, rating, missing in zip(ids, row, gone, strict=True)
        }
        for row, gone in zip(ratings, na.tolist(), strict=True)
    ]


def _choice(question, d: Draw) -> list:
    rng, n = d.rng, d.n
    options = question.option_ids  # ends with "other" when the question has it
    count = len(options)
    real = count - question.other
    if question.demographic:  # each group mostly one answer: relatives differ from staff
        probs = 0.2 * rng.dirichlet(np.ones(count), d.groups)
        dominant = rng.permutation(real)[np.arange(d.groups) % real]
        probs[np.arange(d.groups), dominant] += 0.8
    else:
        probs = rng.dirichlet(np.full(count, 0.7), d.groups)
    if question.other:
        probs[:, -1] = 0.04 * probs[:, :-1].sum(axis=1)
    probs = np.maximum(probs, 1e-4)
    probs /= probs.sum(axis=1, keepdims=True)
    if question.max == 1:
        cumulative = probs.cumsum(axis=1)[d.group]
        picked = np.minimum((rng.random(n)[:, None] > cumulative).sum(axis=1), count - 1)
        selections = picked[:, None].tolist()
    else:
        # Weighted sampling without replacement: the largest u^(1/p) win.
        keys = rng.random((n, count)) ** (1.0 / probs[d.group])
        order = np.argsort(-keys, axis=1).tolist()
        sizes = (1 + rng.binomial(min(question.max, count) - 1, 0.4, n)).tolist()
        selections = [sorted(row[:size]) for row, size in zip(order, sizes, strict=True)]
    wants_text = (rng.random(n) < OTHER_TEXT_RATE).tolist()
    texts = d.phrase("others")
    answers = []
    for chosen, with_text, text in zip(selections, wants_text, texts, strict=True):
        value = options[chosen[0]] if question.max == 1 else [options[i] for i in chosen]
        if question.other and chosen[-1] == count - 1 and with_text:
            value = {"selected": value, "other": text}
        answers.append(value)
    return answers


def _text(question, d: Draw) -> list:
    wishes = d.phrase("wishes")
    return [wish[: question.max_length].strip() for wish in wishes]


ANSWER_MAKERS = {  # kind: (maker, share of fragments that skip it when it is optional)
    "triad": (_triad, SKIP_RATE),
    "dyad": (_dyad, SKIP_RATE),
    "stones": (_stones, SKIP_RATE),
    "star": (_star, SKIP_RATE),
    "choice": (_choice, SKIP_RATE),
    "text": (_text, TEXT_SKIP_RATE),
}


# -- the fragments -----------------------------------------------------------------------
def generate_fragments(
    survey: Survey, count: int, seed: int, *, end: date | None = None
) -> GeneratedBatch:
    """`count` valid fragments for `survey` from 3–5 latent groups, reproducible by `seed`.

    `end` is the last day stories are dated (default: yesterday, Swedish time).
    """
    with without_cycle_collection():
        return _generate(survey, count, seed, end)


def _generate(survey: Survey, count: int, seed: int, end: date | None) -> GeneratedBatch:
    # The survey id is part of the seed so that surveys never share fragment ids.
    survey_key = int.from_bytes(hashlib.sha256(survey.id.encode()).digest()[:8], "big")
    rng = np.random.default_rng([seed & (2**64 - 1), survey_key])
    groups = int(rng.integers(3, 6))
    moment = rng.random(count)  # 0 = six months before `end`, 1 = `end`
    group = _latent_groups(rng, groups, moment)
    themes = story_bank.theme_set(survey.id)
    theme = np.resize(rng.permutation(story_bank.theme_count(themes)), groups)[group]
    english = "en" in survey.languages and "sv" in survey.languages
    language = np.where(english & (rng.random(count) < ENGLISH_RATE), "en", "sv").tolist()
    draw = Draw(rng, group, groups, theme, language, themes)

    columns = []
    for question in survey.questions.values():
        if question.kind not in ANSWER_MAKERS:
            if question.required:
                raise ValueError(f"cannot generate answers to a {question.kind} question")
            continue
        make, skip_rate = ANSWER_MAKERS[question.kind]
        answers = make(question, draw)
        if not question.required:
            for i in np.flatnonzero(rng.random(count) < skip_rate):
                answers[i] = SKIP
        columns.append((question.id, answers))

    ids = rng.bytes(16 * count)
    prompts = _prompts(rng, survey.prompt_ids, groups, group)
    stamps = _collected_at(rng, moment, end)
    titles, stories = story_bank.stories(
        rng, language, themes, theme, limit=survey.story_limit, titled=survey.asks_title
    )
    consent = True if survey.definition.get("consent") else None
    fragments = [
        Fragment(
            id=str(uuid.UUID(bytes=ids[16 * i : 16 * i + 16], version=4)),
            survey_id=survey.id,
            survey_version=survey.version,
            language=language[i],
            prompt=prompts[i],
            title=titles[i],
            story=stories[i],
            consent=consent,
            collected_at=stamps[i],
            answers={qid: answers[i] for qid, answers in columns if answers[i] is not SKIP},
        )
        for i in range(count)
    ]
    return GeneratedBatch(fragments, groups, group.tolist())


def _latent_groups(rng, groups: int, moment: np.ndarray) -> np.ndarray:
    """Each fragment's group; one group's share grows over the period (a visible change)."""
    weights = np.tile(rng.dirichlet(np.full(groups, 5.0)), (len(moment), 1))
    weights[:, rng.integers(groups)] *= 0.4 + 1.8 * moment
    cumulative = (weights / weights.sum(axis=1, keepdims=True)).cumsum(axis=1)
    return np.minimum((rng.random(len(moment))[:, None] > cumulative).sum(axis=1), groups - 1)


def _prompts(rng, prompt_ids: list[str], groups: int, group: np.ndarray) -> list:
    if not prompt_ids:
        return [None] * len(group)
    cumulative = rng.dirichlet(np.full(len(prompt_ids), 1.5), groups).cumsum(axis=1)[group]
    picked = (rng.random(len(group))[:, None] > cumulative).sum(axis=1)
    return [prompt_ids[i] for i in np.minimum(picked, len(prompt_ids) - 1).tolist()]


def _collected_at(rng, moment: np.ndarray, end: date | None) -> list[str]:
    """ISO-8601 times in Swedish time, mostly in the day, some at night."""
    last = end or (datetime.now(STOCKHOLM).date() - timedelta(days=1))
    first = last - timedelta(days=DAYS - 1)
    days = np.minimum((moment * DAYS).astype(int), DAYS - 1).tolist()
    night = rng.random(len(moment)) < 0.15
    minutes = np.where(
        night, rng.integers(0, 1440, len(moment)), rng.integers(420, 1260, len(moment))
    )
    seconds = rng.integers(0, 60, len(moment)).tolist()
    return [
        datetime.combine(
            first + timedelta(days=day), time(m // 60, m % 60, s), STOCKHOLM
        ).isoformat()
        for day, m, s in zip(days, minutes.tolist(), seconds, strict=True)
    ]


def store_generated(
    database, survey: Survey, count: int, seed: int, *, batch: int = 50_000
) -> tuple[list[str], int]:
    """Generate and store `count` fragments, one transaction per `batch`.

    Returns each fragment's storage outcome and the number of latent groups planted in
    the first batch.

    Each batch is generated from its own seed (`seed` + its offset), so a large set has
    the same fragments however it is stored, but its batches plant different groups.
    """
    outcomes, groups = [], None
    for start in range(0, count, batch):
        made = generate_fragments(survey, min(batch, count - start), seed=seed + start)
        groups = groups or made.groups
        items = [
            (f, intake.prepare(f, survey, fragments.body_hash(f.as_body()), source="generated"))
            for f in made.fragments
        ]
        outcomes += db.insert_fragments(database, items)
    return outcomes, groups
