"""importlib.resources for packages in the payload: a resource reader and a
Traversable over a package's resources, module sources and subpackages.

An ordinary module of the payload, imported by the finder the first time a
package's resource reader is asked for.
"""
import io
import pathlib
from importlib.resources.abc import Traversable

from _oxidize_importer import (
    FINDER, FLAG_FILESYSTEM, FLAG_PACKAGE, MODULE, PACKAGE_RESOURCE, DATA, _ENOENT,
    _child_modules, _dirname, _entry, _entry_bytes, _file_path, _find, _module_source, _names, _resource_index,
)


def package_dir_on_disk(package):
    """The package's directory when it and all its resources are files, else None."""
    i = _find(MODULE, package)
    if i < 0 or not _entry(i)[1] & FLAG_FILESYSTEM:
        return None
    for name, j in _names(PACKAGE_RESOURCE, package + "\0"):
        if not _entry(j)[1] & FLAG_FILESYSTEM:
            return None
    return pathlib.Path(_dirname(FINDER.get_filename(package)))

def _source_in(package, path):
    """The source of the module a file name directly in `package` stands for
    (`mod.py`, `__init__.py`), or None: python3's files() lists a package's
    modules beside its data, and code that finds its plugins by listing
    `*.py` relies on it."""
    if "/" in path:
        return None
    return _module_source(package.replace(".", "/") + "/" + path)


class OxidizedTraversable(Traversable):
    """A package's resources, module sources and subpackages as a directory tree."""

    def __init__(self, package, path=""):
        self._package = package
        self._path = path

    def __repr__(self):
        return "OxidizedTraversable(%r, %r)" % (self._package, self._path)

    def __eq__(self, other):
        return isinstance(other, OxidizedTraversable) and (self._package, self._path) == (other._package, other._path)

    def __hash__(self):
        return hash((self._package, self._path))

    @property
    def name(self):
        if self._path:
            return self._path.rpartition("/")[2]
        return self._package.rpartition(".")[2]

    def _index(self):
        return _resource_index(self._package, self._path) if self._path else -1

    def is_file(self):
        return self._index() >= 0 or (bool(self._path) and _source_in(self._package, self._path) is not None)

    def is_dir(self):
        if not self._path:
            return True
        return bool(_names(PACKAGE_RESOURCE, self._package + "\0" + self._path + "/"))

    def iterdir(self):
        prefix = self._package + "\0" + (self._path + "/" if self._path else "")
        children = []
        for name, i in _names(PACKAGE_RESOURCE, prefix):
            child = name[len(prefix):].partition("/")[0]
            if child not in children:
                children.append(child)
        for child in children:
            yield OxidizedTraversable(self._package, self._path + "/" + child if self._path else child)
        if not self._path:
            if _source_in(self._package, "__init__.py") is not None and "__init__.py" not in children:
                yield OxidizedTraversable(self._package, "__init__.py")
            for child, is_package in _child_modules(self._package):
                if is_package and child not in children:
                    yield OxidizedTraversable(self._package + "." + child)
                elif not is_package and child + ".py" not in children and _source_in(self._package, child + ".py") is not None:
                    yield OxidizedTraversable(self._package, child + ".py")

    def joinpath(self, *descendants):
        parts = [p for d in descendants for p in str(d).split("/") if p not in ("", ".")]
        node = self
        for part in parts:
            sub = node._package + "." + part
            if not node._path and _find(MODULE, sub) >= 0 and _entry(_find(MODULE, sub))[1] & FLAG_PACKAGE:
                node = OxidizedTraversable(sub)
            else:
                node = OxidizedTraversable(node._package, node._path + "/" + part if node._path else part)
        return node

    __truediv__ = joinpath

    def read_bytes(self):
        i = self._index()
        if i < 0:
            source = _source_in(self._package, self._path) if self._path else None
            if source is not None:
                return source
            raise FileNotFoundError(_ENOENT, "No such resource", "%s/%s" % (self._package, self._path))
        return _entry_bytes(i)

    def open(self, mode="r", *args, **kwargs):
        if mode not in ("r", "rb"):
            raise ValueError("resources are read-only; open them with 'r' or 'rb'")
        stream = io.BytesIO(self.read_bytes())
        if mode == "rb":
            return stream
        return io.TextIOWrapper(stream, *args, **kwargs)

class OxidizedResourceReader:
    """importlib.resources reader of one package (files() and the legacy methods)."""

    def __init__(self, package):
        self.package = package

    def files(self):
        on_disk = package_dir_on_disk(self.package)
        return on_disk if on_disk is not None else OxidizedTraversable(self.package)

    def open_resource(self, resource):
        return OxidizedTraversable(self.package).joinpath(resource).open("rb")

    def resource_path(self, resource):
        i = _resource_index(self.package, resource)
        if i >= 0 and _entry(i)[1] & FLAG_FILESYSTEM:
            return _file_path(i, DATA)
        raise FileNotFoundError(_ENOENT, "resource is not a file", resource)

    def is_resource(self, name):
        return _resource_index(self.package, name) >= 0

    def contents(self):
        return [t.name for t in OxidizedTraversable(self.package).iterdir()]



def _copy_tree(node, target):
    target.mkdir()
    for child in node.iterdir():
        if child.is_dir():
            _copy_tree(child, target / child.name)
        else:
            (target / child.name).write_bytes(child.read_bytes())


def _as_directory(path):
    """as_file of a resource directory in memory: a temporary copy of the
    tree, removed when the block ends (python3's files() of a package on
    disk is the directory itself)."""
    import contextlib
    import tempfile

    @contextlib.contextmanager
    def extracted():
        with tempfile.TemporaryDirectory() as tmp:
            target = pathlib.Path(tmp, path.name)
            _copy_tree(path, target)
            yield target

    return extracted()


def _register_as_file():
    from importlib.resources import _common

    default = _common.as_file.dispatch(object)

    @_common.as_file.register(OxidizedTraversable)
    def _as_file(path):
        return _as_directory(path) if path.is_dir() else default(path)


_register_as_file()
