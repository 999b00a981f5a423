"""Start-up settings of an oxidize executable: the path hook, the finders
kept on sys.meta_path, sys.frozen and sys._MEIPASS, the exception hook,
TERMINFO_DIRS and the module list written at exit.

An ordinary module of the payload: the runtime imports it through the finder
once initialization is complete and calls main().
"""
import sys
import _imp
import _io
import posix
import _oxidize

from _oxidize_importer import FINDER, ORIGIN, _bootstrap, _spec_from_entries, _stdlib_dir



def _excepthook(exc_type, exc, tb):
    """Prints tracebacks with source lines of in-memory modules.

    The interpreter's built-in printer only reads source files from disk;
    the traceback module asks the loader through linecache.
    """
    try:
        import traceback

        traceback.print_exception(exc_type, exc, tb)
    except BaseException:
        sys.__excepthook__(exc_type, exc, tb)


class _Quitter:
    """exit() and quit(), as site defines them: python3 has them unless -S,
    and an application (which imports no site) calls them too."""

    def __init__(self, name):
        self.name = name

    def __repr__(self):
        return "Use %s() or Ctrl-D (i.e. EOF) to exit" % self.name

    def __call__(self, code=None):
        try:
            sys.stdin.close()
        except BaseException:
            pass
        raise SystemExit(code)


class _Helper:
    """help(), as site defines it: pydoc's, imported when first called."""

    def __repr__(self):
        return "Type help() for interactive help, or help(object) for help about object."

    def __call__(self, *args, **kwds):
        import pydoc

        return pydoc.help(*args, **kwds)


def _site_builtins():
    import builtins

    for name, value in (("exit", _Quitter("exit")), ("quit", _Quitter("quit")), ("help", _Helper())):
        if not hasattr(builtins, name):
            setattr(builtins, name, value)


def _setenv(name, value):
    """Sets an environment variable without importing os (start-up stays as lean
    as python's): the process environment, and posix.environ, which os.environ
    is built from when os is first imported."""
    key, raw = name.encode(), value.encode()
    posix.putenv(key, raw)
    posix.environ[key] = raw


def _terminfo(resolution, dirs):
    if b"TERMINFO_DIRS" in posix.environ or resolution == 1:
        return
    if resolution == 2:
        _setenv("TERMINFO_DIRS", dirs)
        return
    ids = []
    try:
        with _io.open("/etc/os-release", "rb") as f:
            for line in f.read().decode("utf-8", "replace").splitlines():
                key, _, value = line.strip().partition("=")
                if key in ("ID", "ID_LIKE"):
                    ids.extend(value.strip('"').split())
    except OSError:
        pass
    if "debian" in ids or "ubuntu" in ids:
        candidates = ["/etc/terminfo", "/lib/terminfo", "/usr/share/terminfo"]
    elif set(ids) & {"fedora", "rhel", "centos", "suse", "opensuse", "arch"}:
        candidates = ["/usr/share/terminfo"]
    else:
        candidates = []
        for d in ("/etc/terminfo", "/lib/terminfo", "/usr/share/terminfo", "/usr/lib/terminfo"):
            try:
                posix.stat(d)
                candidates.append(d)
            except OSError:
                pass
    if candidates:
        _setenv("TERMINFO_DIRS", ":".join(candidates))


def _write_modules_at_exit(variable):
    import atexit

    def write():
        import os

        directory = os.environ.get(variable)
        if not directory:
            return
        os.makedirs(directory, exist_ok=True)
        raw = os.urandom(16).hex()
        name = "modules-%s-%s-%s-%s-%s" % (raw[:8], raw[8:12], raw[12:16], raw[16:20], raw[20:])
        with open(os.path.join(directory, name), "w", encoding="utf-8") as f:
            f.write("".join(m + "\n" for m in sorted(list(sys.modules))))

    atexit.register(write)

    # A forked child (multiprocessing's fork start method) leaves through
    # os._exit, which skips atexit: write its modules there too.
    import os

    def in_child():
        real_exit = os._exit

        def _exit(status):
            try:
                write()
            except Exception:
                pass
            real_exit(status)

        os._exit = _exit

    os.register_at_fork(after_in_child=in_child)


def _frozen_module_files():
    """Gives the modules CPython freezes into the interpreter (os, codecs, io,
    runpy, ...) a __file__ under the standard library's place, as python3's
    have: FrozenImporter derives it from sys._stdlib_dir, which initialization
    left unset; those it imported already are fixed up here."""
    sys._stdlib_dir = _stdlib_dir()
    if sys._stdlib_dir is None:
        return
    frozen = _bootstrap.FrozenImporter
    for name, module in list(sys.modules.items()):
        spec = getattr(module, "__spec__", None)
        if spec is None or spec.loader is not frozen or hasattr(module, "__file__"):
            continue
        state = spec.loader_state
        is_package = spec.submodule_search_locations is not None
        filename, package_dir = frozen._resolve_filename(getattr(state, "origname", None) or name, spec.name, is_package)
        if filename is None:
            continue
        try:
            module.__file__ = filename
        except AttributeError:
            continue
        if state is not None:
            state.filename = filename
        if package_dir and package_dir not in spec.submodule_search_locations:
            spec.submodule_search_locations.insert(0, package_dir)


