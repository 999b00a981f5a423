"""The importer of oxidize executables.

Compiled at build time and stored in the payload; the runtime executes it
after the interpreter's core is initialized, when only builtin and frozen
modules can be imported, so this module imports nothing else. It puts
OxidizedFinder on sys.meta_path before the rest of start-up imports
`encodings`, so the whole standard library comes from the payload.

`_oxidize` (builtin, in the runtime's C glue) answers index lookups; data
comes back as memoryviews over the mapped executable.
"""

import sys
import _imp
import posix
import _oxidize
import _frozen_importlib as _bootstrap

# Resource kinds, flags and slots of the payload format (schemas/payload-format.md).
MODULE = 1
EXTENSION = 2
FLAG_PACKAGE = 1
FLAG_FILESYSTEM = 2
SOURCE = 0
BYTECODE_SLOTS = (1, 2, 3)  # by optimization level

# Runtime settings that are not PyConfig fields.
SETTING_FILESYSTEM_IMPORTER = 100

_find = _oxidize.find
_entry = _oxidize.entry


def _write_all(fd, data):
    view = memoryview(data)
    while view:
        view = view[posix.write(fd, view):]


class OxidizedFinder:
    """Finds and loads modules and extension modules held in the payload."""

    def __init__(self):
        # Memory files backing loaded extension modules. They stay open: the
        # dynamic loader knows each library by its /proc/self/fd/N name, and
        # a reused descriptor number would make it return the wrong library.
        self._extension_fds = []

    def __repr__(self):
        return "<OxidizedFinder %s (%d resources)>" % (_oxidize.exe, _oxidize.count)

    # -- MetaPathFinder --------------------------------------------------

    def find_spec(self, fullname, path=None, target=None):
        i = _find(MODULE, fullname)
        if i >= 0:
            flags = _entry(i)[1]
            is_package = bool(flags & FLAG_PACKAGE)
            spec = _bootstrap.ModuleSpec(fullname, self, origin=None, is_package=is_package)
            spec.loader_state = i
            if is_package:
                spec.submodule_search_locations = [_package_path(fullname)]
            return spec
        i = _find(EXTENSION, fullname)
        if i >= 0:
            spec = _bootstrap.ModuleSpec(fullname, self, origin=None)
            spec.loader_state = -1 - i  # negative: an extension module entry
            return spec
        return None

    def invalidate_caches(self):
        pass

    # -- Loader ----------------------------------------------------------

    def create_module(self, spec):
        state = spec.loader_state
        if state is None or state >= 0:
            return None  # default module creation
        return self._create_extension(spec, -1 - state)

    def exec_module(self, module):
        spec = module.__spec__
        if spec.loader_state is not None and spec.loader_state < 0:
            _imp.exec_dynamic(module)
            return
        code = self.get_code(module.__name__)
        if code is None:
            raise ImportError("no code for module %r in the payload" % module.__name__, name=module.__name__)
        exec(code, module.__dict__)

    def _create_extension(self, spec, i):
        data = _oxidize.data(i, 0)
        if data is None:
            raise ImportError("extension module %r has no data in the payload" % spec.name, name=spec.name)
        # A shared library cannot be loaded from memory by the dynamic loader,
        # but an anonymous memory file holding its bytes can be loaded by path.
        fd = posix.memfd_create(spec.name, 0)
        self._extension_fds.append(fd)
        _write_all(fd, data)
        path = "/proc/self/fd/%d" % fd
        return _imp.create_dynamic(_bootstrap.ModuleSpec(spec.name, self, origin=path))

    # -- InspectLoader ---------------------------------------------------

    def _module_index(self, fullname):
        i = _find(MODULE, fullname)
        if i < 0:
            raise ImportError("%r is not in the payload" % fullname, name=fullname)
        return i

    def is_package(self, fullname):
        i = _find(MODULE, fullname)
        if i < 0:
            if _find(EXTENSION, fullname) >= 0:
                return False
            raise ImportError("%r is not in the payload" % fullname, name=fullname)
        return bool(_entry(i)[1] & FLAG_PACKAGE)

    def get_code(self, fullname):
        i = self._module_index(fullname)
        level = sys.flags.optimize
        for slot in (BYTECODE_SLOTS[min(level, 2)], BYTECODE_SLOTS[0]):
            code = _oxidize.code(i, slot)
            if code is not None:
                return code
        source = _oxidize.text(i, SOURCE)
        if source is None:
            return None
        return compile(source, _source_name(fullname, _entry(i)[1]), "exec", dont_inherit=True)

    def get_source(self, fullname):
        return _oxidize.text(self._module_index(fullname), SOURCE)


def _package_path(fullname):
    return _oxidize.exe + "/" + fullname.replace(".", "/")


def _source_name(fullname, flags):
    base = fullname.replace(".", "/")
    return base + ("/__init__.py" if flags & FLAG_PACKAGE else ".py")


def after_main():
    """Called by the runtime once initialization is complete."""
    if not _oxidize.settings.get(SETTING_FILESYSTEM_IMPORTER, 0):
        # Only the payload is searched unless the config asks for the
        # filesystem: no stat() of the host's directories.
        sys.meta_path[:] = [f for f in sys.meta_path if getattr(f, "__name__", None) != "PathFinder"]


FINDER = OxidizedFinder()
sys.oxidized = True
sys.meta_path.append(FINDER)
