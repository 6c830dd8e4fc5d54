"""Package the engine with its templates and sample dossier, which live at the repository's top level.

pyproject.toml holds everything else; only a mapping of folders outside the package into it needs setup.py.
An installed `dossier` finds its templates as `dossier/templates` and the sample as `dossier/sample`
(templating.shipped); a checkout or an editable install finds them where they are.
"""

from setuptools import find_packages, setup

setup(
    packages=[*find_packages(include=["dossier", "dossier.*"]), "dossier.templates", "dossier.sample"],
    package_dir={"dossier.templates": "templates", "dossier.sample": "content"},
)