class SysPathFinder:
    """Last on sys.meta_path when the filesystem importer is off: of sys.path
    (or a package's __path__) it searches only the payload's directories
    (under the executable, or of packages installed next to it), which the
    index answers without touching the disk; a vendored
    directory put on sys.path (`sys.path.insert(0, os.path.join(
    os.path.dirname(__file__), "vendor"))`) imports as with python3. Other
    entries are not searched; but when an import failed everywhere else and a
    directory or zip file on sys.path holds the module, where python3 would
    have found it, the error says so instead of a bare "No module named"."""

    def __init__(self, path_finder):
        self._path_finder = path_finder

    def find_spec(self, fullname, path=None, target=None):
        spec = _spec_from_entries(fullname, sys.path if path is None else path, target)
        if spec is not None:
            return spec
        try:
            spec = self._path_finder.find_spec(fullname, path)
        except (ImportError, OSError, ValueError):
            return None
        if spec is None or spec.loader is None or not spec.origin or spec.loader is FINDER:
            return None
        raise ModuleNotFoundError(
            "No module named %r here: %s holds it, but this executable imports only what it carries "
            "(build it with filesystemImporter: true to search sys.path)" % (fullname, spec.origin),
            name=fullname,
        )

    def invalidate_caches(self):
        pass


# Its "not searched" error is the import system's, as python3's path finder's
# are: the interpreter drops frames of importlib's files from an ImportError's
# traceback, so the user sees the import line alone, not this file's frame.
_imp._fix_co_filename(SysPathFinder.find_spec.__code__, "<frozen importlib._bootstrap_external>")


# The functions the file view's guards stand in for, by the name of the
# view's handler (_oxidize_files reads them).
FILE_VIEW_ORIGINALS = {}


def _view_handler(name):
    """The guard's handler for paths under the executable: the view's function
    `name`, its module imported on first use (it costs a start-up that never
    looks under the executable a twentieth of its instructions)."""

    def handler(*args, **kwargs):
        import _oxidize_files

        return getattr(_oxidize_files, name)(*args, **kwargs)

    handler.__name__ = handler.__qualname__ = name
    return handler


def _install_file_view():
    """Puts the file view's guards in place (see _oxidize_files), and sends C
    code's open, fopen and stat of paths under the executable's to it."""
    import builtins

    _oxidize.c_file_view()

    originals = FILE_VIEW_ORIGINALS
    os = sys.modules.get("os")
    guards = {}  # original -> its guard

    def guard(original, name, keyword, module, attribute):
        originals[name] = original
        g = guards[original] = _oxidize.path_guard(original, _view_handler(name), keyword)
        setattr(module, attribute, g)
        return g

    for name in ("stat", "lstat", "listdir", "scandir", "access", "listxattr", "open"):
        original = getattr(posix, name, None)
        if original is None:
            continue
        handler = "os_open" if name == "open" else name
        g = guard(original, handler, "path", posix, name)
        if os is not None and getattr(os, name, None) is original:
            setattr(os, name, g)
    io = sys.modules.get("io")
    g = guard(_io.open, "open", "file", builtins, "open")
    if io is not None:
        io.open = g
    tokenize = sys.modules.get("tokenize")
    if tokenize is not None:
        tokenize._builtin_open = g
    # Looked up on _io at each call (zipimport, importlib's file loaders).
    original = _io.open_code
    g = guard(original, "open_code", "path", _io, "open_code")
    if io is not None and io.open_code is original:
        io.open_code = g
    if os is not None:
        # os.supports_fd, supports_dir_fd, ... name the functions that take a
        # descriptor or dir_fd (tests and shutil ask): a guard passes those to
        # the original, so it is listed where the original is. (os imported
        # later builds them from the guards.)
        for name in ("supports_dir_fd", "supports_fd", "supports_follow_symlinks", "supports_effective_ids"):
            listed = getattr(os, name, None)
            if isinstance(listed, set):
                listed.update(g for original, g in guards.items() if original in listed)


def fast_exit_kinds():
    """The types whose instances fastExit closes (see fast_exit_files)."""
    import _io

    kinds = [_io._IOBase]
    zipfile = sys.modules.get("zipfile")
    tempfile = sys.modules.get("tempfile")
    if zipfile is not None and isinstance(getattr(zipfile, "ZipFile", None), type):
        kinds.append(zipfile.ZipFile)
    if tempfile is not None and isinstance(getattr(tempfile, "_TemporaryFileCloser", None), type):
        kinds.append(tempfile._TemporaryFileCloser)
    return tuple(kinds)


