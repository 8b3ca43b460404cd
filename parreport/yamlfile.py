"""Reading parreport's YAML files (registry, batch specs) so that codes stay text.

YAML would read ``code: 007`` as the number 7; here whole numbers stay strings ("007", "2024"), while
decimals, dates, booleans and null keep their usual meaning.
"""
from __future__ import annotations

from pathlib import Path

import yaml

from parreport.errors import ConfigError

_INT_TAG = "tag:yaml.org,2002:int"


class _CodesAsTextLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # libyaml's parser where installed
    """SafeLoader without the implicit integer resolver."""


_CodesAsTextLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != _INT_TAG]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def read_yaml(path: str | Path, what: str) -> dict:
    """The mapping in ``path``; :class:`ConfigError` naming the file (and ``what`` it should be) otherwise."""
    path = Path(path)
    try:
        raw = yaml.load(path.read_text(encoding="utf-8"), Loader=_CodesAsTextLoader)  # noqa: S506 (safe loader)
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise ConfigError(f"{path}: cannot read the {what}: {exc}") from None
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise ConfigError(f"{path}: the {what} must be a mapping of keys to values")
    return raw
