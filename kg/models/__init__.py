"""Decision models (``<relation>.json``) and the decision layer's word classes (``decide.toml``): package data
read by :mod:`kg.decide`, written by ``kg train`` (:mod:`kg.train`)."""
