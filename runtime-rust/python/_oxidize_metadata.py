"""importlib.metadata for distributions in the payload.

An ordinary module of the payload, imported by the finder the first time
distributions are looked for.
"""
import pathlib
import re
from importlib.metadata import Distribution

from _oxidize_importer import DISTRIBUTION_RESOURCE, EXE, FLAG_FILESYSTEM, DATA, _dirname, _entry, _entry_bytes, _file_path, _find, _names


def normalize(name):
    return re.sub(r"[-_.]+", "_", name).lower()

def project_name(directory):
    # "Foo_Bar-1.0.dist-info", "foo-1.0-py3.11.egg-info", "foo.egg-info"
    stem = directory.rpartition(".")[0]
    return stem.partition("-")[0]

def distribution_directories():
    seen = []
    for name, i in _names(DISTRIBUTION_RESOURCE, ""):
        directory = name.partition("\0")[0]
        if directory not in seen:
            seen.append(directory)
    return seen

class OxidizedDistribution(Distribution):
    """A distribution whose metadata files are in the executable's index."""

    def __init__(self, directory):
        self._directory = directory

    def __repr__(self):
        return "<OxidizedDistribution %s>" % self._directory

    def read_text(self, filename):
        i = _find(DISTRIBUTION_RESOURCE, self._directory + "\0" + str(filename))
        if i < 0:
            return None
        return _entry_bytes(i).decode("utf-8")

    def locate_file(self, path):
        i = _find(DISTRIBUTION_RESOURCE, self._directory + "\0METADATA")
        if i >= 0 and _entry(i)[1] & FLAG_FILESYSTEM:
            # The directory holding the metadata directory, as for site-packages.
            site = _dirname(_dirname(_file_path(i, DATA)))
            return pathlib.Path(site) / path
        return pathlib.Path(EXE) / path



def find_distributions(context=None):
    """The payload's distributions matching `context.name` (all when None)."""
    name = getattr(context, "name", None)
    wanted = None if name is None else normalize(name)
    for directory in distribution_directories():
        if wanted is None or normalize(project_name(directory)) == wanted:
            yield OxidizedDistribution(directory)
