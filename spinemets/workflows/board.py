"""``spinemets board``: gather the case files, evaluate them, and hand the results to the agenda
(:mod:`spinemets.render.board`). Invalid files are kept with their first issue, so the agenda
can name them."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from spinemets.errors import Issue
from spinemets.render.board import Agenda, agenda_from

if TYPE_CHECKING:
    from spinemets.assessment import Assessment
    from spinemets.rules.loader import RuleSet


def build_agenda(
    files: Iterable[str],
    rules: RuleSet | None = None,
    *,
    redact: bool = False,
    skipped: Sequence[Issue] = (),
) -> Agenda:
    """Load and evaluate ``files``; invalid ones (and ``skipped`` paths found while gathering)
    are kept with their first issue."""
    from spinemets import api
    from spinemets.errors import IssuesError, UserError

    assessments: list[Assessment] = []
    invalid: list[Issue] = list(skipped)
    for file in files:
        try:
            loaded = api.load_case(file)
            assessments.append(api.assess(loaded, rules, redact=redact))
        except IssuesError as exc:
            invalid.append(
                exc.issues[0] if exc.issues else Issue(file, 1, 1, "", "invalid case file")
            )
        except UserError as exc:
            invalid.append(Issue(file, 1, 1, "", str(exc)))
    return agenda_from(assessments, invalid, redacted=redact)
