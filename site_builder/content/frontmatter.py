"""Split a content file into its YAML front matter and Markdown body, keeping line numbers."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

import yaml

from ..core.errors import ContentError

# libyaml's loader is ten times faster (issue #5); the pure-Python one gives the same data.
_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_BaseLoader):  # type: ignore[misc, valid-type]  # a base chosen at run time (C if built)
    """A safe loader that leaves dates as text, so content.py can say which date is wrong
    and where (PyYAML's own timestamp parser fails on 2024-13-45 without naming the key)."""

    yaml_implicit_resolvers: ClassVar = {
        first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
        for first, resolvers in _BaseLoader.yaml_implicit_resolvers.items()
    }

FENCE = "---"


@dataclass(frozen=True)
class FrontMatter:
    """The front matter's fields, the line each key is on, and the body after it."""

    fields: dict[str, Any]
    lines: dict[str, int]  # key → line number in the file, counted from 1
    body: str
    body_line: int  # the file line the body starts on


def split_front_matter(path: str, text: str) -> FrontMatter:
    """Parse `---\\nYAML\\n---\\nbody`; raise ContentError naming the line of any problem."""
    lines = text.split("\n")
    if lines[0].rstrip() != FENCE:
        raise ContentError(path, "no front matter: the file must start with a line '---', then "
                           "'title:' and 'date:' lines, then another '---'", line=1)
    end = next((i for i in range(1, len(lines)) if lines[i].rstrip() == FENCE), None)
    if end is None:
        raise ContentError(path, "the front matter is not closed: add a line '---' after its "
                           "last field", line=1)
    yaml_text = "\n".join(lines[1:end])
    fields, key_lines = _parse_yaml(path, yaml_text, first_line=2)
    return FrontMatter(fields, key_lines, "\n".join(lines[end + 1:]), end + 2)


def _parse_yaml(path: str, text: str, first_line: int) -> tuple[dict[str, Any], dict[str, int]]:
    """Load a YAML mapping and the line of each of its keys."""
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return {}, {}
        if not isinstance(node, yaml.MappingNode):
            raise ContentError(path, "the front matter must be 'key: value' lines, not a "
                               f"{_node_kind(node)}", line=first_line + node.start_mark.line)
        if "&" in text or "*" in text:  # else it holds neither an anchor nor an alias
            _refuse_aliases(path, node, first_line)
        data = loader.construct_document(node)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = first_line + mark.line if mark else first_line
        problem = exc.problem or exc.context or "invalid YAML"
        raise ContentError(path, f"front matter is not valid YAML: {problem}", line=line) from exc
    except yaml.YAMLError as exc:
        raise ContentError(path, f"front matter is not valid YAML: {exc}", line=first_line) from exc
    finally:
        loader.dispose()
    key_lines = {
        str(key.value): first_line + key.start_mark.line
        for key, _ in node.value if isinstance(key, yaml.ScalarNode)
    }
    return {str(k): v for k, v in data.items()}, key_lines


def _refuse_aliases(path: str, root: yaml.Node, first_line: int) -> None:
    """Refuse YAML anchors and aliases (`&a`, `*a`): a few lines of them can stand for
    gigabytes of data (a "billion laughs" bomb), and front matter never needs them."""
    seen: set[int] = set()
    stack = [root]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            raise ContentError(path, "YAML aliases (&name … *name) are not allowed in front matter: "
                               "write the value out", line=first_line + node.start_mark.line)
        seen.add(id(node))
        if isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)
        elif isinstance(node, yaml.MappingNode):
            stack.extend(item for pair in node.value for item in pair)


def _node_kind(node: yaml.Node) -> str:
    return {yaml.SequenceNode: "list", yaml.ScalarNode: "single value"}.get(type(node), "value")
