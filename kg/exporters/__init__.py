"""Exporters write a built graph in one format; registered by name in kg.registry.EXPORTERS."""
