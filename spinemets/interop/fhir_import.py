"""Compatibility import: the FHIR importer lives in :mod:`spinemets.interop.fhir`."""

from __future__ import annotations

from spinemets.interop.fhir import (
    SCHEMA_HEADER,
    FhirImportError,
    ImportResult,
    MappingLine,
    import_bundle,
)

__all__ = ["SCHEMA_HEADER", "FhirImportError", "ImportResult", "MappingLine", "import_bundle"]
