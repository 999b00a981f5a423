"""The bootstrap importer of oxidize executables: finder and loaders.

Compiled at build time and stored in the payload; the runtime executes it
after the interpreter's core is initialized, when only builtin and frozen
modules can be imported. It puts OxidizedFinder on sys.meta_path before the
rest of start-up imports `encodings`, so the whole standard library comes
from the payload.

This module imports only builtin modules (a test enforces it). Everything
that needs the standard library is an ordinary module of the payload,
imported through the finder when first needed: `_oxidize_resources`
(importlib.resources), `_oxidize_metadata` (importlib.metadata) and
`_oxidize_startup` (start-up settings, run by the runtime once
initialization is complete).

`_oxidize` (builtin, in the runtime's C glue) answers index lookups; data
comes back as memoryviews over the mapped executable. Every resource is in
that index, whether its bytes are in the payload ("in-memory") or in a file
next to the executable ("filesystem", the slot then holds the file's path
relative to the executable's directory): nothing is found by scanning
directories at run time.
"""

import sys
import _imp
import _io
import marshal
import posix
import _oxidize

# The import system itself (frozen into the interpreter, already running).
_bootstrap = sys.modules["_frozen_importlib"]

# Constants of the payload format, as the runtime publishes them
# (schemas/payload-format.md; generated from schemas/payload-format.json).
MODULE = _oxidize.KIND_MODULE
EXTENSION = _oxidize.KIND_EXTENSION
PACKAGE_RESOURCE = _oxidize.KIND_PACKAGE_RESOURCE
DISTRIBUTION_RESOURCE = _oxidize.KIND_DISTRIBUTION_RESOURCE
SHARED_LIBRARY = _oxidize.KIND_SHARED_LIBRARY
FLAG_PACKAGE = _oxidize.FLAG_PACKAGE
FLAG_FILESYSTEM = _oxidize.FLAG_FILESYSTEM
SOURCE = _oxidize.SLOT_SOURCE
BYTECODE_SLOTS = (_oxidize.SLOT_BYTECODE, _oxidize.SLOT_BYTECODE_OPT1, _oxidize.SLOT_BYTECODE_OPT2)  # by optimization level
DATA = _oxidize.SLOT_DATA

EXE = _oxidize.exe
ORIGIN = _oxidize.origin
# Python's path finder stays on sys.meta_path after this one.
_FILESYSTEM_IMPORTER = bool(_oxidize.settings.get(_oxidize.SETTING_FILESYSTEM_IMPORTER, 0))
_find = _oxidize.find
_entry = _oxidize.entry
_ENOENT = 2


def _file_path(i, slot):
    """Absolute path held by a filesystem entry's slot, or None."""
    rel = _oxidize.text(i, slot)
    return None if rel is None else ORIGIN + "/" + rel


def _read_file(path):
    with _io.open(path, "rb") as f:
        return f.read()


def _memory_file(name, data):
    """A descriptor of a close-on-exec anonymous memory file holding `data`,
    at its start (for the dynamic loader, OpenSSL, os.open and fileno() of
    the file view); the caller closes it."""
    fd = posix.memfd_create(name, posix.MFD_CLOEXEC)
    try:
        view = memoryview(data)
        while view:
            view = view[posix.write(fd, view):]
        posix.lseek(fd, 0, 0)
    except BaseException:
        posix.close(fd)
        raise
    return fd


def _dirname(path):
    return path.rpartition("/")[0]


def _entry_bytes(i):
    """The data of a resource entry, from the payload or its file."""
    if _entry(i)[1] & FLAG_FILESYSTEM:
        return _read_file(_file_path(i, DATA))
    return bytes(_oxidize.data(i, DATA))


def _names(kind, prefix):
    """Names of the entries of `kind` starting with `prefix`, with their indexes."""
    lo, hi = _oxidize.prefix_range(kind, prefix)
    return [(_entry(i)[2], i) for i in range(lo, hi)]


def _resource_index(package, path):
    return _find(PACKAGE_RESOURCE, package + "\0" + path)


