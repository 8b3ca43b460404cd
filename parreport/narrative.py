"""Jinja2 text templates (``templates/text``) with the Vietnamese number filters of :mod:`parreport.fmt`."""
from __future__ import annotations

import re
from functools import lru_cache

import jinja2

from parreport import fmt
from parreport.paths import TEMPLATES_DIR


@lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    """The shared environment: filters ``number``, ``percent``, ``pp``, ``count_change``, ``rank``, ``score``."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES_DIR / "text"),
        autoescape=jinja2.select_autoescape(["html.j2"], default_for_string=False, default=False),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(number=fmt.number, percent=fmt.percent, pp=fmt.pp_change,
                       count_change=fmt.count_change, rank=fmt.rank, score=fmt.score, day=fmt.day,
                       written=fmt.written)
    return env


def render(template: str, **context: object) -> str:
    """Render a template; text templates (``.txt.j2``) come back as one NFC paragraph."""
    text = environment().get_template(template).render(**context)
    if template.endswith(".txt.j2"):
        text = re.sub(r"\s+", " ", text).strip()
    return fmt.nfc(text)
