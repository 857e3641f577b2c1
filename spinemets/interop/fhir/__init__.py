"""Read mCODE / FHIR R4 input and draft a spinemets case file from it.

One module per job: :mod:`.bundle` (bytes to a checked Bundle), :mod:`.patient`,
:mod:`.conditions` (primary cancer), :mod:`.metastases` (secondary cancer),
:mod:`.observations` (ECOG, Karnofsky, labs), :mod:`.draft` (the case YAML),
:mod:`.codes` (terminology tables) and :mod:`.importer` (the order they run in).
"""

from __future__ import annotations

from spinemets.interop.fhir.draft import SCHEMA_HEADER
from spinemets.interop.fhir.importer import import_bundle, import_sources
from spinemets.interop.fhir.source import MAX_BUNDLE_BYTES, read_source
from spinemets.interop.fhir.state import FhirImportError, ImportResult, MappingLine

__all__ = [
    "MAX_BUNDLE_BYTES",
    "SCHEMA_HEADER",
    "FhirImportError",
    "ImportResult",
    "MappingLine",
    "import_bundle",
    "import_sources",
    "read_source",
]
