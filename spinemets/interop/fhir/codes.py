"""Terminology tables for the FHIR/mCODE reader and writer, as plain data.

Sources (named per table): the mCODE STU4 (4.0.0) implementation guide (profiles, code systems,
ECOG/KPS answer lists, secondary-cancer codes), DICOM PS3.16 CID 7603 and CID 4031 (vertebra
and spine-region codes), LOINC (ECOG, KPS, albumin). Tables generated from the IG package are
in :mod:`.mcode_tables`. Other codes were confirmed in public FHIR implementation guides and
terminology files (named beside each table). A code that is not in a table is never guessed:
the importer reports it as "ignored" and leaves the field ``unknown`` for the clinician.
"""

from __future__ import annotations

from typing import Final, TypeVar

# --- code systems and canonical URLs (mCODE STU4) ---------------------------------------------

SNOMED: Final = "http://snomed.info/sct"
LOINC: Final = "http://loinc.org"
ICD10CM: Final = "http://hl7.org/fhir/sid/icd-10-cm"
ICD10: Final = "http://hl7.org/fhir/sid/icd-10"  # WHO ICD-10: same C-chapter categories used here
ICDO3: Final = "http://terminology.hl7.org/CodeSystem/icd-o-3"
UCUM: Final = "http://unitsofmeasure.org"
OBSERVATION_CATEGORY: Final = "http://terminology.hl7.org/CodeSystem/observation-category"
DATA_ABSENT_REASON: Final = "http://terminology.hl7.org/CodeSystem/data-absent-reason"

MCODE_SD: Final = "http://hl7.org/fhir/us/mcode/StructureDefinition/"
PRIMARY_PROFILE: Final = MCODE_SD + "mcode-primary-cancer-condition"
SECONDARY_PROFILE: Final = MCODE_SD + "mcode-secondary-cancer-condition"
ECOG_PROFILE: Final = MCODE_SD + "mcode-ecog-performance-status"
KPS_PROFILE: Final = MCODE_SD + "mcode-karnofsky-performance-status"
HISTOLOGY_EXTENSION: Final = MCODE_SD + "mcode-histology-morphology-behavior"
RELATED_CONDITION_EXTENSION: Final = "http://hl7.org/fhir/StructureDefinition/condition-related"
ASSERTED_DATE_EXTENSION: Final = "http://hl7.org/fhir/StructureDefinition/condition-assertedDate"

# --- LOINC observation codes -----------------------------------------------------------------

#: ECOG performance status score (mCODE fixes Observation.code to it).
LOINC_ECOG: Final = "89247-1"
#: Karnofsky performance status score (mCODE fixes Observation.code to it).
LOINC_KPS: Final = "89243-0"
#: Albumin [Mass/volume] in Serum or Plasma.
LOINC_ALBUMIN: Final = "1751-7"

#: eGFR (mL/min/1.73 m2). These LOINC terms were confirmed in the
#: HL7 Switzerland lab IG (ch-lab-report, eGFR profiles) and an OHDSI/Athena-linked code list.
LOINC_EGFR: Final[dict[str, str]] = {
    "98979-8": "eGFR by creatinine-based formula (CKD-EPI 2021)",
    "98980-6": "eGFR by creatinine and cystatin C-based formula (CKD-EPI 2021)",
    "62238-1": "eGFR by creatinine-based formula (CKD-EPI)",
    "88293-6": "eGFR among blacks by creatinine-based formula (CKD-EPI)",
    "88294-4": "eGFR among non-blacks by creatinine-based formula (CKD-EPI)",
    "33914-3": "eGFR in serum or plasma by creatinine-based formula (MDRD)",
    "48642-3": "eGFR among non-blacks by creatinine-based formula (MDRD)",
    "48643-1": "eGFR among blacks by creatinine-based formula (MDRD)",
    "50044-7": "eGFR among females by creatinine-based formula (MDRD)",
    "70969-1": "eGFR among males by creatinine-based formula (MDRD)",
    "50210-4": "eGFR by cystatin-based formula",
}

