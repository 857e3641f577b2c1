"""spinemets: clinical decision support for metastatic spinal tumours.

Scores (SINS, ESCC, revised Tokuhashi, Tomita, modified Bauer, NESMS), NOMS treatment options
and their basis, for multidisciplinary review. Decision support, not a directive.
"""

from __future__ import annotations

__version__ = "0.1.0"
