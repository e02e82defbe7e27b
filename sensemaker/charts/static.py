"""Charts drawn on the server, for the report: SVG from vl-convert, no browser, no network."""

import base64

import vl_convert

from .theme import enable


def svg(chart) -> str:
    """The chart as an SVG document (vl-convert renders Vega-Lite offline)."""
    enable()
    spec = chart.to_dict(validate=False)
    spec.pop("$schema", None)
    # No base URL is allowed: a picture never fetches anything, even if data asked it to.
    return vl_convert.vegalite_to_svg(spec, allowed_base_urls=[])


def data_uri(document: str) -> str:
    """An SVG as a `data:` URI for an <img>: shown and printed, but never run as a page."""
    return "data:image/svg+xml;base64," + base64.b64encode(document.encode()).decode("ascii")
