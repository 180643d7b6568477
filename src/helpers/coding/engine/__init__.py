"""The compiled dictionary-coding engine (numba), beside the pure-Python reference.

In:  a :class:`~helpers.coding.coder.Coder`'s compiled tables and a batch of answers.
Out: the same code rows the reference produces, faster; differential tests check
     they agree. The engine reads the reference's tables; the reference never
     imports the engine at module level.

Modules: ``kernel`` (numba kernels: tokenise, look up, match), ``fastcode``
(batches answers through the kernels and builds the rows).
"""
