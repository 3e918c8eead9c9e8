from __future__ import annotations

import pytest

from reviews.screening.evidence import (
    ScorePart,
    combine,
    country_part,
    program_part,
    type_part,
)


def test_the_score_is_the_weighted_mean_of_the_compared_parts() -> None:
    parts = [
        ScorePart("name", "Name", 80.0, 0.8, ""),
        ScorePart("country", "Country", 100.0, 0.1, ""),
        ScorePart("type", "Type", None, 0.1, ""),
        ScorePart("program", "List", None, 0.0, ""),
    ]
    assert combine(parts) == 82.2


def test_a_part_without_weight_does_not_count() -> None:
    parts = [ScorePart("name", "Name", 70.0, 0.8, ""), ScorePart("program", "", 0.0, 0.0, "")]
    assert combine(parts) == 70.0


@pytest.mark.parametrize(
    ("addresses", "city", "score", "explanation"),
    [
        ("", "", None, "The list gives no address, so the country was not compared."),
        ("Changsha, Hunan, CN", "", 100.0, "A listed address is in China."),
        (
            "92 West Dazhi Street, Harbin, CN",
            "Harbin",
            100.0,
            "A listed address is in China, in Harbin, the partner's city.",
        ),
        (
            "92 West Dazhi Street, Harbin, CN",
            "Weihai",
            75.0,
            "A listed address is in China, but none is in Weihai, the partner's city.",
        ),
        (
            "Beijing, People's Republic of China",
            "Peking",
            100.0,
            "A listed address is in China, in Peking, the partner's city.",
        ),
        (
            "Kowloon, Hong Kong",
            "",
            50.0,
            "The listed addresses are in Hong Kong, which lists keep apart from mainland China.",
        ),
        (
            "Moscow, RU; Minsk, BY",
            "",
            0.0,
            "The listed addresses are outside China (BY, RU).",
        ),
        (
            "Somewhere Road, Example City",
            "",
            None,
            "The listed addresses name no country, so the country was not compared.",
        ),
    ],
)
def test_the_country_part_reads_the_listed_addresses(
    addresses: str, city: str, score: float | None, explanation: str
) -> None:
    part = country_part(addresses, city)
    assert (part.score, part.weight, part.explanation) == (score, 0.1, explanation)


def test_the_type_part_compares_what_the_list_says() -> None:
    assert type_part("entity", "entity").score == 100.0
    assert (
        type_part("individual", "entity").explanation == "Listed as an entity, unlike the partner."
    )
    assert type_part("entity", "").score is None


def test_the_program_part_states_the_list_and_weighs_nothing() -> None:
    part = program_part("Entity List (EL) - Bureau of Industry and Security", "EAR")
    assert (part.score, part.weight) == (None, 0.0)
    assert part.explanation.startswith(
        "On the Entity List (EL) - Bureau of Industry and Security (programs: EAR)."
    )
