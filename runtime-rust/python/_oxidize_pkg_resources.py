"""pkg_resources support: when pkg_resources is imported in an executable,
the finder calls register() with it (see AfterImportLoader).

Its working set then holds the payload's distributions (versions,
requirements, entry points), and packages loaded by the finder get a
resource provider: resource_string, resource_stream, resource_exists,
resource_isdir and resource_listdir read through the file view under the
executable's path, and resource_filename extracts in-memory files to the egg
cache, as pkg_resources does for zip files. An ordinary module of the payload.
"""
import os

from _oxidize_importer import (
    DISTRIBUTION_RESOURCE, EXE, FLAG_FILESYSTEM, AfterImportLoader, OxidizedFinder, OxidizedPathEntryFinder,
    _entry, _file_path, DATA,
)
import _oxidize
from _oxidize_metadata import distribution_directories

_PREFIX = EXE + "/"


def _location(directory):
    """Where a metadata directory is: under the executable, or its installed site directory."""
    lo, hi = _oxidize.prefix_range(DISTRIBUTION_RESOURCE, directory + "\0")
    if lo < hi and _entry(lo)[1] & FLAG_FILESYSTEM:
        path = _file_path(lo, DATA)  # <site>/<directory>/<file>
        return path[: path.index("/" + directory + "/")]
    return EXE


def register(pkg_resources):
    class OxidizedResourceProvider(pkg_resources.DefaultProvider):
        """DefaultProvider over the file view; resource_filename extracts."""

        def get_resource_filename(self, manager, resource_name):
            path = self._fn(self.module_path, resource_name)
            if not path.startswith(_PREFIX):
                return path
            return self._extract(manager, path)

        def _extract(self, manager, path):
            parts = path[len(_PREFIX):].split("/")
            target = manager.get_cache_path(os.path.basename(EXE), parts)
            if os.path.isdir(path):
                os.makedirs(target, exist_ok=True)
                for name in os.listdir(path):
                    self._extract(manager, path + "/" + name)
                return target
            with open(path, "rb") as f:
                data = f.read()
            try:
                with open(target, "rb") as f:
                    if f.read() == data:
                        return target
            except OSError:
                pass
            temporary = "%s.%d.$extract" % (target, os.getpid())
            with open(temporary, "wb") as f:
                f.write(data)
            manager.postprocess(temporary, target)
            os.replace(temporary, target)
            return target

    def find_distributions(importer, path_item, only=False):
        if importer.package:
            return
        for directory in distribution_directories():
            location = _location(directory)
            metadata = pkg_resources.PathMetadata(location, location + "/" + directory)
            yield pkg_resources.Distribution.from_location(location, directory, metadata, precedence=pkg_resources.DEVELOP_DIST)

    for loader_type in (OxidizedFinder, AfterImportLoader):
        pkg_resources.register_loader_type(loader_type, OxidizedResourceProvider)
    pkg_resources.register_finder(OxidizedPathEntryFinder, find_distributions)
    # The master working set was built while pkg_resources ran, before the
    # finder was registered: add what the executable's path holds.
    working_set = pkg_resources.working_set
    for dist in pkg_resources.find_distributions(EXE, True):
        working_set.add(dist, EXE, False)