def fast_exit_files(candidates):
    """fastExit's third step: closes every Python file still open, as the
    finalizers of a normal exit would when they free it, so a file the
    program never closed is complete, its format's ending written too (a
    gzip, bz2 or lzma trailer, a zip's central directory): io objects (those
    written in Python too, GzipFile), zipfile.ZipFile, and the closer of a
    tempfile.NamedTemporaryFile, which removes its file. A wrapper closes
    before what it wraps, as freeing the wrapper first would. The standard
    streams are left to the next step. The runtime (oxidize_fast_exit.c)
    passes the live instances of fast_exit_kinds(), found through the
    garbage collector."""
    import gc

    zipfile = sys.modules.get("zipfile")
    std = set()
    for name in ("stdin", "stdout", "stderr", "__stdin__", "__stdout__", "__stderr__"):
        stream = getattr(sys, name, None)
        for _ in range(3):
            if stream is None:
                break
            std.add(id(stream))
            stream = getattr(stream, "buffer", None) or getattr(stream, "raw", None)

    def is_open(o):
        if type(o).__name__ == "_TemporaryFileCloser":
            return not getattr(o, "close_called", True)
        if zipfile is not None and isinstance(o, zipfile.ZipFile):
            return getattr(o, "fp", None) is not None
        try:
            return not o.closed
        except Exception:
            return False

    files = [o for o in candidates if id(o) not in std and is_open(o)]
    by_id = {id(o): o for o in files}
    # What each one wraps, directly or through its attributes.
    inner = {}
    for o in files:
        found = set()
        for r in gc.get_referents(o):
            for x in (r.values() if type(r) is dict else (r,)):
                if id(x) in by_id and x is not o:
                    found.add(id(x))
        inner[id(o)] = found
    remaining = set(by_id)
    while remaining:
        wrapped = set().union(*(inner[i] for i in remaining))
        outer = [i for i in remaining if i not in wrapped] or list(remaining)  # a cycle: any order
        for i in outer:
            remaining.discard(i)
            try:
                by_id[i].close()
            except Exception:
                pass  # what a finalizer's close raises is lost at a normal exit too (or printed)


def main():
    """Called by the runtime once initialization is complete."""
    _site_builtins()
    _frozen_module_files()
    settings = _oxidize.settings
    strings = _oxidize.string_settings
    if settings.get(_oxidize.SETTING_IN_MEMORY_FILE_VIEW, 1):
        _install_file_view()
    if not settings.get(_oxidize.SETTING_FILESYSTEM_IMPORTER, 0):
        # Only the payload is searched unless the config asks for the
        # filesystem (its directories on sys.path too): no stat() of the
        # host's directories, except to explain an import that failed.
        path_finders = [f for f in sys.meta_path if getattr(f, "__name__", None) == "PathFinder"]
        sys.meta_path[:] = [f for f in sys.meta_path if f not in path_finders]
        if path_finders:
            sys.meta_path.append(SysPathFinder(path_finders[0]))
    sys.path_hooks.insert(0, FINDER.path_hook)
    sys.path_importer_cache.clear()
    if _oxidize.run_mode == _oxidize.RUN_MODE_PYTHON:
        # The python command searches sys.path in order, as python3 does: the
        # payload where the executable stands on it (through the path hook),
        # after the script's directory and PYTHONPATH. The finder stays last
        # for what no entry claims.
        sys.meta_path.remove(FINDER)
        sys.meta_path.append(FINDER)
    if settings.get(_oxidize.SETTING_SYS_FROZEN, 0):
        sys.frozen = True
    if settings.get(_oxidize.SETTING_SYS_MEIPASS, 0):
        sys._MEIPASS = ORIGIN
    if (sys.excepthook is sys.__excepthook__ and _oxidize.run_mode != _oxidize.RUN_MODE_PYTHON
            and not (FINDER._in_memory_file and settings.get(_oxidize.SETTING_IN_MEMORY_FILE_VIEW, 1))):
        # Python's own hook prints source lines of in-memory modules when
        # their code names a file of the view (<exe>/pkg/mod.py); without
        # module files or without the view it cannot, and this hook asks the
        # loaders instead. The python command always keeps python3's hook
        # (its exit statuses too: a hook written in Python loses the SIGINT
        # exit of an unhandled KeyboardInterrupt).
        sys.excepthook = _excepthook
    _terminfo(settings.get(_oxidize.SETTING_TERMINFO_RESOLUTION, 0), strings.get(_oxidize.STRING_SETTING_TERMINFO_DIRS, ""))
    variable = strings.get(_oxidize.STRING_SETTING_WRITE_MODULES_DIRECTORY_ENV)
    if variable:
        _write_modules_at_exit(variable)