def _module_source(rel, in_memory_only=False):
    """The source bytes of the packed module whose file is `rel` below the
    payload's top level (`pkg/mod.py`, `pkg/__init__.py`), or None: no such
    module, or one packed without its source (or, `in_memory_only`, one
    installed next to the executable)."""
    if not rel.endswith(".py"):
        return None
    name = rel[:-3].replace("/", ".")
    package = name.endswith(".__init__")
    if package:
        name = name[: -len(".__init__")]
    i = _find(MODULE, name)
    if i < 0:
        return None
    flags = _entry(i)[1]
    if bool(flags & FLAG_PACKAGE) != package:
        return None
    if flags & FLAG_FILESYSTEM:
        source = None if in_memory_only else _file_path(i, SOURCE)
        return None if source is None else _read_file(source)
    view = _oxidize.data(i, SOURCE)
    return None if view is None else bytes(view)


def _child_modules(package):
    """(name, is_package) of the modules directly inside `package` ("" for the top level)."""
    prefix = package + "." if package else ""
    out = {}
    for kind in (MODULE, EXTENSION):
        for name, i in _names(kind, prefix):
            rest = name[len(prefix):]
            if rest and "." not in rest:
                out[rest] = bool(_entry(i)[1] & FLAG_PACKAGE) if kind == MODULE else False
    return sorted(out.items())


_EXTERNAL = []
# importlib's _LoaderBasics.exec_module, once found (OxidizedFinder.exec_module).
_EXEC_MODULE = []


def _external():
    """importlib._bootstrap_external (installed in the main phase of start-up).

    Kept once found: test.support.import_fresh_module blocks the name
    (sys.modules entry None) while it re-imports importlib, and the loader
    must keep working meanwhile."""
    if not _EXTERNAL:
        module = sys.modules["_frozen_importlib_external"]
        if module is None:
            raise ImportError("importlib._bootstrap_external is blocked")
        _EXTERNAL.append(module)
    return _EXTERNAL[0]


