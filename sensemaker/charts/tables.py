"""Large tables kept by name at the top of a chart instead of inside its layers.

Altair copies a chart's data on every `encode`, `mark_*` and `layer` call; a picture with
2 500 dots spent more time in those copies than in everything else. Layers refer to the
table by name (`NamedData`) and the rows are attached once, at the top (`datasets`), which
is plain Vega-Lite.
"""

import altair as alt


class Tables:
    def __init__(self):
        self.rows: dict[str, list] = {}

    def __call__(self, name: str, rows: list) -> alt.NamedData:
        self.rows[name] = rows
        return alt.NamedData(name=name)

    def attach(self, chart):
        """The chart with its named tables; call last, on the top-level chart.

        Set directly rather than through `properties()`, which would check every row
        against the schema; `to_dict()` checks the whole spec in the chart tests.
        """
        if not self.rows:
            return chart
        chart = chart.copy(deep=False)
        chart.datasets = self.rows
        return chart
