"""The read-only file view of the payload under the executable's path.

Modules in memory have a `__file__` like `<exe>/pkg/mod.py`; code that opens,
stats or lists files next to it reaches this view: module sources, package
resources (`<exe>/pkg/data/x.txt`), metadata directories
(`<exe>/name-1.0.dist-info/METADATA`) and packages as directories. Nothing is
extracted and nothing can be written (EROFS).

At start-up _oxidize_startup replaces open (builtins, io), io.open_code (_io,
io), and open, stat, lstat, listdir, scandir, listxattr and access (posix, and
os when it is imported already) with guards of the runtime's native module: a
call whose path is not under `<exe>/` goes straight to the original function
in C, so ordinary file access pays no Python frame. This module, the view
itself, is imported the first time a path under the executable reaches a
guard (a program that never looks there never loads it). Builtin imports only.
"""
import builtins
import errno
import sys
import _io
import posix
import _oxidize

from _oxidize_startup import FILE_VIEW_ORIGINALS as _original
from _oxidize_importer import (
    DATA, DISTRIBUTION_RESOURCE, EXE, EXTENSION, FLAG_FILESYSTEM, FLAG_PACKAGE, MODULE, PACKAGE_RESOURCE, SOURCE,
    _entry, _extension_name, _memory_file, _normpath,
)

_PREFIX = EXE + "/"
_S_IFDIR = 0o040000
_S_IFREG = 0o100000
_W_OK = 2
_X_OK = 1

_tree = None  # (files: rel -> (index, slot), dirs: rel -> {child names})


def _build():
    files, dirs = {}, {"": set()}

    def add_dir(rel):
        """Adds a directory and the ancestors it needs, each linked to its parent."""
        child = None
        while True:
            known = rel in dirs
            if not known:
                dirs[rel] = set()
            if child is not None:
                dirs[rel].add(child)
            if known:
                return
            rel, _, child = rel.rpartition("/")

    def add_file(rel, i, slot):
        parent, _, name = rel.rpartition("/")
        add_dir(parent)
        dirs[parent].add(name)
        files[rel] = (i, slot)

    for i in range(_oxidize.count):
        kind, flags, name = _entry(i)
        if flags & FLAG_FILESYSTEM:
            continue
        if kind == MODULE:
            base = name.replace(".", "/")
            if flags & FLAG_PACKAGE:
                add_dir(base)
                add_file(base + "/__init__.py", i, SOURCE)
            else:
                add_file(base + ".py", i, SOURCE)
        elif kind == EXTENSION:
            add_file(_extension_name(name), i, DATA)
        elif kind == PACKAGE_RESOURCE:
            package, _, path = name.partition("\0")
            add_file(package.replace(".", "/") + "/" + path, i, DATA)
        elif kind == DISTRIBUTION_RESOURCE:
            directory, _, path = name.partition("\0")
            add_file(directory + "/" + path, i, DATA)
    return files, dirs


def _lookup(path):
    """("file", (i, slot)), ("dir", children) or None for a path under the
    executable; the path's form (str or bytes) is kept for errors."""
    global _tree
    if _tree is None:
        _tree = _build()
    files, dirs = _tree
    rel = path[len(_PREFIX):]
    if rel in files:
        i, slot = files[rel]
        data = _oxidize.data(i, slot)
        # A module packed without its source has no file.
        return None if data is None else ("file", data)
    if rel in dirs:
        return ("dir", dirs[rel])
    return None


def _inside(path):
    """The normalized str path when it is under the executable's path, else None."""
    path = posix.fspath(path)
    if isinstance(path, bytes):
        path = path.decode(sys.getfilesystemencoding(), "surrogateescape")
    path = _normpath(path)
    return path if path.startswith(_PREFIX) else None


def _not_found(path):
    return FileNotFoundError(errno.ENOENT, posix.strerror(errno.ENOENT), path)