class OxidizedFinder:
    """Meta path finder for everything the payload indexes, and the loader of
    its Python modules (extension modules get an OxidizedExtensionLoader).

    Implements MetaPathFinder, Loader, InspectLoader, ExecutionLoader and
    ResourceLoader, gives packages a resource reader (importlib.resources)
    and yields distributions (importlib.metadata).
    """

    def __init__(self):
        self._fs_packages = None
        # In-memory modules get a __file__ under the executable unless the
        # build turned that off.
        self._in_memory_file = bool(_oxidize.settings.get(_oxidize.SETTING_IN_MEMORY_MODULE_FILE, 1))
        self._extensions = OxidizedExtensionLoader(self)

    def __repr__(self):
        return "<OxidizedFinder %s (%d resources)>" % (EXE, _oxidize.count)

    # -- MetaPathFinder --------------------------------------------------

    def find_spec(self, fullname, path=None, target=None):
        if path is not None and not self._own_path(fullname, path):
            # The parent's __path__ is not the one this finder gave it: an
            # alias (setuptools' distutils is setuptools._distutils under
            # another name), a package that extends or replaces its
            # __path__, a module dressed as a package. python3 looks in those
            # directories, not by name: so do the payload's path entry
            # finders; a path none of whose entries is the payload's is left
            # to the lookup by name.
            spec = _spec_from_entries(fullname, path, target)
            if spec is not None or _payload_entries(path):
                return spec
        spec = self._find_spec(fullname)
        if spec is None and not _FILESYSTEM_IMPORTER:
            # A PEP 420 namespace package: only names under it are packed.
            # (With the filesystem importer on, Python's path finder puts
            # the namespace together from every path entry, this
            # executable's included: see OxidizedPathEntryFinder.)
            spec = _namespace_spec(fullname)
        return spec

    def _own_path(self, fullname, path):
        """Whether `path` is the __path__ this finder gave the parent package
        of `fullname`, as it gave it: then a submodule is found by name."""
        parent = fullname.rpartition(".")[0]
        spec = getattr(sys.modules.get(parent), "__spec__", None)
        if spec is None or path is not spec.submodule_search_locations or spec.name != parent:
            return False
        loader = spec.loader
        if loader is self or type(loader) is AfterImportLoader:
            # The package's own entry, not one found through a path under
            # another name (setuptools' distutils.command is the entry
            # setuptools._distutils.command: its children are that one's).
            state = spec.loader_state
            return len(path) == 1 and type(state) is tuple and _entry(state[1])[2] == parent
        # A namespace package, its portions found by name (_namespace_portions).
        return type(loader).__name__ in ("NamespaceLoader", "_NamespaceLoader")

    def _find_spec(self, fullname):
        """The spec of a module or package the payload holds, or None."""
        i = _find(MODULE, fullname)
        if i >= 0:
            flags = _entry(i)[1]
            is_package = bool(flags & FLAG_PACKAGE)
            if flags & FLAG_FILESYSTEM:
                origin = _file_path(i, SOURCE) or self._bytecode_file(i)
                spec = _bootstrap.ModuleSpec(fullname, self, origin=origin, is_package=is_package)
                spec.has_location = True
                spec.cached = self._bytecode_file(i)
                if is_package:
                    spec.submodule_search_locations = [_dirname(origin)]
            elif self._in_memory_file:
                origin = EXE + "/" + _source_name(fullname, flags)
                spec = _bootstrap.ModuleSpec(fullname, self, origin=origin, is_package=is_package)
                spec.has_location = True
                spec.cached = _cached(origin)
                if is_package:
                    spec.submodule_search_locations = [EXE + "/" + fullname.replace(".", "/")]
            else:
                spec = _bootstrap.ModuleSpec(fullname, self, origin=None, is_package=is_package)
                if is_package:
                    # Like zipimport: the executable's path, then the package's.
                    spec.submodule_search_locations = [EXE + "/" + fullname.replace(".", "/")]
            spec.loader_state = (MODULE, i)
            if fullname in _AFTER_IMPORT:
                spec.loader = AfterImportLoader(self, _AFTER_IMPORT[fullname])
            return spec
        i = _find(EXTENSION, fullname)
        if i >= 0:
            if _entry(i)[1] & FLAG_FILESYSTEM:
                spec = _bootstrap.ModuleSpec(fullname, self._extensions, origin=_file_path(i, DATA))
                spec.has_location = True
            elif self._in_memory_file:
                # Its file in the view (<exe>/pkg/_mod.cpython-311-....so):
                # the library's bytes, readable like any packed file.
                spec = _bootstrap.ModuleSpec(fullname, self._extensions, origin=EXE + "/" + _extension_name(fullname))
                spec.has_location = True
            else:
                spec = _bootstrap.ModuleSpec(fullname, self._extensions, origin=None)
            spec.loader_state = (EXTENSION, i)
            return spec
        return None

    def invalidate_caches(self):
        pass

    # -- Loader ----------------------------------------------------------

    def _state(self, spec):
        """(kind, index) of a spec's entry. loader_state holds it unless a
        wrapper replaced it (importlib.util.LazyLoader does)."""
        state = spec.loader_state
        if type(state) is tuple and len(state) == 2:
            return state
        for kind in (MODULE, EXTENSION):
            i = _find(kind, spec.name)
            if i >= 0:
                return kind, i
        raise ImportError("%r is not in the executable" % spec.name, name=spec.name)

    def create_module(self, spec):
        return None  # default module creation

    @property
    def exec_module(self):
        """Python's own source loaders' exec_module (get_code, then exec).

        Its frames are importlib's, so the interpreter removes them from
        tracebacks and warnings skip them: an exception or a warning raised
        while a module is imported shows the importing line, as with python3.
        """
        if not _EXEC_MODULE:
            _EXEC_MODULE.append(_external()._LoaderBasics.exec_module)
        return _EXEC_MODULE[0].__get__(self)

    def load_module(self, fullname):
        """The deprecated loader API, as Python's own loaders still offer it."""
        return _bootstrap._load_module_shim(self, fullname)

    # -- InspectLoader / ExecutionLoader ---------------------------------

    def _module_index(self, fullname):
        # The module of that name this finder loaded answers for the entry
        # its spec holds, as Python's file loaders (one per file) do: a
        # module found through a path under another name (setuptools'
        # distutils.core is setuptools/_distutils/core.py, while the
        # standard library's distutils.core is packed too), runpy's
        # __main__ (linecache asks for "__main__"'s source).
        spec = getattr(sys.modules.get(fullname), "__spec__", None)
        if spec is not None and spec.loader is self:
            kind, i = self._state(spec)
            if kind == MODULE:
                return i
        i = _find(MODULE, fullname)
        if i < 0:
            raise ImportError("%r is not in the executable" % fullname, name=fullname)
        return i

    def _bytecode_file(self, i):
        level = sys.flags.optimize
        for slot in (BYTECODE_SLOTS[min(level, 2)], BYTECODE_SLOTS[0]):
            path = _file_path(i, slot)
            if path is not None:
                return path
        return None

    def _code(self, fullname, i):
        _kind, flags, name = _entry(i)
        level = sys.flags.optimize
        # Bytecode of the running optimization level (-O, PYTHONOPTIMIZE), or
        # else the source compiled at that level, as python3 does; only a
        # module packed without source falls back to level-0 bytecode.
        if flags & FLAG_FILESYSTEM:
            origin = _file_path(i, SOURCE)
            pyc = _file_path(i, BYTECODE_SLOTS[min(level, 2)])
            if pyc is None and origin is None:
                pyc = _file_path(i, BYTECODE_SLOTS[0])
            if pyc is not None:
                code = marshal.loads(memoryview(_read_file(pyc))[16:])
                if origin is not None:
                    _imp._fix_co_filename(code, origin)
                return code
            if origin is None:
                return None
            return compile(_read_file(origin), origin, "exec", dont_inherit=True)
        # The name the code reports (tracebacks, warnings, inspect): the
        # module's file under the executable when modules have a __file__,
        # so linecache and the interpreter's own traceback printer read its
        # lines through the file view, as python3 reads them from disk. The
        # build compiles with the path under the executable's root, which is
        # only known now.
        filename = _source_name(name, flags)
        if self._in_memory_file:
            filename = EXE + "/" + filename
        code = _oxidize.code(i, BYTECODE_SLOTS[min(level, 2)])
        if code is None:
            source = _oxidize.data(i, SOURCE)
            if source is not None:
                return _compile_source(bytes(source), filename)
            code = _oxidize.code(i, BYTECODE_SLOTS[0]) if level else None
            if code is None:
                return None
        if self._in_memory_file:
            _imp._fix_co_filename(code, filename)
        return code

    def get_code(self, fullname):
        return self._code(fullname, self._module_index(fullname))

    def get_source(self, fullname):
        i = self._module_index(fullname)
        if _entry(i)[1] & FLAG_FILESYSTEM:
            path = _file_path(i, SOURCE)
            data = None if path is None else _read_file(path)
        else:
            view = _oxidize.data(i, SOURCE)
            data = None if view is None else bytes(view)
        if data is None:
            return None
        # importlib's own decoding: coding cookies and universal newlines.
        return _external().decode_source(data)

    def is_package(self, fullname):
        i = _find(MODULE, fullname)
        if i >= 0:
            return bool(_entry(i)[1] & FLAG_PACKAGE)
        if _find(EXTENSION, fullname) >= 0:
            return False
        raise ImportError("%r is not in the executable" % fullname, name=fullname)

    def get_filename(self, fullname):
        for kind in (MODULE, EXTENSION):
            i = _find(kind, fullname)
            if i >= 0 and _entry(i)[1] & FLAG_FILESYSTEM:
                if kind == EXTENSION:
                    return _file_path(i, DATA)
                return _file_path(i, SOURCE) or self._bytecode_file(i)
            if i >= 0 and self._in_memory_file:
                if kind == EXTENSION:
                    return EXE + "/" + _extension_name(fullname)
                return EXE + "/" + _source_name(fullname, _entry(i)[1])
            if i >= 0:
                raise ImportError("%r is loaded from memory and has no file name" % fullname, name=fullname)
        raise ImportError("%r is not in the executable" % fullname, name=fullname)

    # -- ResourceLoader --------------------------------------------------

    def get_data(self, path):
        """Bytes of a package resource addressed by path.

        Under the executable's path ("<exe>/pkg/data.txt"): an in-memory
        resource. Under its directory ("<dir>/lib/pkg/data.txt"): a resource
        installed next to it. Anything else, or a path that `..` takes
        outside those, raises OSError(ENOENT); the filesystem is not searched.
        """
        path = posix.fspath(path)
        norm = _normpath(path)
        if norm.startswith(EXE + "/"):
            i = self._in_memory_resource(norm[len(EXE) + 1:])
        elif norm.startswith(ORIGIN + "/"):
            i = self._filesystem_resource(norm[len(ORIGIN) + 1:])
        else:
            i = -1
        if i < 0 and norm.startswith(EXE + "/"):
            # A module's source (pkgutil.get_data("pkg", "mod.py")), as the file view serves it.
            source = _module_source(norm[len(EXE) + 1:], in_memory_only=True)
            if source is not None:
                return source
        if i < 0:
            raise OSError(_ENOENT, "No such resource in the executable", path)
        return _entry_bytes(i)

    def _in_memory_resource(self, rel):
        parts = rel.split("/")
        # The deepest package that holds the rest of the path as a resource.
        for n in range(len(parts) - 1, 0, -1):
            package = ".".join(parts[:n])
            i = _resource_index(package, "/".join(parts[n:]))
            if i >= 0 and not _entry(i)[1] & FLAG_FILESYSTEM:
                return i
        return -1

    def _filesystem_resource(self, rel):
        if self._fs_packages is None:
            self._index_filesystem()
        return self._fs_files.get(rel, -1)

    def _index_filesystem(self):
        """Maps installed files and package directories to entries (once, on first need)."""
        files, packages = {}, {}
        for kind in (PACKAGE_RESOURCE, DISTRIBUTION_RESOURCE):
            for name, i in _names(kind, ""):
                if _entry(i)[1] & FLAG_FILESYSTEM:
                    files[_oxidize.text(i, DATA)] = i
        for name, i in _names(MODULE, ""):
            flags = _entry(i)[1]
            if flags & FLAG_FILESYSTEM:
                origin = _file_path(i, SOURCE) or self._bytecode_file(i)
                if flags & FLAG_PACKAGE:
                    packages[_dirname(origin)] = name
                elif "." in name:
                    # The directory of a module is its package's, a namespace package's too.
                    packages.setdefault(_dirname(origin), name.rpartition(".")[0])
        self._fs_files, self._fs_packages = files, packages

    # -- importlib.resources ---------------------------------------------

    def get_resource_reader(self, fullname):
        i = _find(MODULE, fullname)
        if i < 0 or not _entry(i)[1] & FLAG_PACKAGE:
            return None
        from _oxidize_resources import OxidizedResourceReader

        return OxidizedResourceReader(fullname)

    # -- importlib.metadata ----------------------------------------------

    def find_distributions(self, context=None):
        from _oxidize_metadata import find_distributions

        return find_distributions(context)

    # -- pkgutil ----------------------------------------------------------

    def path_hook(self, path):
        """sys.path_hooks entry: claims the executable's path, its packages'
        and namespace packages' paths under it, and the directories of the
        packages installed next to it."""
        if path == EXE:
            return OxidizedPathEntryFinder(self, "")
        if path.startswith(EXE + "/"):
            package = path[len(EXE) + 1:].replace("/", ".")
            i = _find(MODULE, package)
            if (i >= 0 and _entry(i)[1] & FLAG_PACKAGE) or (i < 0 and _namespace_portions(package)):
                return OxidizedPathEntryFinder(self, package)
        if self._fs_packages is None:
            self._index_filesystem()
        if path in self._fs_packages:
            return OxidizedPathEntryFinder(self, self._fs_packages[path], path)
        raise ImportError("not a path of this executable", path=path)


