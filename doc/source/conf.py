# Sphinx configuration for the symbiosis documentation.

import os
import sys

sys.path.insert(0, os.path.abspath('../..'))

project = 'symbiosis'
copyright = 'The symbiosis developers'  # noqa: A001
author = 'The symbiosis developers'

extensions = [
    'sphinx.ext.autodoc',
    'sphinx.ext.viewcode',
    'sphinx.ext.intersphinx',
    'cliff.sphinxext',
    'reno.sphinxext',
]

# The intersphinx inventory is optional: the build must work offline.
intersphinx_mapping = {}
intersphinx_disabled_reftypes = ['*']

autodoc_default_options = {
    'members': True,
    'show-inheritance': True,
}
autodoc_member_order = 'bysource'
autodoc_typehints = 'description'
autodoc_typehints_format = 'short'
# Dataclass fields are documented through their class's :param: lists.
autodoc_class_signature = 'separated'

# cliff's directive documents the global options once.
autoprogram_cliff_application = 'symbiosis'
autoprogram_cliff_ignored = ['--help']

nitpicky = False
suppress_warnings = ['ref.python']

exclude_patterns = []
templates_path = []
html_theme = 'alabaster'
html_static_path = []
html_title = 'symbiosis'
master_doc = 'index'
