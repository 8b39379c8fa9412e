"""Lexicon files (TOML data, read by :mod:`kg.lexicon`); this package holds no code."""