class OxidizedExtensionLoader:
    """Loader of the payload's extension modules (shared libraries), like
    Python's ExtensionFileLoader: the library is loaded from its file next to
    the executable, or from an anonymous memory file holding its bytes."""

    def __init__(self, finder):
        self._finder = finder
        # The name each library was loaded under is kept by _oxidize for the
        # whole process (loaded_name(i)): the dynamic loader and CPython's
        # extension cache know a loaded library by that name, so a re-import,
        # in this interpreter or another one, reuses it and touches no file.
        self._libraries_loaded = False

    def __repr__(self):
        return "<OxidizedExtensionLoader %s>" % EXE

    def create_module(self, spec):
        kind, i = self._finder._state(spec)
        if _entry(i)[1] & FLAG_FILESYSTEM:
            return _imp.create_dynamic(spec)
        path = _oxidize.loaded_name(i)
        if path is not None:
            module = self._create(spec.name, path)
        else:
            # A shared library cannot be loaded from memory by the dynamic
            # loader, but an anonymous memory file holding its bytes can be.
            # The file lives on in the loader's mapping once loaded; the
            # descriptor is closed at once, so none stays open, none is
            # inherited, and closing other descriptors cannot hurt it.
            fd = self._memory_file(spec.name, _oxidize.data(i, DATA))
            try:
                path = self._path(fd)
                try:
                    module = self._create(spec.name, path)
                except ImportError as e:
                    # Its shared libraries are not on the system: load the packed ones, retry.
                    if "cannot open shared object file" not in str(e) or not self._load_shared_libraries():
                        raise
                    module = self._create(spec.name, path)
                _oxidize.set_loaded_name(i, path)
            finally:
                posix.close(fd)
        # The memory file's name means nothing to anyone else: the module's
        # file is the one in the view (as its spec says), or none.
        if getattr(module, "__file__", "").startswith("/proc/self/fd"):
            try:
                if spec.origin is not None:
                    module.__file__ = spec.origin
                else:
                    del module.__file__
            except (AttributeError, TypeError):
                pass
        return module

    def _create(self, name, path):
        return _imp.create_dynamic(_bootstrap.ModuleSpec(name, self, origin=path))

    def _memory_file(self, name, data):
        """A close-on-exec anonymous memory file holding `data`; the caller closes it."""
        try:
            return _memory_file(name, data)
        except OSError as e:
            raise ImportError("cannot load %s from memory: %s" % (name, e), name=name) from None

    def _path(self, fd):
        """A name for the open memory file `fd` that no library was loaded under
        before in the process (descriptor numbers are reused; extra slashes
        keep names apart)."""
        return _oxidize.fd_name(fd)

    def _load_shared_libraries(self):
        """Loads every in-memory shared library, globally, once; False if there was nothing new.

        Extension modules name their libraries by soname, which the dynamic
        loader matches against libraries already loaded, whatever their path.
        """
        if self._libraries_loaded:
            return False
        self._libraries_loaded = True
        pending = []
        try:
            for name, i in _names(SHARED_LIBRARY, ""):
                # Another interpreter may have loaded it already.
                if not _entry(i)[1] & FLAG_FILESYSTEM and _oxidize.loaded_name(i) is None:
                    fd = self._memory_file(name.rpartition("/")[2], _oxidize.data(i, DATA))
                    pending.append((fd, self._path(fd), name, i))
            # A library may need another packed one: retry until no progress.
            while pending:
                failed = []
                for fd, path, name, i in pending:
                    try:
                        _oxidize.dlopen(path)
                        posix.close(fd)
                        _oxidize.set_loaded_name(i, path)
                    except ImportError as e:
                        failed.append((fd, path, name, i, e))
                if len(failed) == len(pending):
                    raise ImportError("cannot load packed shared library %s: %s" % (failed[0][2], failed[0][4]))
                pending = [(fd, path, name, i) for fd, path, name, i, _ in failed]
        finally:
            for fd, _path, _name, _i in pending:
                posix.close(fd)
        return True

    def exec_module(self, module):
        _imp.exec_dynamic(module)

    def load_module(self, fullname):
        """The deprecated loader API, as Python's own loaders still offer it."""
        return _bootstrap._load_module_shim(self, fullname)

    def is_package(self, fullname):
        return False

    def get_code(self, fullname):
        return None

    def get_source(self, fullname):
        return None

    def get_filename(self, fullname):
        return self._finder.get_filename(fullname)


