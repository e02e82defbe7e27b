# ruff: noqa: E501 - the catalogue is easier to read and translate one sentence a line
"""Every sentence the analysis writes, in Swedish and English, and how numbers are written.

Templates take names already localised by the caller: group names as they read inside
a sentence ("anhöriga", "personalen"; "relatives", "staff"), and question, label and
option texts. `sentence()` capitalises the first letter. Swedish uses a decimal comma,
a space before the per cent sign and a no-break space between thousands.
"""

import math

LANGUAGES = ("sv", "en")

SENTENCES: dict[str, dict[str, str]] = {
    "en": {
        "degree.1": "somewhat ",
        "degree.2": "",
        "degree.3": "much ",
        "geometric_mean": "geometric mean",
        "median": "median",
        "vs": "vs",
        "stories.one": "1 story",
        "stories.many": "{n} stories",
        "triad.higher": "{a} placed *{label}* {degree}higher than {b} did ({measure} {va} vs {vb}; {q})",
        "triad.lower": "{a} placed *{label}* {degree}lower than {b} did ({measure} {va} vs {vb}; {q})",
        "dyad": "{a} answered *{question}* {degree}closer to *{pole}* than {b} did ({measure} {va} vs {vb}; {q})",
        "stones": "{a} placed *{stone}* {degree}closer to *{pole}* than {b} did ({measure} {va} vs {vb}; {q})",
        "star.higher": "{a} rated *{area}* {degree}higher than {b} did ({measure} {va} vs {vb}; {q})",
        "star.lower": "{a} rated *{area}* {degree}lower than {b} did ({measure} {va} vs {vb}; {q})",
        "choice.more": "{a} chose *{option}* {degree}more often than {b} did ({va} vs {vb}; {q})",
        "choice.less": "{a} chose *{option}* {degree}less often than {b} did ({va} vs {vb}; {q})",
        "na.more": "{a} answered “does not apply” to *{question}* {degree}more often than {b} did ({va} vs {vb}; {q})",
        "na.less": "{a} answered “does not apply” to *{question}* {degree}less often than {b} did ({va} vs {vb}; {q})",
        "cluster.triad.higher": "Cluster {cluster} ({stories}) placed *{label}* {degree}higher than all stories did ({measure} {va} vs {vb})",
        "cluster.triad.lower": "Cluster {cluster} ({stories}) placed *{label}* {degree}lower than all stories did ({measure} {va} vs {vb})",
        "cluster.dyad": "Cluster {cluster} ({stories}) answered *{question}* {degree}closer to *{pole}* than all stories did ({measure} {va} vs {vb})",
        "cluster.choice.more": "In cluster {cluster} ({stories}), *{option}* was chosen {degree}more often than in all stories ({va} vs {vb}; {q})",
        "cluster.choice.less": "In cluster {cluster} ({stories}), *{option}* was chosen {degree}less often than in all stories ({va} vs {vb}; {q})",
        "too_small": "Too few answers to compare ({n_a} and {n_b}; at least {minimum} are needed in each group).",
        "no_variation": "Everyone answered the same, so there is nothing to compare.",
    },
    "sv": {
        "degree.1": "något ",
        "degree.2": "",
        "degree.3": "mycket ",
        "geometric_mean": "geometriskt medelvärde",
        "median": "median",
        "vs": "mot",
        "stories.one": "1 berättelse",
        "stories.many": "{n} berättelser",
        "triad.higher": "{a} placerade *{label}* {degree}högre än {b} ({measure} {va} mot {vb}; {q})",
        "triad.lower": "{a} placerade *{label}* {degree}lägre än {b} ({measure} {va} mot {vb}; {q})",
        "dyad": "{a} svarade {degree}närmare *{pole}* än {b} på *{question}* ({measure} {va} mot {vb}; {q})",
        "stones": "{a} placerade *{stone}* {degree}närmare *{pole}* än {b} ({measure} {va} mot {vb}; {q})",
        "star.higher": "{a} skattade *{area}* {degree}högre än {b} ({measure} {va} mot {vb}; {q})",
        "star.lower": "{a} skattade *{area}* {degree}lägre än {b} ({measure} {va} mot {vb}; {q})",
        "choice.more": "{a} valde *{option}* {degree}oftare än {b} ({va} mot {vb}; {q})",
        "choice.less": "{a} valde *{option}* {degree}mer sällan än {b} ({va} mot {vb}; {q})",
        "na.more": "{a} svarade ”gäller inte” på *{question}* {degree}oftare än {b} ({va} mot {vb}; {q})",
        "na.less": "{a} svarade ”gäller inte” på *{question}* {degree}mer sällan än {b} ({va} mot {vb}; {q})",
        "cluster.triad.higher": "Kluster {cluster} ({stories}) placerade *{label}* {degree}högre än alla berättelser ({measure} {va} mot {vb})",
        "cluster.triad.lower": "Kluster {cluster} ({stories}) placerade *{label}* {degree}lägre än alla berättelser ({measure} {va} mot {vb})",
        "cluster.dyad": "Kluster {cluster} ({stories}) svarade {degree}närmare *{pole}* än alla berättelser på *{question}* ({measure} {va} mot {vb})",
        "cluster.choice.more": "I kluster {cluster} ({stories}) valdes *{option}* {degree}oftare än i alla berättelser ({va} mot {vb}; {q})",
        "cluster.choice.less": "I kluster {cluster} ({stories}) valdes *{option}* {degree}mer sällan än i alla berättelser ({va} mot {vb}; {q})",
        "too_small": "För få svar för att jämföra ({n_a} och {n_b}; minst {minimum} behövs i varje grupp).",
        "no_variation": "Alla svarade likadant, så det finns inget att jämföra.",
    },
}


