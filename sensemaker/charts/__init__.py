"""Charts for the pattern workshop: pure functions, picture data in, Altair chart out.

Every chart is drawn with the one registered theme (`theme`), takes data already
aggregated by `sensemaker.aggregate` and the language of its few words, and is tested
through `to_dict()`. The same chart goes to the browser (vega-embed, served by this app)
and into the report (vl-convert, as SVG).
"""

from . import theme
from .bars import choice, dyad, na_rates, tally, timeline
from .canvas import stones
from .radar import star
from .static import data_uri, svg
from .ternary import triad

PICTURES = {"triad": triad, "dyad": dyad, "stones": stones, "choice": choice, "star": star}


def picture(data: dict, lang: str, **options):
    """The chart for one question's picture data, whatever its kind."""
    return PICTURES[data["kind"]](data, lang, **options)


__all__ = ["choice", "data_uri", "dyad", "na_rates", "picture", "stones", "star", "svg", "tally",
           "theme", "timeline", "triad"]  # fmt: skip
