"""The commented template written by ``spinemets new``. A test checks that it loads."""

from __future__ import annotations

TEMPLATE = """\
# yaml-language-server: $schema=case.schema.json
# Editors validate as you type once the schema sits beside your cases:
#   spinemets schema > case.schema.json
# spinemets case file, version 1. Fill in what is known; leave the rest as `unknown`.
# Unknown is never scored as normal: scores show their possible range and options say what
# they need. Quote ESCC grades ("1c"). Labs need units (albumin: 3.8 g/dL or 38 g/L).
# Yes/no findings take true | false (or yes | no) | unknown.
schema_version: 1
case_id: TB-YYYY-NNN            # tumour-board reference; required
assessed_on: unknown            # YYYY-MM-DD of the board or clinic (absent: the evaluation day)

patient:
  age: unknown                  # years
  sex: unknown                  # female | male | other | unknown
  # name, mrn and birth_date are identifiers: optional, removed by --redact

cancer:
  primary: unknown              # breast | prostate | lung_nsclc | kidney | ... (see the schema)
  histology: null               # free text, e.g. "clear cell renal cell carcinoma"
  systemic_therapy: unknown     # available | limited | none | unknown
  # growth: moderate            # Tomita growth class when the primary has no published class
  # radiosensitivity: resistant # overrides the rules' table; needs radiosensitivity_reason

disease:
  vertebral_metastases: unknown         # number of vertebral bodies involved (>= 1)
  extraspinal_bone_metastases: unknown  # bone metastasis foci outside the spine
  visceral_metastases: unknown          # none | removable | unremovable | unknown
  brain_metastases: unknown             # true | false | unknown

imaging:
  mri_date: unknown             # YYYY-MM-DD of the MRI the lesion findings come from
  whole_spine: unknown          # the MRI covered the whole spine: true | false | unknown

lesions:                        # one entry per spinal segment of concern
  - level: T12                  # C1-C7, T1-T12, L1-L5, S1-S5, occiput, coccyx, or T11-T12
    pain: unknown               # mechanical | occasional | none | unknown (SINS)
    bone_lesion: unknown        # lytic | mixed | blastic | unknown
    alignment: unknown          # normal | deformity | subluxation | unknown
    collapse: unknown           # none | involvement_gt50 | lt50 | gt50 | unknown
    posterolateral: unknown     # none | unilateral | bilateral | unknown
    escc: unknown               # "0" | "1a" | "1b" | "1c" | "2" | "3" | unknown (Bilsky, T2)
    posterior_wall_retropulsion: unknown
    prior_radiation: null       # or {dose_gy: 20, fractions: 5, technique: cebrt, date: 2025-02-01}
    prior_surgery: unknown      # none | decompression | stabilization |
    #                             decompression_and_stabilization | augmentation,
    #                             or {procedure: stabilization, date: 2025-02-01}

neurology:
  frankel: unknown              # A-E (or asia: A-E)
  ambulatory: unknown           # independent | with_aid | non_ambulatory | unknown
  deficit: unknown              # none | stable | progressing | unknown
  motor_deficit_days: unknown   # days over which a motor deficit developed
  deficit_onset_hours: unknown  # hours since a motor deficit (or paraplegia) began
  myelopathy: unknown
  radiculopathy: unknown
  sphincter_dysfunction: unknown

performance:
  kps: unknown                  # 0-100 in steps of 10
  ecog: unknown                 # 0-5

labs:
  albumin: unknown              # e.g. 3.8 g/dL or 38 g/L
  egfr: unknown                 # mL/min/1.73 m2

pain:
  nrs: unknown                  # worst pain in the last 24 h, 0-10
  neuropathic: unknown
  night_pain: unknown
  opioid_status: unknown        # naive | tolerant (FDA/NCCN definition)
  current_step: unknown         # WHO ladder step of the current regimen, 0-3
  controlled: unknown

comorbidities:
  anticoagulant: unknown
  antiplatelet: unknown
  gi_bleed_history: unknown
  operable: unknown             # medically fit for open surgery: true | false | unknown

prognosis:
  expected_survival_months: unknown  # the MDT's own estimate (shown as clinician judgement)

preferences:
  declines_surgery: unknown
  goals_of_care: unknown        # life_prolonging | function_preserving | comfort | unknown
"""
