"""CSS and XPath selectors for site extractors: compile once, select elements, prune subtrees.

Selectors are CSS (a small, dependency-free subset: ``tag``, ``*``, ``#id``, ``.class``, ``[attr]``,
``[attr=v]``, ``[attr~=v]``, ``[attr^=v]``, ``[attr$=v]``, ``[attr*=v]``, descendant and ``>`` child
combinators, ``,`` groups) or XPath (anything starting with ``/``, ``./``, ``(`` or an axis such as
``descendant::``). Compile them once with :func:`compile_selector` and keep them as class attributes.

Every function takes an lxml element (usually the document root from :meth:`ArticleExtractor.parse`) and never
raises on missing data: no match comes back as ``None`` or ``[]``.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterable
from functools import lru_cache

from lxml import etree

__all__ = ["compile_selector", "pruned_copy", "remove_elements", "select", "select_one"]

_XPATH_START = re.compile(r"^(?:/|\./|\.\./|\(|[a-z-]+::)")
_CSS_TOKEN = re.compile(
    r"""
    (?P<ws>\s*>\s*|\s+)                                   # combinator
  | (?P<tag>\*|[A-Za-z][A-Za-z0-9_-]*)                   # type selector
  | \#(?P<id>[A-Za-z0-9_-]+)                              # id
  | \.(?P<cls>[A-Za-z0-9_-]+)                             # class
  | \[\s*(?P<attr>[A-Za-z_:][A-Za-z0-9_:.-]*)\s*          # attribute
        (?:(?P<op>[~^$*|]?=)\s*(?P<val>"[^"]*"|'[^']*'|[^\]\s]+)\s*)?\]
    """,
    re.VERBOSE,
)


def _xpath_literal(value: str) -> str:
    if "'" not in value:
        return f"'{value}'"
    if '"' not in value:
        return f'"{value}"'
    parts = value.split("'")
    return "concat(" + ', "\'", '.join(f"'{p}'" for p in parts) + ")"


def _css_compound_to_xpath(tag: str, conditions: list[str]) -> str:
    return tag + "".join(f"[{c}]" for c in conditions)


def _css_to_xpath(css: str) -> str:
    """Translate one CSS selector group (commas allowed) to an XPath expression."""
    groups = []
    for group in css.split(","):
        group = group.strip()
        if not group:
            raise ValueError(f"empty selector group in {css!r}")
        steps: list[str] = []
        axis = "descendant-or-self::"
        tag, conditions = "*", []
        pos = 0
        pending = False
        while pos < len(group):
            m = _CSS_TOKEN.match(group, pos)
            if not m or m.end() == pos:
                raise ValueError(f"unsupported CSS selector {css!r} at {group[pos:]!r}; use XPath instead")
            pos = m.end()
            if m.group("ws") is not None:
                steps.append(axis + _css_compound_to_xpath(tag, conditions))
                axis = "/" if ">" in m.group("ws") else "/descendant::"
                tag, conditions, pending = "*", [], False
                continue
            pending = True
            if m.group("tag"):
                tag = m.group("tag").lower() if m.group("tag") != "*" else "*"
            elif m.group("id"):
                conditions.append(f"@id={_xpath_literal(m.group('id'))}")
            elif m.group("cls"):
                conditions.append(
                    "contains(concat(' ', normalize-space(@class), ' '), "
                    f"{_xpath_literal(' ' + m.group('cls') + ' ')})"
                )
            else:
                attr, op, val = m.group("attr"), m.group("op"), m.group("val")
                if op is None:
                    conditions.append(f"@{attr}")
                    continue
                if val[:1] in "\"'":
                    val = val[1:-1]
                lit, spaced = _xpath_literal(val), _xpath_literal(f" {val} ")
                conditions.append(
                    {
                        "=": f"@{attr}={lit}",
                        "~=": f"contains(concat(' ', normalize-space(@{attr}), ' '), {spaced})",
                        "^=": f"starts-with(@{attr}, {lit})",
                        "$=": f"substring(@{attr}, string-length(@{attr}) - {len(val) - 1})={lit}",
                        "*=": f"contains(@{attr}, {lit})",
                        "|=": f"(@{attr}={lit} or starts-with(@{attr}, {_xpath_literal(val + '-')}))",
                    }[op]
                )
        if not pending:
            raise ValueError(f"selector {css!r} ends with a combinator")
        steps.append(axis + _css_compound_to_xpath(tag, conditions))
        groups.append("".join(steps))
    return " | ".join(groups)


@lru_cache(maxsize=512)
def compile_selector(selector: str) -> etree.XPath:
    """Compile a CSS or XPath selector once; the result is callable on any element."""
    selector = selector.strip()
    expr = selector if _XPATH_START.match(selector) else _css_to_xpath(selector)
    return etree.XPath(expr)


def _compiled(selector: str | etree.XPath) -> etree.XPath:
    return selector if isinstance(selector, etree.XPath) else compile_selector(selector)


def select(root, selector: str | etree.XPath) -> list:
    """All elements under (and including) ``root`` matching ``selector``, in document order."""
    if root is None:
        return []
    return [e for e in _compiled(selector)(root) if isinstance(e, etree._Element)]


def select_one(root, selector: str | etree.XPath):
    """The first element matching ``selector``, or ``None``."""
    found = select(root, selector)
    return found[0] if found else None


def remove_elements(root, selectors: Iterable[str | etree.XPath]) -> int:
    """Remove the elements matching any selector from ``root`` in place (tail text kept); return the count."""
    removed = 0
    for selector in selectors:
        for el in select(root, selector):
            parent = el.getparent()
            if parent is None:
                continue
            tail = el.tail
            if tail:
                prev = el.getprevious()
                if prev is not None:
                    prev.tail = (prev.tail or "") + tail
                else:
                    parent.text = (parent.text or "") + tail
            parent.remove(el)
            removed += 1
    return removed


def pruned_copy(element, selectors: Iterable[str | etree.XPath]):
    """A deep copy of ``element`` without the matching elements (the parsed page stays untouched)."""
    clone = copy.deepcopy(element)
    clone.tail = None
    remove_elements(clone, selectors)
    return clone
