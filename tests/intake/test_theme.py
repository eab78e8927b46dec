"""The organization's colour is kept readable: WCAG 2.1 AA contrast, 4.5:1 for text."""

from __future__ import annotations

import pytest

from dsar.lib.theme import DEFAULT_ACCENT, contrast, theme_for


@pytest.mark.parametrize(
    "colour", ["#ffee00", "#ffffff", "#00ff00", "#0b5394", "#000000", "#ff6600"]
)
def test_the_accent_and_its_label_reach_four_and_a_half_to_one(colour):
    theme = theme_for(colour)

    assert contrast(theme.accent, "#ffffff") >= 4.5
    assert contrast(theme.accent, theme.on_accent) >= 4.5


def test_a_dark_enough_colour_is_kept_as_it_is():
    assert theme_for("#0B5394").accent == "#0b5394"


@pytest.mark.parametrize("colour", ["", "red", "#fff", "#gggggg", "url(x)"])
def test_anything_but_rrggbb_gives_the_default(colour):
    assert theme_for(colour).accent == DEFAULT_ACCENT


def test_contrast_matches_the_wcag_examples():
    assert round(contrast("#000000", "#ffffff"), 1) == 21.0
    assert round(contrast("#767676", "#ffffff"), 2) == 4.54
