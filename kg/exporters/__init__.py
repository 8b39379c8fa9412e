"""Exporters write a built graph in one format; registered by name in kg.registry.EXPORTERS.

One interface for all: ``exporter(graph, path, extractions=()) -> Path`` (see kg.exporters.rdf).
"""
