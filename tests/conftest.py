"""Shared test setup: hypothesis profiles and the import path of ``tests/strategies.py``.

Profiles: ``ci`` (bounded, derandomised, for continuous integration) is loaded when the ``CI``
environment variable is set; ``dev`` (more examples, still quick) otherwise.
``HYPOTHESIS_PROFILE`` picks a profile explicitly.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from hypothesis import HealthCheck, settings

_TESTS = str(Path(__file__).resolve().parent)
if _TESTS not in sys.path:  # ``from strategies import ...`` whatever pytest's import mode
    sys.path.insert(0, _TESTS)

settings.register_profile(
    "ci",
    max_examples=60,
    deadline=None,
    derandomize=True,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile(
    "dev",
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.load_profile(
    os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if os.environ.get("CI") else "dev")
)
