"""``ref: name`` — a named condition of ``conditions.yaml``, evaluated once per lesion when
it reads the lesion (:mod:`spinemets.rules.dependence`), else once per case.

The memo makes a diamond of references cost one evaluation per named condition; the loader
refuses cycles and chains deeper than its limit. A named condition's own problems are reported
where it is defined; where it is used, the loader also refuses one that reads the lesion being
considered (a ``lesion.`` path or a lesion score) in a case rule.
"""

from typing import Any

from pydantic import StrictStr

from spinemets.rules import conditions
from spinemets.rules.base import Checker, Scope, YPath, _Model
from spinemets.rules.context import Context
from spinemets.rules.truth import Truth

#: How deep named conditions may refer to each other (``ref`` chains); deeper is an error.
MAX_REF_DEPTH = 16


class RefCond(_Model):
    ref: StrictStr


def check(
    cond: RefCond, checker: Checker, f: Any, path: YPath, scope: Scope | None, refs: tuple[str, ...]
) -> None:
    at = (*path, "ref")
    if cond.ref not in checker.conditions:
        checker.err(
            f,
            at,
            checker.unknown("condition", cond.ref, checker.conditions),
            code="unknown_ref",
        )
    elif cond.ref in refs:
        chain = " -> ".join((*refs, cond.ref))
        checker.err(f, at, f"condition '{cond.ref}' refers to itself ({chain})", code="cycle")
    elif len(refs) >= MAX_REF_DEPTH:
        chain = " -> ".join((*refs, cond.ref))
        checker.err(
            f,
            at,
            f"named conditions nest more than {MAX_REF_DEPTH} deep ({chain}); flatten the chain",
            code="too_deep",
        )
    else:
        # the named condition's own problems are reported where it is defined; here
        # only what depends on the scope of this use (lesion facts in a case rule)
        for issue in checker.named_issues(cond.ref, scope, (*refs, cond.ref)):
            if issue.code in ("scope", "cycle") and scope is not None:
                checker.err(f, at, f"condition '{cond.ref}': {issue.message}", code=issue.code)
            elif issue.code == "cycle":
                checker.adopt(issue)


def evaluate(cond: RefCond, ctx: Context, lesion: int | None) -> Truth:
    key = (cond.ref, lesion if lesion is None or cond.ref in ctx.lesion_bound else None)
    found = ctx.refs.get(key)
    if found is None:
        when = ctx.rules.conditions[cond.ref].when
        found = conditions.REGISTRY[type(when)](when, ctx, lesion)
        ctx.refs[key] = found
    return found
