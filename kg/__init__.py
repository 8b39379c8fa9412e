"""gwr-kg: knowledge graphs from Chinese government work reports (政府工作报告).

Importing ``kg`` is cheap: spaCy, rdflib, pyvis and pyoxigraph are imported only by the modules that
use them. The pipeline's stages are listed in :mod:`kg.pipeline`.
"""

__version__ = "0.1.0"



def __getattr__(name: str) -> str:
    # EXTRACTOR_VERSION: a fingerprint of the extraction code and lexicons (kg.fingerprint), computed on
    # first use so that ``import kg`` stays cheap; it changes whenever extraction output may change.
    if name == "EXTRACTOR_VERSION":
        from kg.fingerprint import fingerprint

        return fingerprint()[:12]
    raise AttributeError(f"module 'kg' has no attribute {name!r}")
