from __future__ import annotations

from hypothesis import settings

# Why no deadline: speed is measured by the benchmarks, not by property tests, whose examples
# take longer when the machine is busy; a failure prints the blob that reproduces it.
settings.register_profile("sta", deadline=None, print_blob=True)
settings.load_profile("sta")
