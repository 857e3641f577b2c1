"""Primary cancer terminology as plain data: which coded primary a disorder code, a body site
or a histology stands for (SNOMED CT, ICD-10-CM / WHO ICD-10, ICD-O-3 topography and
morphology). The mCODE ICD-10-CM value set itself is in :mod:`.mcode_tables`; the ranges here
decide what each of its codes means. A code not in a table is never guessed.
"""

from __future__ import annotations

from typing import Final

from spinemets.case.models import Primary

# --- primary cancer → cancer.primary ------------------------------------------------------------

#: SNOMED CT disorder codes → primary. Sources: the "Primary malignant neoplasm of …" codes of
#: the CodeX OncoTree value set (standardhealth/fsh-pct); the general "Malignant neoplasm of …"
#: codes each confirmed in several independent public code lists and FHIR examples (the mCODE
#: NSCLC example uses 254637007).
SNOMED_PRIMARY: Final[dict[str, tuple[Primary, str]]] = {
    "254837009": (Primary.BREAST, "Malignant neoplasm of breast"),
    "372137005": (Primary.BREAST, "Primary malignant neoplasm of breast"),
    "399068003": (Primary.PROSTATE, "Malignant tumor of prostate"),
    "93974005": (Primary.PROSTATE, "Primary malignant neoplasm of prostate"),
    "363358000": (Primary.LUNG, "Malignant tumor of lung"),
    "93880001": (Primary.LUNG, "Primary malignant neoplasm of lung"),
    "254637007": (Primary.LUNG_NSCLC, "Non-small cell lung cancer"),
    "254632001": (Primary.LUNG_SCLC, "Small cell carcinoma of lung"),
    "363518003": (Primary.KIDNEY, "Malignant tumor of kidney"),
    "93849006": (Primary.KIDNEY, "Primary malignant neoplasm of kidney"),
    "94098005": (Primary.THYROID, "Primary malignant neoplasm of thyroid gland"),
    "363406005": (Primary.COLON, "Malignant tumor of colon"),
    "93761005": (Primary.COLON, "Primary malignant neoplasm of colon"),
    "372014001": (Primary.STOMACH, "Primary malignant neoplasm of stomach"),
    "371984007": (Primary.ESOPHAGUS, "Primary malignant neoplasm of esophagus"),
    "95214007": (Primary.LIVER, "Primary malignant neoplasm of liver"),
    "363418001": (Primary.PANCREAS, "Malignant tumor of pancreas"),
    "372003004": (Primary.PANCREAS, "Primary malignant neoplasm of pancreas"),
    "93689003": (Primary.BLADDER, "Primary malignant neoplasm of bladder"),
    "93934004": (Primary.OVARIAN, "Primary malignant neoplasm of ovary"),
    "10708511000119108": (Primary.UTERUS, "Primary malignant neoplasm of uterus"),
    "372010005": (Primary.SARCOMA, "Primary malignant neoplasm of soft tissues"),
    "372244006": (Primary.MELANOMA, "Malignant melanoma"),
    "109989006": (Primary.MYELOMA, "Multiple myeloma"),
    "118600007": (Primary.LYMPHOMA, "Malignant lymphoma"),
    "93143009": (Primary.LEUKEMIA, "Leukemia"),
    # codings of the mCODE 4.0.0 IG examples (mcode_tables.EXAMPLE_CANCER_CODES) and of
    # published example bundles
    "353431000119107": (Primary.BREAST, "Primary malignant neoplasm of female left breast"),
    "408643008": (Primary.BREAST, "Infiltrating duct carcinoma of breast"),
    "92814006": (Primary.LEUKEMIA, "Chronic lymphoid leukemia"),
    "277571004": (Primary.LEUKEMIA, "B-cell acute lymphoblastic leukemia"),
}

#: SNOMED CT codes that say "a primary malignancy" without its site: the site comes from the
#: condition's bodySite or its histology. 128462008 is the mCODE "nonspecific" example's
#: code under the primary-cancer profile (the profile, not the wording, makes it a primary).
SNOMED_PRIMARY_NONSPECIFIC: Final[dict[str, str]] = {
    "363346000": "Malignant neoplastic disease",
    "128462008": "Metastatic malignant neoplasm",
}

