# Sphinx configuration for the symbiosis release notes.

project = 'symbiosis release notes'
copyright = 'The symbiosis developers'  # noqa: A001
author = 'The symbiosis developers'
extensions = ['reno.sphinxext']
master_doc = 'index'
html_theme = 'alabaster'
exclude_patterns = []
