"""Regenerate spinemets/data/rules.compiled.json from the bundled rules (rules/*.yaml).

    python scripts/compile_rules.py

Run it after editing a bundled rules file or the rules models, loader or compiler: until then
runs load and validate the YAML (the compiled file's key no longer matches) and a test fails.
"""

from __future__ import annotations

from spinemets.rules.compiled import write

if __name__ == "__main__":
    print(f"wrote {write()}")