#: TG263 organ (mcode_tables.ORGAN_SITE_SNOMED) → the primary a cancer *at* that organ is.
ORGAN_PRIMARY: Final[dict[str, Primary]] = {
    "Bladder": Primary.BLADDER,
    "Bowel_Large": Primary.COLON,
    "Breast": Primary.BREAST,
    "Colon": Primary.COLON,
    "Colon_Sigmoid": Primary.COLON,
    "Esophagus": Primary.ESOPHAGUS,
    "Gallbladder": Primary.GALLBLADDER,
    "Kidney": Primary.KIDNEY,
    "Liver": Primary.LIVER,
    "Lung": Primary.LUNG,
    "Ovary": Primary.OVARIAN,
    "Pancreas": Primary.PANCREAS,
    "Prostate": Primary.PROSTATE,
    "Rectum": Primary.RECTUM,
    "Stomach": Primary.STOMACH,
    "Uterus": Primary.UTERUS,
}
#: Body structures not in the TG263 map: the lateral breast structures (80248007 is the IG
#: breast example's bodySite) and the thyroid gland.
EXTRA_SITE_PRIMARY: Final[dict[str, tuple[Primary, str]]] = {
    "80248007": (Primary.BREAST, "Left breast structure"),
    "73056007": (Primary.BREAST, "Right breast structure"),
    "69748006": (Primary.THYROID, "Thyroid structure"),
}

#: Solid-tumour site categories shared by ICD-10 and ICD-O-3 topography (C00-C80 follow the
#: same site categories). Keys are codes without the dot.
_SHARED_SITE_PRIMARY: Final[dict[str, tuple[Primary, str]]] = {
    **{f"C{n:02d}": (Primary.HEAD_AND_NECK, "Lip, oral cavity and pharynx") for n in range(0, 15)},
    "C30": (Primary.HEAD_AND_NECK, "Nasal cavity and middle ear"),
    "C31": (Primary.HEAD_AND_NECK, "Accessory sinuses"),
    "C32": (Primary.HEAD_AND_NECK, "Larynx"),
    "C15": (Primary.ESOPHAGUS, "Esophagus"),
    "C16": (Primary.STOMACH, "Stomach"),
    "C18": (Primary.COLON, "Colon"),
    "C20": (Primary.RECTUM, "Rectum"),
    "C23": (Primary.GALLBLADDER, "Gallbladder"),
    "C25": (Primary.PANCREAS, "Pancreas"),
    "C34": (Primary.LUNG, "Bronchus and lung"),
    "C50": (Primary.BREAST, "Breast"),
    "C54": (Primary.UTERUS, "Corpus uteri"),
    "C55": (Primary.UTERUS, "Uterus, part unspecified"),
    "C56": (Primary.OVARIAN, "Ovary"),
    "C61": (Primary.PROSTATE, "Prostate"),
    "C64": (Primary.KIDNEY, "Kidney, except renal pelvis"),
    "C67": (Primary.BLADDER, "Bladder"),
    "C73": (Primary.THYROID, "Thyroid gland"),
}

#: ICD-10-CM (and WHO ICD-10) codes → primary. Keys are codes without the dot; the longest
#: matching prefix wins (so ``C22.1`` intrahepatic bile duct carcinoma is not "liver"). C7A is
#: ICD-10-CM only. Sites whose class is a clinical judgement (cervix, testis, rectosigmoid
#: junction, bone, skin) are left out on purpose: the clinician codes them.
ICD10_PRIMARY: Final[dict[str, tuple[Primary, str]]] = {
    **_SHARED_SITE_PRIMARY,
    "C22": (Primary.LIVER, "Liver and intrahepatic bile ducts"),
    "C220": (Primary.LIVER, "Liver cell carcinoma"),
    "C221": (Primary.OTHER, "Intrahepatic bile duct carcinoma"),
    "C43": (Primary.MELANOMA, "Malignant melanoma of skin"),
    "C49": (Primary.SARCOMA, "Other connective and soft tissue"),
    "C7A0": (Primary.CARCINOID, "Malignant carcinoid tumors"),
    "C7A1": (Primary.NEUROENDOCRINE, "Malignant poorly differentiated neuroendocrine tumors"),
    "C7A8": (Primary.NEUROENDOCRINE, "Other malignant neuroendocrine tumors"),
    "C80": (Primary.UNKNOWN_PRIMARY, "Malignant neoplasm without specification of site"),
    # sites that are none of the coded primaries
    "C17": (Primary.OTHER, "Small intestine"),
    "C24": (Primary.OTHER, "Other and unspecified parts of biliary tract"),
    "C33": (Primary.OTHER, "Trachea"),
    "C37": (Primary.OTHER, "Thymus"),
    "C45": (Primary.OTHER, "Mesothelioma"),
    "C51": (Primary.OTHER, "Vulva"),
    "C52": (Primary.OTHER, "Vagina"),
    "C60": (Primary.OTHER, "Penis"),
    "C70": (Primary.OTHER, "Meninges"),
    "C71": (Primary.OTHER, "Brain"),
    "C72": (Primary.OTHER, "Spinal cord, cranial nerves and other parts of central nervous system"),
    **{f"C{n}": (Primary.LYMPHOMA, "Lymphoma") for n in (81, 82, 83, 84, 85, 86, 88)},
    "C90": (Primary.MYELOMA, "Multiple myeloma and malignant plasma cell neoplasms"),
    "C901": (Primary.LEUKEMIA, "Plasma cell leukemia"),
    **{f"C{n}": (Primary.LEUKEMIA, "Leukemia") for n in (91, 92, 93, 94, 95)},
}

