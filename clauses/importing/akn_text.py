"""Akoma Ntoso text as the reader sees it: one line of a heading, the source text, the limits."""

from __future__ import annotations

from typing import Any

from lxml import etree

from .akn_names import (
    BLOCKS,
    BREAKS,
    HIERARCHY,
    NOTES,
    SKIP,
    local_name,
)
from .limits import ImportLimits, over_count


def flat_text(el: Any, notes: list[str]) -> str:
    """All the text of ``el`` (quoted wording, a heading) on one line; its notes go to ``notes``."""
    parts: list[str] = []

    def visit(node: Any) -> None:
        name = local_name(node)
        if name in NOTES:
            notes.append(flat_text(node, notes))
        elif name in BREAKS or name in BLOCKS or name in HIERARCHY:
            parts.append(" ")
            if node.text:
                parts.append(node.text)
            for child in node:
                visit(child)
            parts.append(" ")
        elif name and name not in SKIP:
            if node.text:
                parts.append(node.text)
            for child in node:
                visit(child)
        if node.tail:
            parts.append(node.tail)

    if el.text:
        parts.append(el.text)
    for child in el:
        visit(child)
    return " ".join("".join(parts).split())


def source_text(root: Any) -> str:
    """Every text node outside ``meta`` in document order; breaks and blocks end a line."""
    parts: list[str] = []

    def visit(el: Any) -> None:
        name = local_name(el)
        if name == "meta":
            pass
        elif name:
            boundary = name in BREAKS or name in BLOCKS or name in NOTES or name in HIERARCHY
            parts.append("\n" if boundary else "")
            if el.text:
                parts.append(el.text)
            for child in el:
                visit(child)
            parts.append("\n" if boundary else "")
        if el.tail:
            parts.append(el.tail)

    visit(root)
    lines = (" ".join(line.split()) for line in "".join(parts).split("\n"))
    return "\n".join(line for line in lines if line)


def check_limits(root: Any, limits: ImportLimits) -> None:
    nodes = depth = deepest = 0
    for event, _el in etree.iterwalk(root, events=("start", "end")):
        if event == "start":
            nodes += 1
            depth += 1
            deepest = max(deepest, depth)
        else:
            depth -= 1
    if nodes > limits.max_xml_nodes:
        raise over_count(
            "The Akoma Ntoso file has", nodes, limits.max_xml_nodes, "elements", "max_xml_nodes"
        )
    if deepest > limits.max_xml_depth:
        raise over_count(
            "The Akoma Ntoso file nests elements",
            deepest,
            limits.max_xml_depth,
            "levels deep",
            "max_xml_depth",
        )