class AfterImportLoader:
    """The finder as the loader of a module with which the importer registers
    itself once the module has run (pkg_resources: its provider and finder)."""

    def __init__(self, finder, hook):
        self._finder = finder
        self._hook = hook

    def __getattr__(self, name):
        return getattr(self._finder, name)

    def exec_module(self, module):
        self._finder.exec_module(module)
        self._hook(module)


def _register_pkg_resources(module):
    from _oxidize_pkg_resources import register

    register(module)


def _register_ctypes(module):
    from _oxidize_ctypes import register

    register(module)


# Modules the importer registers with once they are imported.
def _register_ssl(module):
    from _oxidize_ssl import register

    register(module)


_AFTER_IMPORT = {"pkg_resources": _register_pkg_resources, "ctypes": _register_ctypes, "ssl": _register_ssl}


class OxidizedPathEntryFinder:
    """Path entry finder for a package of the executable (pkgutil.iter_modules, walk_packages)."""

    def __init__(self, finder, package, directory=None):
        self._finder = finder
        self.package = package
        # For a package's directory next to the executable with the
        # filesystem importer on: what is on disk there and not packed (a
        # namespace package, say) is found as Python's FileFinder would.
        self._disk = None
        if directory is not None and _FILESYSTEM_IMPORTER:
            external = _external()
            self._disk = external.FileFinder(directory, *external._get_supported_file_loaders())

    def find_spec(self, fullname, target=None):
        # Python's FileFinder looks for the last part of the name in its
        # directory, whatever the name says before it (a bare name as
        # iter_modules() lists them, a package whose directory was put on
        # sys.path): the module is the one of that directory, named as asked.
        tail = fullname.rpartition(".")[2]
        full = self.package + "." + tail if self.package else tail
        spec = self._finder._find_spec(full)
        if spec is None:
            # A namespace package's portions, for Python's path finder to join
            # (it makes the __path__ itself, under the name asked for).
            spec = _namespace_spec(full, dynamic=False)
        if spec is None and self._disk is not None:
            return self._disk.find_spec(fullname, target)
        if spec is not None and full != fullname:
            spec.name = fullname
        return spec

    def invalidate_caches(self):
        if self._disk is not None:
            self._disk.invalidate_caches()

    def iter_modules(self, prefix=""):
        for name, is_package in _child_modules(self.package):
            yield prefix + name, is_package


