# SPDX-License-Identifier: GPL-2.0
#
# Sphinx configuration of tqueue's documentation: `make htmldocs`
# (tools/htmldocs.sh) builds build/htmldocs/ with warnings as errors. The
# ``.. kernel-doc::`` directives come from a kernel tree's own extension,
# Documentation/sphinx/kerneldoc.py, and its scripts/kernel-doc: the tree
# is TQ_KERNEL_SRC (the script finds one).
import os
import sys

_ksrc = os.environ.get('TQ_KERNEL_SRC')
if not _ksrc:
    raise RuntimeError('TQ_KERNEL_SRC must name a kernel source tree (make htmldocs sets it)')
sys.path.insert(0, os.path.join(_ksrc, 'Documentation', 'sphinx'))

_top = os.path.abspath(os.path.join(os.path.dirname(__file__), '..'))
with open(os.path.join(_top, 'VERSION'), encoding='utf-8') as _f:
    release = version = _f.read().strip()

project = 'tqueue'
copyright = '2026, tqueue developers'
extensions = ['kerneldoc']
kerneldoc_bin = os.path.join(_ksrc, 'scripts', 'kernel-doc')
kerneldoc_srctree = _top
# kernel-doc's own warnings fail `make check` already (tools/static.sh).
kerneldoc_verbosity = 0
primary_domain = 'c'
root_doc = 'index'
exclude_patterns = []
html_theme = 'classic'
html_static_path = []
# Attributes the C domain must skip in kernel-doc'd declarations (as the
# kernel's own Documentation/conf.py lists them).
c_id_attributes = [
    '__init', '__exit', '__ref', '__must_check', '__always_inline',
    'noinline', 'notrace', '__user', '__rcu', '__iomem', '__percpu',
    '__printf', '__maybe_unused', '__always_unused', '__cold', '__pure',
    '__visible', '__weak', '__packed', '__aligned',
]
