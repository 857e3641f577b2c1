#!/usr/bin/env python3
"""Regenerate ``spinemets/interop/fhir/mcode_tables.py`` from the mCODE IG package.

Run by hand when the mCODE release changes (never at run time, never in CI):

    python scripts/generate_mcode_tables.py            # fetches the package with `npm pack`
    python scripts/generate_mcode_tables.py --package DIR   # an already extracted package/

It reads, from ``hl7.fhir.us.mcode`` (CC0-1.0):

* the ICD-10-CM codes of PrimaryMalignantNeoplasmDisorderVS and SecondaryCancerDisorderVS
  (their SNOMED CT parts are intensional ``is-a`` filters and are not expanded here);
* the TG263 ConceptMap rows for vertebral bodies (``VB_<level>`` → SNOMED CT), spine regions
  without a level, and non-vertebral bones (skull, limb and girdle bones, ribs);
* the codes of the IG's example Conditions (the real codings a reader must handle).

Review the diff of the generated module before committing it: the mapping of these codes to
spinemets primaries lives in ``codes.py`` (reviewed ranges), not here.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import pprint
import re
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path
from typing import Any

PACKAGE = "hl7.fhir.us.mcode"
VERSION = "4.0.0"
OUT = Path(__file__).resolve().parents[1] / "spinemets" / "interop" / "fhir" / "mcode_tables.py"
ICD10CM = "http://hl7.org/fhir/sid/icd-10-cm"
#: TG263 rows left out: ``VB`` and ``VB_C`` carry 3572006 (body of vertebra, with a wrong
#: display for VB_C), and ``VB_T13`` is a transitional vertebra most spines do not have.
SKIPPED_TG263 = frozenset({"VB", "VB_C", "VB_T13"})
SPINE_REGION_TG263 = {"VB_T": "thoracic vertebra", "VB_L": "lumbar vertebra", "VB_S": "sacrum"}
#: TG263 bones outside the spine. ``Bone_Pelvic`` ("innominate bone and/or sacrum and/or
#: coccyx") may be the sacrum, so it is not here; joints and marrow are not bone foci.
NON_VERTEBRAL_BONE = re.compile(
    r"(Acetabulum|Bone_(?!Pelvic)[A-Za-z]+|Clavicle|Femur(?!_Joint)|Fibula|Humerus|Radius|Rib|"
    r"Scapula|Skull)(_[A-Za-z0-9]+)?s?"
)


#: TG263 organ rows read as the body site of a primary cancer (the name without laterality).
ORGAN_TG263 = re.compile(
    r"(Bladder|Bowel_Large|Breast|Colon|Colon_Sigmoid|Esophagus|Gallbladder|Kidney|Liver|"
    r"Lung|Ovary|Pancreas|Prostate|Rectum|Stomach|Thyroid|Uterus)(?:s|_L|_R)?"
)


def _fetch(workdir: Path) -> tuple[Path, str]:
    subprocess.run(["npm", "pack", f"{PACKAGE}@{VERSION}", "--silent"], cwd=workdir, check=True)
    tarball = next(workdir.glob("*.tgz"))
    digest = hashlib.sha256(tarball.read_bytes()).hexdigest()
    with tarfile.open(tarball) as archive:
        archive.extractall(workdir, filter="data")
    return workdir / "package", digest


def _json(package: Path, name: str) -> Any:
    return json.loads((package / name).read_text(encoding="utf-8"))


def _icd10cm(package: Path, vs: str) -> dict[str, str]:
    data = _json(package, f"ValueSet-{vs}.json")
    return {
        c["code"]: " ".join(c.get("display", "").split())
        for include in data["compose"]["include"]
        if include.get("system") == ICD10CM
        for c in include.get("concept", [])
    }


_ORDINALS = (
    "first",
    "second",
    "third",
    "fourth",
    "fifth",
    "sixth",
    "seventh",
    "eighth",
    "ninth",
    "tenth",
    "eleventh",
    "twelfth",
)


def _display_agrees(level: str, display: str) -> bool:
    """The display names the same vertebra (the map has a T13 row filed under VB_T12)."""
    words = display.lower().split()
    if level in ("C1", "C2"):
        return ("atlas" if level == "C1" else "axis") in words
    return _ORDINALS[int(level[1:]) - 1] in words


def _level(tg263: str) -> str | None:
    match = re.fullmatch(r"VB_([CTLS])0?([0-9]{1,2})", tg263)
    return f"{match[1]}{int(match[2])}" if match else None


def _organs(package: Path) -> dict[str, tuple[str, str]]:
    data = _json(package, "ConceptMap-TG263CM.json")
    out: dict[str, tuple[str, str]] = {}
    for group in data["group"]:
        for element in group["element"]:
            match = ORGAN_TG263.fullmatch(element["code"])
            targets = [t for t in element.get("target", []) if t.get("equivalence") == "equivalent"]
            if match and len(targets) == 1 and "lobe" not in targets[0].get("display", ""):
                out.setdefault(targets[0]["code"], (match[1], targets[0].get("display", "")))
    return dict(sorted(out.items()))


def _tg263(package: Path) -> tuple[dict[str, Any], dict[str, str], dict[str, str]]:
    data = _json(package, "ConceptMap-TG263CM.json")
    bodies: dict[str, tuple[str, str]] = {}
    regions: dict[str, str] = {}
    bones: dict[str, str] = {}
    for group in data["group"]:
        for element in group["element"]:
            name = element["code"]
            targets = [t for t in element.get("target", []) if t.get("equivalence") == "equivalent"]
            if name in SKIPPED_TG263 or len(targets) != 1:
                continue
            code, display = targets[0]["code"], targets[0].get("display", "")
            if (level := _level(name)) is not None:
                if _display_agrees(level, display):
                    bodies[code] = (level, display)
            elif name in SPINE_REGION_TG263:
                regions[code] = display
            elif NON_VERTEBRAL_BONE.fullmatch(name):
                bones.setdefault(code, display)
    return dict(sorted(bodies.items())), dict(sorted(regions.items())), dict(sorted(bones.items()))


def _examples(package: Path) -> dict[str, tuple[str, str, str]]:
    out: dict[str, tuple[str, str, str]] = {}
    for path in sorted((package / "example").glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        resources = (
            [e["resource"] for e in data.get("entry", [])]
            if data.get("resourceType") == "Bundle"
            else [data]
        )
        for resource in resources:
            if resource.get("resourceType") != "Condition":
                continue
            profile = next(iter(resource.get("meta", {}).get("profile", [])), "")
            if "cancer-condition" not in profile:
                continue
            kind = "primary" if "primary" in profile else "secondary"
            for coding in resource.get("code", {}).get("coding", []):
                out[coding["code"]] = (kind, coding.get("system", ""), coding.get("display", ""))
    return dict(sorted(out.items()))


def _render(tables: dict[str, Any], digest: str, package_json: dict[str, Any]) -> str:
    head = f'''"""Terminology from the mCODE IG package, generated: do not edit by hand.