def text(key: str, lang: str, **params) -> str:
    """The catalogue entry `key` in `lang`, filled in."""
    return SENTENCES[lang][key].format(**params)


def sentence(key: str, lang: str, **params) -> str:
    """A whole sentence: filled in, first letter capitalised, full stop at the end."""
    filled = text(key, lang, **params)
    filled = filled[:1].upper() + filled[1:]
    return filled if filled.endswith(".") else filled + "."


def both(key: str, **params_by_lang) -> dict[str, str]:
    """The sentence in every language; `params_by_lang` maps language → parameters."""
    return {lang: sentence(key, lang, **params_by_lang[lang]) for lang in LANGUAGES}


def number(value: float, lang: str, decimals: int = 2) -> str:
    """A decimal number; Swedish with a decimal comma."""
    written = f"{value:,.{decimals}f}"
    if lang == "sv":
        written = written.replace(",", "\u00a0").replace(".", ",")
    return written


def rating(value: float, lang: str) -> str:
    """A median on a whole-number scale: '7', or '6.5' / '6,5' between two steps."""
    return number(value, lang, 0 if float(value).is_integer() else 1)


def percent(share: float, lang: str) -> str:
    """A share as whole per cent: '34%' in English, '34 %' in Swedish."""
    whole = number(100.0 * share, lang, 0)
    return f"{whole}\u00a0%" if lang == "sv" else f"{whole}%"


def count(n: int, lang: str) -> str:
    """A whole count with thousands grouped: '1,234' / '1 234'."""
    return number(n, lang, 0)


def stories(n: int, lang: str) -> str:
    return text("stories.one" if n == 1 else "stories.many", lang, n=count(n, lang))


def q_value(q: float | None, lang: str) -> str:
    """'q < 0.001' below one in a thousand, otherwise two significant digits ('q = 0.012')."""
    if q is None:
        return ""
    if q < 0.001:
        return f"q < {number(0.001, lang, 3)}"
    decimals = max(2, 1 - math.floor(math.log10(q)))
    written = f"{q:.{decimals}f}"
    if decimals > 2:
        written = written.rstrip("0")
    return f"q = {written.replace('.', ',') if lang == 'sv' else written}"


def degree(strength: int, lang: str) -> str:
    return text(f"degree.{max(1, min(3, strength))}", lang)
