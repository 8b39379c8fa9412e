"""`kg validate`: pyshacl with RDFS inference against ontology/shapes.ttl and ontology/gwr.ttl."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHAPES = ROOT / "ontology" / "shapes.ttl"
ONTOLOGY = ROOT / "ontology" / "gwr.ttl"
GWR = "https://w3id.org/gwr/ontology#"

needs_shapes = pytest.mark.skipif(not SHAPES.is_file(), reason="ontology/shapes.ttl not written yet")

TINY_SHAPES = """
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix gwr: <https://w3id.org/gwr/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix ex: <https://example.org/shapes#> .
ex:Labelled a sh:NodeShape ; sh:targetClass gwr:Organization ;
  sh:property [ sh:path rdfs:label ; sh:minCount 1 ; sh:message "organization without a label" ] .
"""
TINY_ONTOLOGY = """
@prefix gwr: <https://w3id.org/gwr/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
gwr:Enterprise rdfs:subClassOf gwr:Organization .
"""
TINY_DATA = """
@prefix gwr: <https://w3id.org/gwr/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
<https://w3id.org/gwr/id/org/a> a gwr:Enterprise ; rdfs:label "甲公司"@zh .
<https://w3id.org/gwr/id/org/b> a gwr:Enterprise .
"""


@pytest.fixture
def tiny(tmp_path):
    for name, text in (("shapes.ttl", TINY_SHAPES), ("onto.ttl", TINY_ONTOLOGY), ("data.ttl", TINY_DATA)):
        (tmp_path / name).write_text(text, encoding="utf-8")
    return tmp_path


def test_rdfs_inference_reaches_subclasses_and_the_report_names_the_node(tiny):
    from kg.validate import validate

    result = validate(tiny / "data.ttl", shapes_path=tiny / "shapes.ttl", ontology_path=tiny / "onto.ttl")
    assert not result.conforms
    assert [(v.focus, v.message, v.severity) for v in result.violations] == [
        ("https://w3id.org/gwr/id/org/b", "organization without a label", "Violation")]
    text = result.format()
    assert "does NOT conform: 1 result(s)" in text
    assert "Violation: organization without a label [rdfs:label] × 1" in text
    assert "- id:org/b" in text

    # without the ontology, gwr:Enterprise is not known to be a gwr:Organization: nothing to check
    assert validate(tiny / "data.ttl", shapes_path=tiny / "shapes.ttl", ontology_path=None).conforms


def test_cli_exit_codes_and_unreadable_files(tiny, capsys):
    from kg.cli import main

    args = ["--shapes", str(tiny / "shapes.ttl"), "--ontology", str(tiny / "onto.ttl")]
    assert main(["validate", str(tiny / "data.ttl"), *args]) == 1
    assert "organization without a label" in capsys.readouterr().out

    (tiny / "good.ttl").write_text(TINY_DATA.replace(" a gwr:Enterprise .", ' a gwr:Enterprise ; rdfs:label "乙"@zh .'),
                                   encoding="utf-8")
    assert main(["validate", str(tiny / "good.ttl"), *args]) == 0
    assert "conforms to the SHACL shapes" in capsys.readouterr().out

    (tiny / "bad.ttl").write_text("<a> <b> .", encoding="utf-8")
    assert main(["validate", str(tiny / "bad.ttl"), *args]) == 1
    err = capsys.readouterr().err
    assert err.startswith("kg validate: error: ") and "bad.ttl: cannot read it as turtle" in err
    assert len(err.strip().splitlines()) == 1

    assert main(["validate", str(tiny / "missing.ttl"), *args]) == 1
    assert "missing.ttl: no such graph file" in capsys.readouterr().err


@pytest.mark.slow
@needs_shapes
def test_the_seed_graph_conforms(seed_build, capsys):
    from kg.cli import main

    assert main(["validate", str(seed_build.out / "graph.ttl")]) == 0, capsys.readouterr().out
    assert "conforms to the SHACL shapes" in capsys.readouterr().out


@pytest.mark.slow
@needs_shapes
def test_a_deliberately_broken_seed_graph_fails_with_a_readable_report(seed_graph):
    from rdflib import RDF, RDFS, Graph, Namespace, URIRef

    from kg.validate import validate_graph

    gwr = Namespace(GWR)
    broken = Graph()
    for triple in seed_graph:
        broken.add(triple)
    report = sorted(broken.subjects(RDF.type, gwr.Report))[0]
    report_label = str(broken.value(report, RDFS.label))
    broken.remove((report, gwr.about, None))  # a report about no district
    stray = URIRef("https://w3id.org/gwr/id/project/broken")
    broken.add((stray, RDF.type, gwr.Project))  # a project without a label
    district = sorted(broken.subjects(RDF.type, gwr.District))[0]
    broken.add((district, gwr.undertakes, stray))

    result = validate_graph(broken)
    assert not result.conforms
    focuses = {v.focus for v in result.violations}
    assert str(report) in focuses and str(stray) in focuses
    about = [v for v in result.violations if v.focus == str(report)]
    assert about and all(v.message for v in about)
    text = result.format(examples=50)
    assert text.splitlines()[0].startswith("graph: ") and "does NOT conform" in text
    assert f"({report_label})" in text, "the focus node is named by its label"
    assert about[0].message in text
    assert "id:project/broken" in text
    # nothing else is wrong: every problem is about what was broken
    assert focuses <= {str(report), str(stray), str(district)} | {
        str(s) for s in broken.subjects(RDF.subject, stray)}, sorted(focuses)
