"""The rule engine: clinical policy as data (``rules/*.yaml``) evaluated on a scored case.

``loader.load_rules(directory=None) -> RuleSet`` (None: the bundled rules) and
``engine.evaluate(rules, case, lesions, scores) -> (Triage, options)``; the condition
vocabulary is documented in :mod:`spinemets.rules.models`, each kind in its module of
:mod:`spinemets.rules.conditions`.
"""