#: UCUM units accepted for albumin, with the factor to g/dL.
ALBUMIN_UNITS_TO_G_DL: Final[dict[str, float]] = {"g/dL": 1.0, "g/L": 0.1}
#: UCUM spellings accepted for eGFR (the UCUM code is ``mL/min/{1.73_m2}``).
EGFR_UNITS: Final[frozenset[str]] = frozenset(
    {"mL/min/{1.73_m2}", "mL/min/1.73m2", "mL/min/1.73_m2", "mL/min/{1.73m2}", "mL/min/1.73 m2"}
)

#: ECOG answer list LL529-9 (mCODE ECOG example; MII value set): LOINC answer code → grade.
ECOG_ANSWERS: Final[dict[str, int]] = {
    "LA9622-7": 0,
    "LA9623-5": 1,
    "LA9624-3": 2,
    "LA9625-0": 3,
    "LA9626-8": 4,
    "LA9627-6": 5,
}

#: Karnofsky answer list LL4986-7 (MII ConceptMap, agreeing value sets): answer code → KPS.
KPS_ANSWERS: Final[dict[str, int]] = {
    "LA29175-9": 100,
    "LA29176-7": 90,
    "LA29177-5": 80,
    "LA29178-3": 70,
    "LA29179-1": 60,
    "LA29180-9": 50,
    "LA29181-7": 40,
    "LA29182-5": 30,
    "LA29183-3": 20,
    "LA29184-1": 10,
    "LA9627-6": 0,
}

# --- vertebral levels (DICOM PS3.16 CID 7603 "Vertebra", 24 codes) -----------------------------

#: Level → SNOMED CT whole-vertebra code. Sacrum and coccyx are deliberately absent: the sources
#: disagree, so such body sites are reported, never mapped.
LEVEL_TO_SNOMED: Final[dict[str, str]] = {
    "C1": "14806007",
    "C2": "39976000",
    "C3": "113205007",
    "C4": "5329002",
    "C5": "36978003",
    "C6": "36054005",
    "C7": "87391001",
    "T1": "64864005",
    "T2": "53733008",
    "T3": "1626008",
    "T4": "73071006",
    "T5": "56401006",
    "T6": "45296009",
    "T7": "62487009",
    "T8": "11068009",
    "T9": "82687006",
    "T10": "7610001",
    "T11": "12989004",
    "T12": "23215003",
    "L1": "66794005",
    "L2": "14293000",
    "L3": "36470004",
    "L4": "11994002",
    "L5": "49668003",
}
#: SNOMED CT vertebra code → level (the inverse of :data:`LEVEL_TO_SNOMED`).
SNOMED_TO_LEVEL: Final[dict[str, str]] = {code: level for level, code in LEVEL_TO_SNOMED.items()}

#: Spine regions (DICOM CID 4031): spinal involvement without a level.
SPINE_REGIONS: Final[dict[str, str]] = {
    "122494005": "cervical spine",
    "122495006": "thoracic spine",
    "122496007": "lumbar spine",
    "421060004": "spine",
    "1217257000": "cervico-thoracic spine",
    "1217256009": "thoraco-lumbar spine",
    "1217253001": "lumbo-sacral spine",
}

#: Sacral and coccygeal codes on which the sources disagree: spinal, but never given a level.
SACRAL_SPINE_SITES: Final[dict[str, str]] = {
    "54735007": "sacrum (DICOM CID 4031; sources disagree)",
    "64688005": "coccyx (DICOM CID 4031; sources disagree)",
    "699698002": "sacrum (sources disagree)",
    "278915007": "coccyx (sources disagree)",
    "65985001": "S1 (sources disagree)",
    "11808007": "S2 (sources disagree)",
    "49967005": "S3 (sources disagree)",
    "69950008": "S4 (sources disagree)",
    "21452006": "S5 (sources disagree)",
}

