"""The built-in relations, one module each (see :mod:`kg.relation` for what a relation holds)."""