#: ICD-10-CM categories of the mCODE primary value set left to the clinician: the primary
#: they stand for is a clinical judgement (histology decides), so they are never mapped.
ICD10_LEFT_TO_CLINICIAN: Final[dict[str, str]] = {
    "C19": "rectosigmoid junction: rectum or colon",
    "C21": "anus: squamous or adenocarcinoma",
    "C26": "ill-defined digestive site",
    "C38": "heart, mediastinum, pleura: sarcoma, thymic or mesothelial",
    "C39": "ill-defined respiratory site",
    "C40": "bone of a limb: osteosarcoma, chondrosarcoma, Ewing or other",
    "C41": "bone: osteosarcoma, chondrosarcoma, chordoma or other",
    "C44": "skin other than melanoma: squamous, basal or adnexal",
    "C46": "Kaposi sarcoma",
    "C47": "peripheral nerves: sarcoma or neuroblastic tumour",
    "C48": "retroperitoneum and peritoneum: sarcoma or peritoneal carcinoma",
    "C4A": "Merkel cell carcinoma",
    "C53": "cervix uteri",
    "C57": "other female genital organs (e.g. fallopian tube)",
    "C58": "placenta (gestational trophoblastic)",
    "C62": "testis: germ cell or other",
    "C63": "other male genital organs",
    "C65": "renal pelvis: urothelial, not renal cell",
    "C66": "ureter: urothelial",
    "C68": "other urinary organs",
    "C69": "eye and adnexa: uveal melanoma, retinoblastoma or other",
    "C74": "adrenal gland: cortical carcinoma, phaeochromocytoma or neuroblastoma",
    "C75": "other endocrine glands",
    "C96": "other lymphoid and haematopoietic neoplasms",
    "C76": "other and ill-defined sites (e.g. head, thorax, pelvis)",
    "D45": "polycythaemia vera",
    "D46": "myelodysplastic syndromes",
    "D47": "other haematopoietic neoplasms of uncertain behaviour",
    "D49": "neoplasm of unspecified behaviour",
}

#: ICD-O-3 topography (primary site) → primary. Keys are codes without the dot, longest prefix
#: wins. Haematological and most soft-tissue primaries are read from the morphology instead.
ICDO3_TOPOGRAPHY_PRIMARY: Final[dict[str, tuple[Primary, str]]] = {
    **_SHARED_SITE_PRIMARY,
    "C220": (Primary.LIVER, "Liver"),
    "C809": (Primary.UNKNOWN_PRIMARY, "Unknown primary site"),
}

