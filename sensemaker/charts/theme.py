"""The one theme every workshop chart is drawn with: large type, colour-blind-safe colours.

Registered with Altair and enabled on import, so `chart.to_dict()` carries it and the
browser (vega-embed) and the report (vl-convert) draw the same picture.
"""

import altair as alt
from altair.utils import schemapi

# Altair checks every object against the Vega-Lite schema as it is built ("debug mode"),
# which for a picture with 2 500 dots costs ten times the picture itself. Specs are still
# checked whole by `to_dict()` in the chart tests; the server skips the check.
schemapi.disable_debug_mode()

NAME = "sensemaker"
# Okabe & Ito's palette, safe for the common colour-vision deficiencies; black last.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442",
           "#000000"]  # fmt: skip
INK = "#1b1b1b"
MUTED = "#5a5a5a"
ACCENT = "#D55E00"  # the centre and its region, against blue dots
DENSITY = "blues"  # sequential scheme for triangular bins, readable without hue
# Arial's metrics: Liberation Sans (Linux) and Helvetica match them, so text measured when a
# picture is drawn on the server fits the same space wherever the report is opened.
FONT = "Arial, 'Liberation Sans', Helvetica, sans-serif"
SIZES = {"label": 16, "title": 18, "heading": 22}


@alt.theme.register(NAME, enable=True)
def theme() -> alt.theme.ThemeConfig:
    return {
        "config": {
            "font": FONT,
            "background": "white",
            "padding": {"left": 8, "top": 8, "bottom": 8, "right": 20},
            "view": {"stroke": None},
            "range": {"category": PALETTE},
            "title": {"fontSize": SIZES["heading"], "color": INK, "anchor": "start", "font": FONT,
                      "subtitleFont": FONT,
                      "subtitleFontSize": SIZES["label"], "subtitleColor": MUTED},
            "axis": {"labelFontSize": SIZES["label"], "titleFontSize": SIZES["title"],
                     "labelColor": INK, "titleColor": INK, "gridColor": "#e3e3e3",
                     "labelLimit": 320},
            "legend": {"labelFontSize": SIZES["label"], "titleFontSize": SIZES["label"],
                       "labelLimit": 320},
            "text": {"fontSize": SIZES["label"], "color": INK},
            "bar": {"color": PALETTE[0]},
            "point": {"color": PALETTE[0]},
            "circle": {"color": PALETTE[0]},
        }
    }  # fmt: skip


def enable() -> None:
    """Make sure the workshop theme is the active one (another may have been enabled)."""
    alt.theme.enable(NAME)
