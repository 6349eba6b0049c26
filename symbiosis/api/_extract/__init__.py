"""Private pieces of :mod:`symbiosis.api._extract.snapshot`.

* :mod:`.text` -- source text of expressions, literal detection;
* :mod:`.objects` -- functions, parameters and classes;
* :mod:`.module` -- one module file to a :class:`~symbiosis.api._model.Module`;
* :mod:`.link` -- passes across modules (star imports, ``__all__``
  concatenation, enum bases);
* :mod:`.files` -- which files make up a tree's modules;
* :mod:`.parallel` -- extracting many files, on every core;
* :mod:`.store` -- per-file cache entries in one SQLite file;
* :mod:`.decode` -- fast decoding and pickling of model objects;
* :mod:`.dump` -- the JSON text of ``api dump``, cached per tree.
"""