# --- secondary (metastatic) disease ------------------------------------------------------------

#: What a secondary-cancer code says about the site of the metastasis.
SITE_BONE: Final = "bone"
SITE_SPINE: Final = "spine"
SITE_VISCERAL: Final = "visceral"
SITE_BRAIN: Final = "brain"

#: SNOMED CT secondary-malignancy codes. 94222008 (bone) and 94602001 (vertebral column, ⚠️ one
#: source); brain, liver, lung and adrenal from the UZ Leuven lung-cancer
#: "location of metastasis" value set and mCODE-based IG examples.
SNOMED_SECONDARY: Final[dict[str, tuple[str, str]]] = {
    "94222008": (SITE_BONE, "Secondary malignant neoplasm of bone"),
    "94602001": (SITE_SPINE, "Secondary malignant neoplasm of vertebral column"),
    "94225005": (SITE_BRAIN, "Secondary malignant neoplasm of brain"),
    "94381002": (SITE_VISCERAL, "Secondary malignant neoplasm of liver"),
    "94391008": (SITE_VISCERAL, "Secondary malignant neoplasm of lung"),
    "94161006": (SITE_VISCERAL, "Secondary malignant neoplasm of adrenal gland"),
}
#: Generic "Secondary malignant neoplastic disease" (the root of mCODE SecondaryCancerDisorderVS):
#: the site comes from bodySite.
SNOMED_SECONDARY_GENERIC: Final = "128462008"

#: ICD-10-CM secondary-malignancy codes (C77-C79; mCODE SecondaryCancerDisorderVS). Keys are codes
#: without the dot; the longest matching prefix wins. C79.52 (bone marrow) is not a countable
#: bone focus and C77 (lymph nodes), pleura, skin and the unspecified sites are not classified.
ICD10_SECONDARY: Final[dict[str, tuple[str, str]]] = {
    "C7951": (SITE_BONE, "Secondary malignant neoplasm of bone"),
    "C7931": (SITE_BRAIN, "Secondary malignant neoplasm of brain"),
    "C780": (SITE_VISCERAL, "Secondary malignant neoplasm of lung"),
    "C784": (SITE_VISCERAL, "Secondary malignant neoplasm of small intestine"),
    "C785": (SITE_VISCERAL, "Secondary malignant neoplasm of large intestine and rectum"),
    "C786": (SITE_VISCERAL, "Secondary malignant neoplasm of retroperitoneum and peritoneum"),
    "C787": (SITE_VISCERAL, "Secondary malignant neoplasm of liver and intrahepatic bile duct"),
    "C788": (SITE_VISCERAL, "Secondary malignant neoplasm of other digestive organs"),
    "C790": (SITE_VISCERAL, "Secondary malignant neoplasm of kidney and renal pelvis"),
    "C791": (SITE_VISCERAL, "Secondary malignant neoplasm of bladder and other urinary organs"),
    "C796": (SITE_VISCERAL, "Secondary malignant neoplasm of ovary"),
    "C797": (SITE_VISCERAL, "Secondary malignant neoplasm of adrenal gland"),
}
#: ICD-10-CM prefixes that are secondary malignancies (mCODE SecondaryCancerDisorderVS).
ICD10_SECONDARY_PREFIXES: Final = ("C77", "C78", "C79", "C7B")


def normalise_icd(code: str) -> str:
    """``C79.51`` → ``C7951`` (upper case, no dot or spaces)."""
    return code.replace(".", "").replace(" ", "").upper()


V = TypeVar("V")


def longest_prefix(table: dict[str, V], code: str) -> tuple[str, V] | None:
    """The entry whose key is the longest prefix of the normalised ``code``."""
    key = normalise_icd(code)
    for end in range(len(key), 2, -1):
        hit = table.get(key[:end])
        if hit is not None:
            return key[:end], hit
    return None
