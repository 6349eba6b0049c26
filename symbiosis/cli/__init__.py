"""The ``symbiosis`` command line: a cliff app over the library."""
