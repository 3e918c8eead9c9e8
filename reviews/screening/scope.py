"""Clause-scope screening: is every clause a proposal cites in force on its start date?"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class CitedClause:
    clause_id: int
    key: str
    label: str
    agreement: str
    version_id: int
    version_label: str


@dataclass(frozen=True)
class InForce:
    """The version of one agreement in force on the day, and its clauses by key."""

    version_id: int
    version_label: str
    changes: Mapping[str, str]


@dataclass(frozen=True)
class ScopeProblem:
    clause_id: int
    key: str
    message: str


def scope_problems(
    cited: Sequence[CitedClause], in_force: Mapping[str, InForce], day: dt.date
) -> tuple[ScopeProblem, ...]:
    """A problem for every cited clause that is not in force on ``day``.

    ``in_force`` maps an agreement to the version in force on ``day``; an agreement missing
    from it had no version in force (a lapse). ``changes`` maps each clause key of that
    version to how it changed ("added", "amended", "repealed", ...).
    """
    problems: list[ScopeProblem] = []
    when = day.isoformat()
    for clause in cited:
        current = in_force.get(clause.agreement)
        name = f"{clause.label} ({clause.agreement}, version {clause.version_label})"
        if current is None:
            message = f"{name}: no version of {clause.agreement} is in force on {when}."
        elif current.version_id == clause.version_id:
            if current.changes.get(clause.key) != "repealed":
                continue
            message = f"{name} is repealed in the version in force on {when}."
        else:
            change = current.changes.get(clause.key)
            if change is None:
                where = "does not exist"
            elif change == "repealed":
                where = "is repealed"
            else:
                where = f"exists ({change})"
            message = (
                f"{name} is not from the version in force on {when} "
                f"(version {current.version_label}, where this clause {where})."
            )
        problems.append(ScopeProblem(clause_id=clause.clause_id, key=clause.key, message=message))
    return tuple(problems)
