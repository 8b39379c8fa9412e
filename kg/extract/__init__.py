"""Extractors: each reads a processed spaCy ``Doc`` and returns facts (see :mod:`kg.extract.base`)."""