def _payload_entries(entries):
    """The entries of a path (sys.path, a __path__) that are the payload's
    directories: under the executable's path (in memory) or its directory
    (installed next to it). The executable itself, first on sys.path, is the
    finder's, which looks names up directly."""
    prefixes = (EXE + "/", ORIGIN + "/")
    return [e for e in entries if type(e) is str and e != EXE and e.startswith(prefixes)]


def _spec_from_entries(fullname, entries, target=None, dynamic=True):
    """The spec python3's path finder would make from the payload's entries
    of `entries`: the first module found, else a namespace package of every
    portion found, else None. Other entries are not looked at."""
    portions = []
    for entry in _payload_entries(entries):
        finder = sys.path_importer_cache.get(entry)
        if finder is None:
            # Under the executable every hook may look (zipimport opens a
            # packed zip through the file view), and at a packed file
            # installed next to it; elsewhere only the payload's, so no
            # directory of the host is read.
            packed = entry.startswith(EXE + "/") or FINDER._filesystem_resource(entry[len(ORIGIN) + 1:]) >= 0
            for hook in sys.path_hooks if packed else (FINDER.path_hook,):
                try:
                    finder = hook(entry)
                    break
                except ImportError:
                    pass
            if finder is None:
                continue
            sys.path_importer_cache[entry] = finder
        find = getattr(finder, "find_spec", None)
        spec = None if find is None else find(fullname, target)
        if spec is None:
            continue
        if spec.loader is not None:
            return spec
        portions.extend(spec.submodule_search_locations or ())
    if not portions:
        return None
    return _namespace_package(fullname, portions, _recalculate_from_entries if dynamic else None)


