from __future__ import annotations

import datetime as dt

from reviews.screening.scope import CitedClause, InForce, ScopeProblem, scope_problems

DAY = dt.date(2025, 3, 1)
ART_1_2024 = CitedClause(1, "art_1", "Article 1", "STA", 20, "2024")
ART_2_1979 = CitedClause(2, "art_2", "Article 2", "STA", 10, "1979")
ART_3_1979 = CitedClause(3, "art_3", "Article 3", "STA", 10, "1979")
ART_4_1979 = CitedClause(4, "art_4", "Article 4", "STA", 10, "1979")
IN_FORCE = {
    "STA": InForce(20, "2024", {"art_1": "amended", "art_2": "repealed", "art_3": "unchanged"})
}


def test_a_clause_of_the_version_in_force_is_in_scope() -> None:
    assert scope_problems([ART_1_2024], IN_FORCE, DAY) == ()


def test_clauses_of_an_older_version_say_what_became_of_them() -> None:
    assert scope_problems([ART_2_1979, ART_3_1979, ART_4_1979], IN_FORCE, DAY) == (
        ScopeProblem(
            2,
            "art_2",
            "Article 2 (STA, version 1979) is not from the version in force "
            "on 2025-03-01 (version 2024, where this clause is repealed).",
        ),
        ScopeProblem(
            3,
            "art_3",
            "Article 3 (STA, version 1979) is not from the version in force "
            "on 2025-03-01 (version 2024, where this clause exists (unchanged)).",
        ),
        ScopeProblem(
            4,
            "art_4",
            "Article 4 (STA, version 1979) is not from the version in force "
            "on 2025-03-01 (version 2024, where this clause does not exist).",
        ),
    )


def test_a_start_date_inside_a_lapse_puts_every_clause_out_of_scope() -> None:
    assert scope_problems([ART_1_2024], {}, DAY) == (
        ScopeProblem(
            1,
            "art_1",
            "Article 1 (STA, version 2024): no version of STA is in force on 2025-03-01.",
        ),
    )


def test_a_repealed_placeholder_of_the_version_in_force_is_out_of_scope() -> None:
    repealed = CitedClause(5, "art_2", "Article 2", "STA", 20, "2024")
    (problem,) = scope_problems([repealed], IN_FORCE, DAY)
    assert problem.message == (
        "Article 2 (STA, version 2024) is repealed in the version in force on 2025-03-01."
    )
