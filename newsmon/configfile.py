"""Load a YAML data file into a pydantic model, with errors that name the file and line.

Every data file of the project (sources, watchlist, alert rules) goes through :func:`load_model`, so a typo
anywhere fails at load with ``path:line: what is wrong``.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

__all__ = ["ConfigError", "line_of", "load_model", "load_yaml"]

ModelT = TypeVar("ModelT", bound=BaseModel)

_VARIABLE = re.compile(r"\$\{([A-Z0-9_]+)(?::-([^}]*))?\}")


class ConfigError(ValueError):
    """A data or settings file is malformed; the message names the file, the line and the fix."""


class _LineLoader(yaml.SafeLoader):
    """A safe loader that remembers the line of every mapping and sequence item."""


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> dict:
    seen: dict[str, int] = {}
    for key, _ in node.value:  # YAML lets a later key silently replace an earlier one: a lost setting
        if isinstance(key, yaml.ScalarNode) and key.value != "<<":
            if key.value in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"key {key.value!r} appears twice in one mapping (also on line {seen[key.value]}); "
                                "the second would silently replace the first: merge them", key.start_mark)
            seen[key.value] = key.start_mark.line + 1
    mapping = _LineDict(loader.construct_mapping(node, deep=True))
    mapping.line = node.start_mark.line + 1
    mapping.key_lines = {k.value: k.start_mark.line + 1 for k, _ in node.value if isinstance(k, yaml.ScalarNode)}
    return mapping


def _construct_sequence(loader: _LineLoader, node: yaml.SequenceNode) -> list:
    sequence = _LineList(loader.construct_sequence(node, deep=True))
    sequence.item_lines = [item.start_mark.line + 1 for item in node.value]
    return sequence


class _LineDict(dict):
    line: int = 0
    key_lines: dict[str, int] = {}


class _LineList(list):
    item_lines: list[int] = []


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)


def _expand(text: str, variables: dict[str, str], path: Path) -> str:
    def replace(match: re.Match) -> str:
        name, default = match.group(1), match.group(2)
        if name in variables:
            return variables[name]
        if default is not None:
            return default
        line = text.count("\n", 0, match.start()) + 1
        raise ConfigError(f"{path}:{line}: variable ${{{name}}} is not set; set it in the environment "
                          f"or write ${{{name}:-default}}")

    return _VARIABLE.sub(replace, text)


def load_yaml(path: str | os.PathLike, variables: dict[str, str] | None = None) -> Any:
    """Parse a YAML file safely, expanding ``${NAME}`` / ``${NAME:-default}`` from ``variables``."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(f"{path}: no such file; check the path setting that points here") from None
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start}); save it as UTF-8") from None
    text = _expand(text, variables or {}, path)
    try:
        return yaml.load(text, Loader=_LineLoader)  # noqa: S506 - _LineLoader derives from SafeLoader
    except RecursionError:
        raise ConfigError(_too_deep(path)) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{path}:{mark.line + 1}" if mark else str(path)
        problem = getattr(exc, "problem", None) or str(exc)
        raise ConfigError(f"{where}: invalid YAML: {problem}; fix the indentation or quoting there") from None


def _too_deep(path: Path | str) -> str:
    return (f"{path}: nested too deeply to read (hundreds of levels of lists or mappings); no newsmon file needs "
            "more than a few: look for runaway brackets or indentation and flatten it")


def line_of(data: Any, loc: tuple) -> int | None:
    """The line in the file :func:`load_yaml` read ``data`` from of the item at ``loc`` (keys and list
    positions), or of its deepest known parent; ``None`` if unknown."""
    return _line_of(data, loc)


def _line_of(data: Any, loc: tuple) -> int | None:
    """Walk ``loc`` (a pydantic error location) through the loaded data, returning the deepest known line."""
    line = getattr(data, "line", None)
    node = data
    for part in loc:
        if isinstance(node, dict) and part in node:
            line = getattr(node, "key_lines", {}).get(part, line)
            node = node[part]
            line = getattr(node, "line", line)
        elif isinstance(node, list) and isinstance(part, int) and part < len(node):
            lines = getattr(node, "item_lines", [])
            line = lines[part] if part < len(lines) else line
            node = node[part]
            line = getattr(node, "line", line)
        else:
            break
    return line


def load_model(path: str | os.PathLike, model: type[ModelT], variables: dict[str, str] | None = None,
               transform=None) -> ModelT:
    """Load ``path`` and validate it as ``model``; raise :class:`ConfigError` naming file and line.

    ``transform`` (optional) may rewrite the loaded data before validation (e.g. settings overrides).
    """
    data = load_yaml(path, variables)
    if data is None:
        raise ConfigError(f"{path}: the file is empty; see the README for its format")
    if transform is not None:
        data = transform(data)
    try:
        return model.model_validate(data)
    except RecursionError:
        raise ConfigError(_too_deep(path)) from None
    except ValidationError as exc:
        problems = []
        for error in exc.errors():
            line = _line_of(data, error["loc"])
            where = f"{path}:{line}" if line else str(path)
            field_path = ".".join(str(p) for p in error["loc"]) or "(top level)"
            problems.append(f"{where}: {field_path}: {error['msg']}")
        raise ConfigError("\n".join(problems)) from None
