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
import posix

import _oxidize
from _oxidize_importer import DATA, FINDER, _entry, _packed_library


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
        i = _packed_library(name)
        if i < 0:
            return original(name, mode)
        return _load(original, i, mode)

    _dlopen.__doc__ = original.__doc__
    ctypes._dlopen = _dlopen