def _recalculate_from_entries(fullname, parent_path):
    return _spec_from_entries(fullname, parent_path, dynamic=False)


def _namespace_portions(fullname):
    """The directories of a namespace package: `<exe>/ns` when modules under it
    are in memory, and each directory next to the executable that holds some.
    Empty when nothing is packed under the name."""
    prefix = fullname + "."
    depth = fullname.count(".") + 1
    portions = []
    for kind in (MODULE, EXTENSION):
        for name, i in _names(kind, prefix):
            flags = _entry(i)[1]
            if not flags & FLAG_FILESYSTEM:
                portion = EXE + "/" + fullname.replace(".", "/")
            else:
                path = _file_path(i, SOURCE if kind == MODULE else DATA) or FINDER._bytecode_file(i)
                # Up from the file to the namespace's own directory.
                portion = path
                for _ in range(name.count(".") - depth + 1 + (1 if flags & FLAG_PACKAGE else 0)):
                    portion = _dirname(portion)
            if portion not in portions:
                portions.append(portion)
    if not portions:
        portion = _data_portion(fullname)
        if portion is not None:
            portions.append(portion)
    return portions


def _data_portion(fullname):
    """The directory of a namespace package that holds only data: a plain
    directory inside a regular package, which python3 imports as a namespace
    package (PEP 420) though no module is in it. None if there is none."""
    parts = fullname.split(".")
    for n in range(len(parts) - 1, 0, -1):
        package = ".".join(parts[:n])
        i = _find(MODULE, package)
        if i < 0 or not _entry(i)[1] & FLAG_PACKAGE:
            continue
        rest = "/".join(parts[n:]) + "/"
        lo, hi = _oxidize.prefix_range(PACKAGE_RESOURCE, package + "\0" + rest)
        if lo >= hi:
            continue
        if not _entry(lo)[1] & FLAG_FILESYSTEM:
            return EXE + "/" + fullname.replace(".", "/")
        # The installed file, less its path below the directory.
        below = _entry(lo)[2][len(package) + 1 + len(rest):]
        path = _file_path(lo, DATA)
        return path[: len(path) - len(below) - 1]
    return None


def _namespace_spec(fullname, dynamic=True):
    """A namespace package's spec (no loader, its portions), or None. Its
    __path__ is Python's _NamespacePath, as importlib.resources requires."""
    portions = _namespace_portions(fullname)
    if not portions:
        return None
    return _namespace_package(fullname, portions, _recalculate_namespace if dynamic else None)


