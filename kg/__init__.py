"""gwr-kg: knowledge graphs from Chinese government work reports (政府工作报告).

Importing ``kg`` is cheap: spaCy, rdflib, pyvis and pyoxigraph are imported only by the modules that
use them. The pipeline's stages are listed in :mod:`kg.pipeline`.
"""

__version__ = "0.1.0"

#: Bumped whenever extraction output may change, so caches keyed on it are invalidated.
EXTRACTOR_VERSION = "1"
