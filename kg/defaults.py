"""Defaults in one place: where things are read from and written to, and the package's data files.

The ontology, the SHACL shapes and the saved queries live at the repository's top level
(``ontology/``, ``queries/``) and ship inside the package as ``kg/ontology`` and ``kg/queries``
(pyproject.toml maps them), so an installed ``kg`` finds them from any folder; a source checkout
(or an editable install) reads them from the repository.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

DEFAULT_INPUT = Path("seeds")
DEFAULT_OUTPUT = Path("output")
DEFAULT_GRAPH = DEFAULT_OUTPUT / "graph.ttl"


def data_dir(name: str) -> Path:
    """The folder of package data ``name`` (``ontology``, ``queries``): installed copy, else the repo's."""
    packaged = Path(str(resources.files("kg"))) / name
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parent.parent / name


def ontology_file() -> Path:
    return data_dir("ontology") / "gwr.ttl"


def shapes_file() -> Path:
    return data_dir("ontology") / "shapes.ttl"


def queries_dir() -> Path:
    return data_dir("queries")
