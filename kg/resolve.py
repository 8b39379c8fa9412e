"""Entity resolution within one report: one node per real thing, conservative and never transitive.

Two mentions are one entity when their keys are equal; a key drops only what never changes the
referent: whitespace and quote marks, a trailing 项目/工程 (projects), and a legal-form suffix
(有限公司, 股份有限公司, 公司, 集团) for organizations. No fuzzy matching: 东方碳素 and 东方碳素公司 are one
node, 东方碳素二期 stays a project of its own.
"""

from __future__ import annotations

import re

from kg.normalize import normalize_name, strip_project_suffix

_LEGAL_FORM = re.compile(r"(?:股份有限公司|有限责任公司|有限公司|集团有限公司|集团公司|公司|集团)$")


def project_key(name: str) -> str:
    return strip_project_suffix(normalize_name(name))


def org_key(name: str) -> str:
    name = normalize_name(name)
    stripped = _LEGAL_FORM.sub("", name)
    return stripped if len(stripped) >= 2 else name


def award_key(name: str) -> str:
    return normalize_name(name)


class Names:
    """Surface forms seen for each key, in order of first appearance: the first is the label."""

    def __init__(self) -> None:
        self._forms: dict[str, list[str]] = {}

    def add(self, key: str, surface: str) -> None:
        forms = self._forms.setdefault(key, [])
        surface = normalize_name(surface)
        if surface and surface not in forms:
            forms.append(surface)

    def label(self, key: str) -> str:
        return self._forms[key][0]

    def alt_labels(self, key: str) -> list[str]:
        return self._forms[key][1:]
