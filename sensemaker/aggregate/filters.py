"""The workshop's filter: which stories every picture shows, written in the page's URL.

Query parameters (each may repeat; `prefix` gives a side-by-side group its own set):

    c.<question>=<option>   a choice or demographic answer (any of the options given,
                            and every question given)
    from=YYYY-MM-DD, to=…   the day the story was told, both ends included
    prompt=<id>             the prompt the teller picked
    language=<code>         the language the story was told in
    run=<id>&cluster=<k>    one cluster of a stored clustering run
    q=<words>               words in the title or story (full-text search)

`language` is not `lang`: `?lang=` chooses the interface language.
"""

import re
from dataclasses import dataclass, field, replace
from datetime import date

import numpy as np

from .frame import Frame

CHOICE = "c."
WORDS_LIMIT = 200
LANGUAGE = re.compile(r"^[a-z]{2,3}$")


@dataclass(frozen=True)
class FilterProblem:
    """A part of the URL that could not be used; `key` names the message."""

    key: str
    params: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Filter:
    choices: tuple[tuple[str, tuple[str, ...]], ...] = ()
    since: date | None = None
    until: date | None = None
    prompts: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    run: int | None = None
    cluster: int | None = None
    words: str = ""

    @property
    def empty(self) -> bool:
        return self == Filter()

    @classmethod
    def parse(cls, args, survey, prefix: str = "") -> tuple["Filter", list[FilterProblem]]:
        """A filter from query arguments (`{name: [values]}`); unusable parts are left out
        and each is named in the problems."""
        problems: list[FilterProblem] = []

        def values(name):
            return [v.strip() for v in args.get(prefix + name, []) if v and v.strip()]

        choices = {}
        for name in args:
            if not name.startswith(prefix + CHOICE):
                continue
            question_id = name[len(prefix + CHOICE) :]
            question = survey.questions.get(question_id)
            if question is None or question.kind != "choice":
                problems.append(FilterProblem("workshop.filter_unknown", {"value": question_id}))
                continue
            chosen = []
            for option in values(CHOICE + question_id):
                if option in question.option_ids:
                    chosen.append(option)
                else:
                    problems.append(FilterProblem("workshop.filter_unknown", {"value": option}))
            if chosen:
                choices[question_id] = tuple(dict.fromkeys(chosen))
        order = list(survey.questions)
        ordered = tuple(sorted(choices.items(), key=lambda item: order.index(item[0])))
        since, until = _day(values("from"), problems), _day(values("to"), problems)
        prompts = []
        for prompt in values("prompt"):
            if prompt in survey.prompt_ids:
                prompts.append(prompt)
            else:
                problems.append(FilterProblem("workshop.filter_unknown", {"value": prompt}))
        languages = []
        for language in values("language"):
            if LANGUAGE.match(language):
                languages.append(language)
            else:
                problems.append(FilterProblem("workshop.filter_unknown", {"value": language}))
        run, cluster = _whole(values("run"), problems), _whole(values("cluster"), problems)
        if (run is None) != (cluster is None):
            run = cluster = None
        words = " ".join(values("q"))[:WORDS_LIMIT]
        found = cls(ordered, since, until, tuple(dict.fromkeys(prompts)),
                    tuple(dict.fromkeys(languages)), run, cluster, words)  # fmt: skip
        return found, problems

    def query(self, prefix: str = "") -> list[tuple[str, str]]:
        """The filter as (name, value) pairs for a URL; `parse` reads them back."""
        pairs = [(f"{prefix}{CHOICE}{q}", o) for q, options in self.choices for o in options]
        if self.since:
            pairs.append((prefix + "from", self.since.isoformat()))
        if self.until:
            pairs.append((prefix + "to", self.until.isoformat()))
        pairs += [(prefix + "prompt", p) for p in self.prompts]
        pairs += [(prefix + "language", lang) for lang in self.languages]
        if self.run is not None:
            pairs += [(prefix + "run", str(self.run)), (prefix + "cluster", str(self.cluster))]
        if self.words:
            pairs.append((prefix + "q", self.words))
        return pairs

    def without(self, part: str, value: str | None = None) -> "Filter":
        """The same filter with one part (or one value of it) taken away."""
        if part == "choice":
            kept = [
                (q, tuple(o for o in options if value is None or o != value.split(":")[1]))
                if q == value.split(":")[0]
                else (q, options)
                for q, options in self.choices
            ]
            return replace(self, choices=tuple((q, o) for q, o in kept if o))  # fmt: skip
        if part == "cluster":
            return replace(self, run=None, cluster=None)
        defaults = {"since": None, "until": None, "prompts": (), "languages": (), "words": ""}
        return replace(self, **{part: defaults[part]})

    def mask(self, frame: Frame, *, matched=None, clustered=None) -> np.ndarray:
        """Which rows of `frame` pass. `matched`: rows the search found (needed when
        `words` is set); `clustered`: rows in the chosen cluster (needed with `run`)."""
        keep = np.ones(frame.n, dtype=bool)
        for question, options in self.choices:
            answers = frame.significations[question]
            columns = [answers.options.index(option) for option in options]
            keep &= answers.selected[:, columns].any(axis=1)
        if self.since is not None:
            keep &= frame.days >= np.datetime64(self.since, "D")
        if self.until is not None:
            keep &= frame.days <= np.datetime64(self.until, "D")
        if self.prompts:
            keep &= np.isin(frame.prompts, list(self.prompts))
        if self.languages:
            keep &= np.isin(frame.languages, list(self.languages))
        if self.words:
            keep &= _required(matched, "matched")
        if self.run is not None:
            keep &= _required(clustered, "clustered")
        return keep


def _required(mask, name):
    if mask is None:
        raise ValueError(f"the filter needs `{name}` rows")
    return np.asarray(mask, dtype=bool)


def _day(values, problems) -> date | None:
    if not values:
        return None
    try:
        return date.fromisoformat(values[-1])
    except ValueError:
        problems.append(FilterProblem("workshop.filter_bad_date", {"value": values[-1][:40]}))
        return None


def _whole(values, problems) -> int | None:
    if not values:
        return None
    if values[-1].isdigit() and len(values[-1]) < 10:
        return int(values[-1])
    problems.append(FilterProblem("workshop.filter_unknown", {"value": values[-1][:40]}))
    return None
