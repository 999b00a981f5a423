"""ctypes support: when ctypes is imported in an executable, the finder calls
register() with it (see AfterImportLoader).

Extension modules and shared libraries in memory have a file under the
executable's path (`<exe>/pkg/_mod.cpython-311-x86_64-linux-gnu.so`), which
the dynamic loader cannot open: `ctypes.CDLL(_mod.__file__)`, as CPython's
ctypes tests and some packages do, would fail. Such a path is loaded from the
library's memory file instead, the one the import system loaded it from when
it is loaded already (the same handle, as python3's dlopen of the same file
returns). Every other name goes to ctypes' own dlopen untouched. An ordinary
module of the payload.
"""
import _imp
import posix

import _oxidize
from _oxidize_importer import DATA, EXE, EXTENSION, FINDER, FLAG_FILESYSTEM, SHARED_LIBRARY, _entry, _find, _normpath

_PREFIX = EXE + "/"


def packed_library(name):
    """The payload index of the in-memory library a path under the executable
    names (an extension module's file or a shared library's), or -1."""
    if isinstance(name, bytes):
        name = name.decode("utf-8", "surrogateescape")
    if not isinstance(name, str) or not name.startswith(_PREFIX):
        return -1
    rel = _normpath(name)[len(_PREFIX):]
    i = _find(SHARED_LIBRARY, rel)
    if i < 0:
        for suffix in _imp.extension_suffixes():
            if rel.endswith(suffix):
                i = _find(EXTENSION, rel[: -len(suffix)].replace("/", "."))
                if i >= 0:
                    break
    if i >= 0 and _entry(i)[1] & FLAG_FILESYSTEM:
        return -1
    return i


def _load(original, i, mode):
    """dlopen of entry `i` through its memory file, under the process-wide
    name it was loaded under before if it was."""
    path = _oxidize.loaded_name(i)
    if path is not None:
        return original(path, mode)
    loader = FINDER._extensions
    fd = loader._memory_file(_entry(i)[2].rpartition("/")[2], _oxidize.data(i, DATA))
    try:
        path = loader._path(fd)
        handle = original(path, mode)
        _oxidize.set_loaded_name(i, path)
        return handle
    finally:
        posix.close(fd)


def register(ctypes):
    original = ctypes._dlopen

    def _dlopen(name, mode=ctypes.DEFAULT_MODE):
        i = packed_library(name)
        if i < 0:
            return original(name, mode)
        return _load(original, i, mode)

    _dlopen.__doc__ = original.__doc__
    ctypes._dlopen = _dlopen
