"""corpuslab: a notebook workbench for computational text analysis.

The library loads and prepares a corpus (``corpus``, ``segment``, ``tokens``),
computes analyses as tidy tables (``counts``, ``keyness``, ``collocations``, ``kwic``,
``lexdiv``, ``topics``, ``sentiment``),
draws them (``plots``) and runs the numbered notebooks into a report folder
(``params``, ``pipeline``, ``report``, ``cli``).
"""

from corpuslab.errors import CorpuslabError

__all__ = ["CorpuslabError", "__version__"]
__version__ = "0.1.0"