def _read_only(path):
    return OSError(errno.EROFS, posix.strerror(errno.EROFS), path)


_exe_stat = None


def _stat_of(found, where):
    """A stat result for a file or directory of the view: the executable's
    owner, device and times; every field python3 fills, so code that copies
    times and modes (shutil.copy2, copystat, copytree) works. The modes are
    those of installed files (0644, directories 0755), so copies are the
    user's to edit; writing to the view itself is refused all the same."""
    global _exe_stat
    if _exe_stat is None:
        _exe_stat = _original["stat"](EXE)
    s = _exe_stat
    if found[0] == "dir":
        mode, size, nlink = _S_IFDIR | 0o755, 0, 2
    else:
        mode, size, nlink = _S_IFREG | 0o644, len(found[1]), 1
    ino = hash(where) & 0x7FFFFFFF
    fields = (mode, ino, s.st_dev, nlink, s.st_uid, s.st_gid, size,
              int(s.st_atime), int(s.st_mtime), int(s.st_ctime),
              s.st_atime, s.st_mtime, s.st_ctime, s.st_atime_ns, s.st_mtime_ns, s.st_ctime_ns,
              s.st_blksize, (size + 511) // 512, 0)
    return posix.stat_result(fields[:posix.stat_result.n_fields])


def stat(path, *, dir_fd=None, follow_symlinks=True):
    where = _inside(path) if dir_fd is None else None
    if where is None:
        return _original["stat"](path, dir_fd=dir_fd, follow_symlinks=follow_symlinks)
    found = _lookup(where)
    if found is None:
        raise _not_found(path)
    return _stat_of(found, where)


def lstat(path, *, dir_fd=None):
    where = _inside(path) if dir_fd is None else None
    if where is None:
        return _original["lstat"](path, dir_fd=dir_fd)
    return stat(path)


def access(path, mode, *, dir_fd=None, effective_ids=False, follow_symlinks=True):
    where = _inside(path) if dir_fd is None else None
    if where is None:
        return _original["access"](path, mode, dir_fd=dir_fd, effective_ids=effective_ids, follow_symlinks=follow_symlinks)
    found = _lookup(where)
    if found is None or mode & _W_OK:
        return False
    return not (mode & _X_OK) or found[0] == "dir"


def _directory(path, where):
    found = _lookup(where)
    if found is None:
        raise _not_found(path)
    if found[0] != "dir":
        raise NotADirectoryError(errno.ENOTDIR, posix.strerror(errno.ENOTDIR), path)
    return sorted(found[1])


def listdir(path="."):
    where = _inside(path)
    if where is None:
        return _original["listdir"](path)
    names = _directory(path, where)
    if isinstance(posix.fspath(path), bytes):
        return [n.encode(sys.getfilesystemencoding(), "surrogateescape") for n in names]
    return names


class DirEntry:
    """An entry of a directory of the view, as os.scandir yields them."""

    __slots__ = ("name", "path", "_found", "_where")

    def __init__(self, name, path, found, where):
        self.name = name
        self.path = path
        self._found = found
        self._where = where

    def __repr__(self):
        return "<DirEntry %r>" % (self.name,)

    def __fspath__(self):
        return self.path

    def is_dir(self, *, follow_symlinks=True):
        return self._found[0] == "dir"

    def is_file(self, *, follow_symlinks=True):
        return self._found[0] == "file"

    def is_symlink(self):
        return False

    def is_junction(self):
        return False

    def stat(self, *, follow_symlinks=True):
        return _stat_of(self._found, self._where)

    def inode(self):
        return self.stat().st_ino


class _Scandir:
    def __init__(self, entries):
        self._entries = iter(entries)

    def __iter__(self):
        return self

    def __next__(self):
        return next(self._entries)

    def close(self):
        self._entries = iter(())

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def scandir(path="."):
    where = _inside(path) if not isinstance(path, int) else None
    if where is None:
        return _original["scandir"](path)
    raw = posix.fspath(path)
    entries = []
    for name in _directory(path, where):
        child = where + "/" + name
        shown = raw.rstrip("/") + "/" + name if isinstance(raw, str) else raw.rstrip(b"/") + b"/" + name.encode(sys.getfilesystemencoding(), "surrogateescape")
        entries.append(DirEntry(name if isinstance(raw, str) else name.encode(sys.getfilesystemencoding(), "surrogateescape"), shown, _lookup(child), child))
    return _Scandir(entries)


class ViewFile(_io.BytesIO):
    """A file of the view opened for reading in binary mode."""

    def __init__(self, data, name):
        super().__init__(data)
        self.name = name
        self.mode = "rb"
        self._fd = None

    def fileno(self):
        """A descriptor for code that needs one (the interpreter's own
        traceback printer reads a source file's encoding through it, mmap
        maps it): a close-on-exec memory file holding the same bytes, made
        on first use and closed with this file."""
        if self.closed:
            raise ValueError("I/O operation on closed file.")
        if self._fd is None:
            self._fd = _memory_file("oxidize-view", self.getvalue())
        return self._fd

    def close(self):
        fd, self._fd = self._fd, None
        if fd is not None:
            posix.close(fd)
        super().close()

    def writable(self):
        return False

    def write(self, b):
        raise _read_only(self.name)

    def truncate(self, size=None):
        raise _read_only(self.name)


def open(file, mode="r", buffering=-1, encoding=None, errors=None, newline=None, closefd=True, opener=None):
    where = _inside(file) if not isinstance(file, int) and opener is None else None
    if where is None:
        return _original["open"](file, mode, buffering, encoding, errors, newline, closefd, opener)
    if any(c in mode for c in "wax+"):
        raise _read_only(file)
    found = _lookup(where)
    if found is None:
        raise _not_found(file)
    if found[0] == "dir":
        raise IsADirectoryError(errno.EISDIR, posix.strerror(errno.EISDIR), file)
    # Named as python3 names a file: the path as given, a path-like as its string.
    binary = ViewFile(bytes(found[1]), posix.fspath(file))
    if "b" in mode:
        return binary
    text = _io.TextIOWrapper(binary, encoding, errors, newline)
    text.mode = mode
    return text


def listxattr(path=None, *, follow_symlinks=True):
    """Files of the view have no extended attributes (shutil.copystat asks)."""
    if _lookup(_inside(path)) is None:
        raise _not_found(path)
    return []


_WRITE_FLAGS = posix.O_WRONLY | posix.O_RDWR | posix.O_CREAT | posix.O_TRUNC | posix.O_APPEND
_NOFOLLOW = getattr(posix, "O_NOFOLLOW", 0)  # /proc/self/fd/N is a link to follow


def os_open(path, flags, mode=0o777, *, dir_fd=None):
    """os.open: a file of the view opened for reading is a descriptor of a
    close-on-exec memory file holding its bytes, opened read-only."""
    where = _inside(path) if dir_fd is None else None
    found = None if where is None else _lookup(where)
    if where is not None and flags & _WRITE_FLAGS:
        raise _read_only(path)
    if where is not None and found is None:
        raise _not_found(path)
    if found is None or found[0] != "file":
        # Not under the executable, or a directory of the view (no descriptor stands for one): the system answers.
        return _original["os_open"](path, flags, mode, dir_fd=dir_fd)
    fd = _memory_file("oxidize-view", found[1])
    try:
        # Read-only, as asked: a second descriptor of the same file.
        return _original["os_open"]("/proc/self/fd/%d" % fd, (flags & ~_NOFOLLOW) | posix.O_CLOEXEC)
    finally:
        posix.close(fd)


# -- what C code's open, fopen, stat and access of a view path call (c/oxidize_c_files.c) --


_c_snapshot_sent = []


def _send_c_snapshot():
    """Hands the C file view the paths this view holds, once (see
    oxidize_c_files.c: what it can answer without the GIL)."""
    global _tree
    if _c_snapshot_sent:
        return
    _c_snapshot_sent.append(True)
    send = getattr(_oxidize, "c_view_snapshot", None)
    if send is None:
        return
    if _tree is None:
        _tree = _build()
    files, dirs = _tree
    encoding = sys.getfilesystemencoding()
    pairs = [(rel.encode(encoding, "surrogateescape"), 1) for rel in files]
    pairs.extend((rel.encode(encoding, "surrogateescape"), 2) for rel in dirs)
    pairs.sort()
    send(pairs)


def _c_found(path):
    """(where, found) for a C call on a view path; FileNotFoundError when the view holds nothing there."""
    _send_c_snapshot()
    where = _inside(path)
    found = None if where is None else _lookup(where)
    if found is None:
        raise _not_found(path)
    return where, found


def c_open(path, flags):
    """A descriptor for C's open() of a file of the view (read-only: writing
    is EROFS, and sqlite3 then opens read-only); a directory has none."""
    _where, found = _c_found(path)
    if found[0] == "dir":
        raise NotADirectoryError(errno.ENOTDIR, posix.strerror(errno.ENOTDIR), path)
    return os_open(path, flags)


def c_stat(path, _unused):
    """(mode, ino, dev, nlink, uid, gid, size, atime, mtime, ctime) for C's stat()."""
    where, found = _c_found(path)
    return tuple(_stat_of(found, where)[:10])


def c_access(path, mode):
    _c_found(path)
    if mode & _W_OK:
        raise _read_only(path)
    if not access(path, mode):
        raise OSError(errno.EACCES, posix.strerror(errno.EACCES), path)
    return True


def open_code(path):
    """io.open_code: what zipimport opens a zip file on sys.path with, and
    Python's file loaders a module's file."""
    return open(path, "rb")


class _RealFile:
    """`with _RealFile(path) as name:` a name C code can open for `path`:
    the path itself outside the view; for a file of the view,
    /proc/self/fd/N of a close-on-exec memory file holding its bytes, for
    as long as the block lasts."""

    def __init__(self, path):
        self._path = path
        self._file = None

    def __enter__(self):
        if self._path is None or not _original or _inside(self._path) is None:
            return self._path
        self._file = open(self._path, "rb")
        return "/proc/self/fd/%d" % self._file.fileno()

    def __exit__(self, *exc):
        if self._file is not None:
            self._file.close()


def _certificates_in(where, children):
    """The PEM text of every file of a directory of the view (an SSL capath)."""
    texts = []
    for name in sorted(children):
        found = _lookup(where + "/" + name)
        if found is not None and found[0] == "file":
            texts.append(bytes(found[1]).decode("ascii", "replace"))
    return "\n".join(texts)


# SSLContext's methods for paths under the executable (_oxidize_ssl calls
# them with the C base class's method table): OpenSSL opens files itself, so
# it gets a name it can open; a CA directory (capath) of the view is loaded
# as CA data instead, since OpenSSL looks certificates up in it only when
# verifying.


def ssl_load_verify_locations(base, context, cafile=None, capath=None, cadata=None):
    where = _inside(capath) if capath is not None and _original else None
    if where is not None:
        found = _lookup(where)
        if found is None or found[0] != "dir":
            raise _not_found(capath)
        base.load_verify_locations(context, cadata=_certificates_in(where, found[1]))
        capath = None
        if cafile is None and cadata is None:
            return None
    with _RealFile(cafile) as real:
        return base.load_verify_locations(context, real, capath, cadata)


def ssl_load_cert_chain(base, context, certfile, keyfile=None, password=None):
    with _RealFile(certfile) as cert, _RealFile(keyfile) as key:
        return base.load_cert_chain(context, cert, key, password)


def ssl_load_dh_params(base, context, path):
    with _RealFile(path) as real:
        return base.load_dh_params(context, real)
