"""Templates as users write them for heat_plugin's resource types.

They are documentation first; the tests and tools/bench_heat.py run them.
"""

import pathlib


def read(name):
    """The text of the example template NAME (e.g. 'x.yaml')."""
    return (pathlib.Path(__file__).parent / name).read_text()
