"""Render an email from Jinja2 templates: `<name>.subject.txt`, `<name>.txt` and `<name>.html`."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"


@dataclass(frozen=True)
class RenderedMail:
    subject: str
    text: str
    html: str


def money(cents: int, currency: str = "eur") -> str:
    """Format cents for people: 1900 -> "€19.00"."""
    symbol = {"eur": "€", "usd": "$", "gbp": "£"}.get(currency.lower(), currency.upper() + " ")
    return f"{symbol}{cents / 100:,.2f}"


def duration(seconds: int) -> str:
    """A link's lifetime for people: 3600 -> "1 hour", 900 -> "15 minutes"."""
    if seconds % 3600 == 0:
        hours = seconds // 3600
        return f"{hours} hour{'s' if hours != 1 else ''}"
    minutes = max(1, seconds // 60)
    return f"{minutes} minute{'s' if minutes != 1 else ''}"


def unlinked(text: str) -> str:
    """`text` as no mail client turns it into a link: a zero-width space after each "@" and before each ".".

    For what someone else chose (the email of the customer who asked for a claim): the reader sees the same
    characters, but no autolinker finds an address or a domain in them to make clickable.
    """
    return text.replace("@", "@\u200b").replace(".", "\u200b.")


@cache
def _environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        # Autoescape the HTML parts; text parts stay as written.
        autoescape=select_autoescape(enabled_extensions=("html",), default_for_string=False),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["money"] = money
    env.filters["unlinked"] = unlinked
    return env


def render(name: str, **context: object) -> RenderedMail:
    """Render the three parts of template `name` with `context`."""
    env = _environment()
    subject = env.get_template(f"{name}.subject.txt").render(**context)
    return RenderedMail(
        subject=" ".join(subject.split()),  # one line, whatever the template's whitespace
        text=env.get_template(f"{name}.txt").render(**context).strip() + "\n",
        html=env.get_template(f"{name}.html").render(**context),
    )