#: ICD-O-3 morphology ranges (first four digits, inclusive) that define the primary by histology
#: whatever the site (ICD-O-3 morphology groups, as used by the SEER site recodes). Only
#: malignant behaviour codes (/3, /6, /9) are read.
ICDO3_MORPHOLOGY_PRIMARY: Final[tuple[tuple[int, int, Primary, str], ...]] = (
    (8170, 8175, Primary.LIVER, "Hepatocellular carcinoma"),
    (8240, 8242, Primary.CARCINOID, "Carcinoid tumour"),
    (8246, 8246, Primary.NEUROENDOCRINE, "Neuroendocrine carcinoma"),
    (8249, 8249, Primary.CARCINOID, "Atypical carcinoid tumour"),
    (8312, 8312, Primary.KIDNEY, "Renal cell carcinoma"),
    (8316, 8319, Primary.KIDNEY, "Renal cell carcinoma subtypes"),
    (8720, 8790, Primary.MELANOMA, "Melanoma"),
    (8800, 8921, Primary.SARCOMA, "Soft tissue sarcoma"),
    (8990, 8991, Primary.SARCOMA, "Malignant mesenchymoma / embryonal sarcoma"),
    (9040, 9044, Primary.SARCOMA, "Synovial sarcoma"),
    (9060, 9102, Primary.GERM_CELL, "Germ cell neoplasm"),
    (9120, 9120, Primary.SARCOMA, "Angiosarcoma"),
    (9180, 9195, Primary.OSTEOSARCOMA, "Osteosarcoma"),
    (9220, 9243, Primary.SARCOMA, "Chondrosarcoma"),
    (9260, 9260, Primary.SARCOMA, "Ewing sarcoma"),
    (9590, 9729, Primary.LYMPHOMA, "Lymphoma"),
    (9731, 9732, Primary.MYELOMA, "Plasmacytoma / multiple myeloma"),
    (9733, 9733, Primary.LEUKEMIA, "Plasma cell leukaemia"),
    (9734, 9734, Primary.MYELOMA, "Extramedullary plasmacytoma"),
    (9800, 9948, Primary.LEUKEMIA, "Leukaemia"),
)
#: Malignant ICD-O-3 behaviour digits.
ICDO3_MALIGNANT_BEHAVIOUR: Final = frozenset({"3", "6", "9"})

#: ICD-O-3 morphology ranges that refine a *lung* primary to its type (never used for other sites).
ICDO3_LUNG_TYPE: Final[tuple[tuple[int, int, Primary, str], ...]] = (
    (8041, 8045, Primary.LUNG_SCLC, "Small cell carcinoma"),
    (8012, 8012, Primary.LUNG_NSCLC, "Large cell carcinoma"),
    (8046, 8046, Primary.LUNG_NSCLC, "Non-small cell carcinoma"),
    (8070, 8078, Primary.LUNG_NSCLC, "Squamous cell carcinoma"),
    (8140, 8140, Primary.LUNG_NSCLC, "Adenocarcinoma"),
    (8250, 8255, Primary.LUNG_NSCLC, "Lepidic / bronchiolo-alveolar adenocarcinoma"),
    (8260, 8260, Primary.LUNG_NSCLC, "Papillary adenocarcinoma"),
    (8480, 8481, Primary.LUNG_NSCLC, "Mucinous adenocarcinoma"),
    (8550, 8551, Primary.LUNG_NSCLC, "Acinar adenocarcinoma"),
    (8560, 8560, Primary.LUNG_NSCLC, "Adenosquamous carcinoma"),
)

#: SNOMED CT morphologies (histology extension) that refine a lung primary. 1187332001 is the
#: mCODE IG histology example; 35917007 is used by the mCODE NSCLC example.
SNOMED_LUNG_TYPE: Final[dict[str, tuple[Primary, str]]] = {
    "1187332001": (Primary.LUNG_NSCLC, "Adenocarcinoma"),
    "35917007": (Primary.LUNG_NSCLC, "Adenocarcinoma"),
}

#: Primaries that a lung histology may refine.
LUNG_PRIMARIES: Final = frozenset({Primary.LUNG, Primary.LUNG_NSCLC, Primary.LUNG_SCLC})
#: Primaries defined by histology rather than site (histology wins over a site code).
HISTOLOGY_DEFINED: Final = frozenset(
    {
        Primary.MELANOMA,
        Primary.MYELOMA,
        Primary.LYMPHOMA,
        Primary.LEUKEMIA,
        Primary.GERM_CELL,
        Primary.SARCOMA,
        Primary.OSTEOSARCOMA,
        Primary.CARCINOID,
        Primary.NEUROENDOCRINE,
    }
)


def morphology_lookup(
    table: tuple[tuple[int, int, Primary, str], ...], code: str
) -> tuple[Primary, str] | None:
    """Look up an ICD-O-3 morphology such as ``8140/3``; non-malignant behaviour gives None."""
    digits, _, behaviour = code.strip().partition("/")
    if len(digits) != 4 or not digits.isdigit() or behaviour not in ICDO3_MALIGNANT_BEHAVIOUR:
        return None
    number = int(digits)
    for low, high, primary, label in table:
        if low <= number <= high:
            return primary, label
    return None
