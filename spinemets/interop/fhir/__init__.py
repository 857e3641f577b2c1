"""Read mCODE / FHIR R4 input and draft a spinemets case file from it.

One module per job: :mod:`.bundle` (bytes to a checked Bundle), :mod:`.patient`,
:mod:`.conditions` (primary cancer), :mod:`.metastases` (secondary cancer),
:mod:`.observations` (ECOG, Karnofsky, labs), :mod:`.draft` (the case YAML),
:mod:`.codes` (terminology tables) and :mod:`.importer` (the order they run in).
"""

from __future__ import annotations

from spinemets.interop.fhir.draft import SCHEMA_HEADER
from spinemets.interop.fhir.importer import import_bundle
from spinemets.interop.fhir.state import FhirImportError, ImportResult, MappingLine

__all__ = ["SCHEMA_HEADER", "FhirImportError", "ImportResult", "MappingLine", "import_bundle"]
