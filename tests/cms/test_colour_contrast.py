"""The site's colour pairs meet WCAG 2.1 AA for normal text (4.5:1), read from site.css itself
so a change of colour that breaks contrast fails here."""

import re
from pathlib import Path

import pytest

SITE_CSS = Path(__file__).resolve().parents[2] / "cms" / "static" / "cms" / "site.css"
WHITE = "#ffffff"


def colour_variables() -> dict[str, str]:
    root = re.search(r":root\s*{(.*?)}", SITE_CSS.read_text(), re.S).group(1)
    found = re.findall(r"--([\w-]+):\s*#([0-9a-fA-F]{6}|[0-9a-fA-F]{3})\b", root)
    # #fff is #ffffff
    return {
        name: "#" + (digits if len(digits) == 6 else "".join(d * 2 for d in digits))
        for name, digits in found
    }


def luminance(hex_colour: str) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast(first: str, second: str) -> float:
    lighter, darker = sorted((luminance(first), luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def test_contrast_arithmetic_on_known_pairs():
    assert contrast("#000000", WHITE) == pytest.approx(21.0)
    assert contrast("#767676", WHITE) == pytest.approx(4.54, abs=0.01)


@pytest.mark.parametrize(
    ("foreground", "background"),
    [
        ("colour-text", "colour-surface"),  # body text
        ("colour-muted", "colour-surface"),  # hints, dates, counts
        ("colour-muted", "colour-subtle"),  # hints inside filter panels and figures
        ("colour-brand-dark", "colour-surface"),  # links
        ("colour-brand-dark", "colour-subtle"),  # links and titles in panels
        ("white", "colour-brand"),  # the header, buttons
        ("white", "colour-brand-dark"),  # excellent tags, hovered buttons
    ],
)
def test_text_colours_meet_aa_on_their_backgrounds(foreground, background):
    colours = {**colour_variables(), "white": WHITE}

    assert contrast(colours[foreground], colours[background]) >= 4.5
