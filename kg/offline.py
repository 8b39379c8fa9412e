"""Nothing leaves the machine that the user did not ask for.

- :func:`refuse_service`: a SPARQL query with ``SERVICE`` makes the engine that runs it (pyoxigraph,
  rdflib, a remote store) call another server; queries are refused unless the caller allows it
  (``kg query --allow-service``).
- :func:`no_remote_contexts`: rdflib's JSON-LD parser fetches a remote ``@context`` URL over the network
  while it parses a file; after this call it refuses instead (pyoxigraph never fetches them).
"""

from __future__ import annotations

import re

_STRINGS = re.compile(r'"""[\s\S]*?"""|\'\'\'[\s\S]*?\'\'\'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'')
_IRIS = re.compile(r"<[^<>\"{}|^`\\\s]*>")
_COMMENTS = re.compile(r"#[^\n]*")
_SERVICE = re.compile(r"\bSERVICE\b", re.I)


class ServiceRefused(ValueError):
    """A query holds SERVICE and the caller did not allow it."""


def uses_service(sparql: str) -> bool:
    """True when the query's text (outside strings, IRIs and comments) holds the SERVICE keyword."""
    text = _STRINGS.sub('""', sparql)
    text = _IRIS.sub("<>", text)
    text = _COMMENTS.sub("", text)
    return bool(_SERVICE.search(text))


def refuse_service(sparql: str, allow: bool = False) -> None:
    """ServiceRefused when ``sparql`` holds SERVICE and ``allow`` is false."""
    if not allow and uses_service(sparql):
        raise ServiceRefused("the query uses SERVICE, which makes the SPARQL engine call another server; "
                             "refused (give --allow-service to `kg query` to allow it)")


_GUARDED = False


def no_remote_contexts() -> None:
    """Make rdflib's JSON-LD parser refuse remote ``@context`` URLs instead of fetching them (for every
    parse in this process: kg validate, kg eval, kg query --engine rdflib). Contexts given inline in
    the file still work; a file naming a remote context fails to parse with a message naming it."""
    global _GUARDED
    if _GUARDED:
        return
    from rdflib.plugins.shared.jsonld import context

    def refuse(source, *args, **kwargs):
        raise ValueError(f"remote JSON-LD @context {source} not fetched (gwr-kg never fetches contexts; "
                         "put the context inline)")

    context.source_to_json = refuse  # what Context._fetch_context calls to load a context URL
    _GUARDED = True