Source: npm package ``{PACKAGE}`` version {VERSION}, the minimal Common Oncology Data
Elements (mCODE) Implementation Guide by HL7 International; licence
{package_json.get("license")}; canonical {package_json.get("canonical")}.
Tarball sha256: {digest}.
Regenerate with ``python scripts/generate_mcode_tables.py`` and review the diff. What each
code means for spinemets is decided in ``codes.py``, not here.
"""

from __future__ import annotations

from typing import Final

PACKAGE: Final = "{PACKAGE}"
VERSION: Final = "{VERSION}"
LICENCE: Final = "{package_json.get("license")}"
TARBALL_SHA256: Final = "{digest}"
'''
    parts = [head]
    for name, (annotation, doc, value) in tables.items():
        body = pprint.pformat(value, width=96, sort_dicts=True)
        parts.append(f"\n#: {doc}\n{name}: Final[{annotation}] = {body}\n")
    return "".join(parts)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--package", type=Path, help="an extracted package/ directory")
    parser.add_argument("--sha256", default="", help="the tarball's sha256 (with --package)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        if args.package is None:
            package, digest = _fetch(Path(tmp))
        else:
            package, digest = args.package, args.sha256 or "not recorded"
        package_json = _json(package, "package.json")
        if package_json.get("version") != VERSION:
            sys.exit(f"expected {PACKAGE} {VERSION}, found {package_json.get('version')}")
        bodies, regions, bones = _tg263(package)
        tables = {
            "PRIMARY_ICD10CM": (
                "dict[str, str]",
                "ICD-10-CM codes of PrimaryMalignantNeoplasmDisorderVS → display.",
                _icd10cm(package, "mcode-primary-malignant-neoplasm-disorder-vs"),
            ),
            "SECONDARY_ICD10CM": (
                "dict[str, str]",
                "ICD-10-CM codes of SecondaryCancerDisorderVS → display.",
                _icd10cm(package, "mcode-secondary-cancer-disorder-vs"),
            ),
            "VERTEBRAL_BODY_SNOMED": (
                "dict[str, tuple[str, str]]",
                "TG263 VB_<level> rows: SNOMED CT vertebral-body code → (level, display).",
                bodies,
            ),
            "SPINE_REGION_SNOMED": (
                "dict[str, str]",
                "TG263 spine rows without a level (VB_T, VB_L, VB_S): SNOMED CT → display.",
                regions,
            ),
            "NON_VERTEBRAL_BONE_SNOMED": (
                "dict[str, str]",
                "TG263 bones outside the spine (skull, girdles, limbs, ribs): SNOMED CT → display.",
                bones,
            ),
            "ORGAN_SITE_SNOMED": (
                "dict[str, tuple[str, str]]",
                "TG263 organ rows: SNOMED CT body structure → (TG263 organ, display).",
                _organs(package),
            ),
            "EXAMPLE_CANCER_CODES": (
                "dict[str, tuple[str, str, str]]",
                "Codes of the IG's example cancer Conditions → (profile kind, system, display).",
                _examples(package),
            ),
        }
        OUT.write_text(_render(tables, digest, package_json), encoding="utf-8")
    subprocess.run([sys.executable, "-m", "ruff", "format", "--quiet", str(OUT)], check=False)
    print(f"wrote {OUT}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
