"""The agreement page's instrument addresses, reversed once, are the ones Django reverses."""

from __future__ import annotations

import pytest
from django.urls import NoReverseMatch, clear_script_prefix, reverse, set_script_prefix

from clauses.reading.agreement_html import instrument_addresses


@pytest.mark.parametrize("agreement", ["sta", "other-agreement"])
@pytest.mark.parametrize("instrument", ["1979-agreement", "ext_2", "A-9"])
def test_an_instrument_address_is_the_one_django_reverses(agreement: str, instrument: str) -> None:
    expected = reverse("clauses:instrument_detail", args=[agreement, instrument])
    assert instrument_addresses(agreement)(instrument) == expected


@pytest.mark.parametrize("instrument", ["with space", "ünïcode", "a/b", ""])
def test_a_slug_the_address_cannot_hold_is_refused_as_reverse_refuses_it(instrument: str) -> None:
    with pytest.raises(NoReverseMatch):
        reverse("clauses:instrument_detail", args=["sta", instrument])
    with pytest.raises(NoReverseMatch):
        instrument_addresses("sta")(instrument)


def test_a_script_prefix_is_kept() -> None:
    set_script_prefix("/tracker/")
    try:
        address = instrument_addresses("sta")("1979-agreement")
    finally:
        clear_script_prefix()
    assert address == "/tracker/agreements/sta/instruments/1979-agreement/"
