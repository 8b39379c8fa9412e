"""Views: the graph drawn as offline, interactive HTML.

- :mod:`kg.views.model` — RDF graph → networkx graph of entities with facts and evidence;
- :mod:`kg.views.layout` — positions computed once (physics off in the page);
- :mod:`kg.views.pyvis_view` — the page (pyvis's vis-network inlined, our search/filter/legend JS);
  ``write_view(graph, path, title=...)`` is the ``pyvis`` view of :data:`kg.registry.VIEWS`;
- :mod:`kg.views.site` — per-district pages and ``index.html`` with inline SVG charts (:mod:`kg.views.charts`);
- :mod:`kg.views.query_view` — ``kg view``: a SPARQL answer drawn as a graph.

Heavy imports (networkx, pyvis, rdflib, jinja2) happen inside functions.
"""
