"""Turning analysis results into plain JSON values."""

import numpy as np


def plain(value):
    """Arrays, numpy scalars and tuples become lists and Python numbers; NaN and ±inf None."""
    if isinstance(value, dict):
        return {str(key): plain(item) for key, item in value.items()}
    if isinstance(value, np.ndarray):
        value = value.tolist()
    if isinstance(value, list | tuple):
        return [plain(item) for item in value]
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not np.isfinite(value):
        return None
    return value
