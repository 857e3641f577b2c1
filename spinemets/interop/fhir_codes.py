"""Compatibility import: the terminology tables live in :mod:`spinemets.interop.fhir.codes`."""

from __future__ import annotations

from spinemets.interop.fhir.codes import *  # noqa: F403
from spinemets.interop.fhir.primary_codes import *  # noqa: F403