def _namespace_package(fullname, portions, recalculate=None):
    """The spec of a namespace package over `portions`. With `recalculate`,
    its __path__ is Python's _NamespacePath, recomputed from the parent's
    path as its path finder's is (importlib.resources reads only that type);
    without, the plain list a recalculation returns."""
    spec = _bootstrap.ModuleSpec(fullname, None, is_package=True)
    if recalculate is not None:
        portions = _external()._NamespacePath(fullname, portions, recalculate)
    spec.submodule_search_locations = portions
    return spec


def _recalculate_namespace(fullname, parent_path):
    return _namespace_spec(fullname, dynamic=False)


def _normpath(path):
    """posixpath.normpath without importing it (the import system may be mid-import)."""
    out = []
    for part in path.split("/"):
        if part in ("", "."):
            continue
        if part == "..":
            if out:
                out.pop()
            continue
        out.append(part)
    return "/" + "/".join(out)


def _compile_source(source, filename):
    """Compiles a module packed without bytecode (its source did not compile
    at build time). Errors the compiler reports after parsing (a misplaced
    __future__ import, ...) take their line's text from the file, which does
    not exist for a module in memory: fill it in, as python3 shows it."""
    try:
        return compile(source, filename, "exec", dont_inherit=True)
    except SyntaxError as e:
        if e.text is None and e.lineno:
            try:
                lines = _external().decode_source(source).splitlines(True)
                if 0 < e.lineno <= len(lines):
                    e.text = lines[e.lineno - 1]
            except (SyntaxError, UnicodeDecodeError, LookupError):
                pass
        raise


def _extension_name(fullname):
    """The file name of an extension module in memory, under the executable:
    python's first extension suffix, as the build installs one on disk."""
    return fullname.replace(".", "/") + _EXTENSION_SUFFIX


_EXTENSION_SUFFIX = _imp.extension_suffixes()[0]


def _cached(origin):
    """The `cached` of an in-memory module's spec (its __cached__): what
    importlib's cache_from_source makes of the origin,
    `<exe>/pkg/__pycache__/mod.cpython-311.pyc`, built at a tenth of what
    that costs (it was 2% of an import-heavy start-up). None, which leaves it
    to importlib, with a pycache prefix or no cache tag."""
    tag = sys.implementation.cache_tag
    if tag is None or sys.pycache_prefix is not None:
        return None
    head, _, tail = origin.rpartition("/")
    level = sys.flags.optimize
    if level:
        tag = tag + ".opt-" + str(level)
    return head + "/__pycache__/" + tail[:-3] + "." + tag + ".pyc"


def _source_name(fullname, flags):
    base = fullname.replace(".", "/")
    return base + ("/__init__.py" if flags & FLAG_PACKAGE else ".py")



def _stdlib_dir():
    """Where the standard library is: the directory its files were installed
    in, or the executable's path when it is in memory (its modules'
    __file__ are then `<exe>/json/__init__.py`), None when in-memory modules
    get no __file__. `os` stands for the whole library."""
    i = _find(MODULE, "os")
    if i >= 0 and _entry(i)[1] & FLAG_FILESYSTEM:
        path = _file_path(i, SOURCE)
        return None if path is None else _dirname(path)
    return EXE if FINDER._in_memory_file else None


def _packed_library(name):
    """The payload index of the in-memory library a path under the executable
    names (an extension module's `__file__`, or a shared library's path), or -1."""
    if type(name) is bytes:
        name = name.decode("utf-8", "surrogateescape")
    if type(name) is not str or not name.startswith(EXE + "/"):
        return -1
    rel = _normpath(name)[len(EXE) + 1:]
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


_create_dynamic = _imp.create_dynamic


def _create_dynamic_packed(spec, file=None):
    """_imp.create_dynamic, which also takes the file of an in-memory
    extension module (its `__file__` under the executable): Python's own
    ExtensionFileLoader given that path loads it from memory, as the finder
    does, under any module name (a library's second init function)."""
    i = _packed_library(getattr(spec, "origin", None))
    if i < 0 or _entry(i)[0] != EXTENSION:
        return _create_dynamic(spec) if file is None else _create_dynamic(spec, file)
    packed = _bootstrap.ModuleSpec(spec.name, FINDER._extensions, origin=spec.origin)
    packed.loader_state = (EXTENSION, i)
    return FINDER._extensions.create_module(packed)


FINDER = OxidizedFinder()
sys.oxidized = True
sys.meta_path.append(FINDER)
_imp.create_dynamic = _create_dynamic_packed
