"""The common start of a batch's local worker processes.

On Linux the workers are forked from a forkserver (see :mod:`parreport.batch.executors`), which imports this
module and then the renderer modules of the batch's formats (each pays its first file's one-time costs when
imported), once, while the batch plans. Every worker then starts with the runner and the renderers loaded,
instead of importing them itself (about 2,5 s of CPU each) and paying for a first HTML and PDF (about 1 s).
"""
from parreport.process import prepare

prepare()  # before the runner brings nbformat in

import parreport.batch.runner  # noqa: E402,F401  (imported to be inherited by the workers)
