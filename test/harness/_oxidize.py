"""A pure-Python stand-in for the runtime's native `_oxidize` module.

Reads the payload appended to a file (the layout of schemas/payload-format.md)
and answers the same calls the C glue answers, so the real importer modules,
taken from that payload, run under a plain interpreter (see run_importer.py).
Only what the native module does is here; no importer logic.
"""
import ctypes
import importlib.util
import marshal
import os
import struct

_here = os.path.dirname(os.path.abspath(__file__))
_format_path = os.path.join(_here, "..", "..", "runtime-rust", "python", "_oxidize_format.py")
_spec = importlib.util.spec_from_file_location("_oxidize_format", _format_path)
_format = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_format)
globals().update(_format.CONSTANTS)

TRAILER_LEN = 32
HEADER_LEN = 72
ENTRY_LEN = 64

exe = None
origin = None
count = 0
run_mode = 0
settings = {}
string_settings = {}
_index = []  # (kind, flags, name, [(offset, length) or None] * 4)
_blobs = b""


def load(path):
    """Reads the payload of the file at `path`; the file stands for the executable."""
    global exe, origin, count, _blobs
    data = open(path, "rb").read()
    view = memoryview(data)
    offset, length, _checksum, version, magic = struct.unpack_from("<QQII8s", data, len(data) - TRAILER_LEN)
    if magic != b"OXIDIZE\x1a" or version != FORMAT_VERSION:
        raise ValueError("%s has no payload of format %d" % (path, FORMAT_VERSION))
    p = view[offset:offset + length]
    n, config_off, config_len, index_off, strings_off, strings_len, blobs_off, blobs_len = struct.unpack_from("<12xIQQQQQQQ", p, 0)
    strings = bytes(p[strings_off:strings_off + strings_len])
    _blobs = p[blobs_off:blobs_off + blobs_len]
    for i in range(n):
        at = index_off + i * ENTRY_LEN
        name_off, name_len, kind, flags = struct.unpack_from("<IIBB", p, at)
        slots = []
        for s in range(4):
            off, ln, _sum = struct.unpack_from("<III", p, at + 16 + s * 12)
            slots.append(None if off == 0xFFFFFFFF else (off, ln))
        _index.append((kind, flags, strings[name_off:name_off + name_len].decode("utf-8"), slots))
    _read_config(bytes(p[config_off:config_off + config_len]))
    exe = os.path.abspath(path)
    origin = os.path.dirname(exe)
    count = n


def _read_config(b):
    global run_mode
    at = 0
    while at < len(b):
        key, ln = struct.unpack_from("<H2xI", b, at)
        v = b[at + 8:at + 8 + ln]
        if key == CONFIG_KEY_RUN_MODE:
            run_mode = v[0]
        elif key == CONFIG_KEY_SETTING:
            sid, value = struct.unpack_from("<Hi", v)
            settings[sid] = value
        elif key == CONFIG_KEY_STRING_SETTING:
            string_settings[struct.unpack_from("<H", v)[0]] = v[2:].decode("utf-8")
        at += 8 + ln


def _key(i):
    return (_index[i][0], _index[i][2].encode("utf-8"))


def _lower_bound(kind, name):
    lo, hi = 0, len(_index)
    while lo < hi:
        mid = (lo + hi) // 2
        if _key(mid) < (kind, name):
            lo = mid + 1
        else:
            hi = mid
    return lo


def find(kind, name):
    key = name.encode("utf-8", "surrogateescape")
    i = _lower_bound(kind, key)
    return i if i < len(_index) and _key(i) == (kind, key) else -1


def entry(i):
    kind, flags, name, _slots = _index[i]
    return (kind, flags, name)


def _lz4(slot):
    """An lz4-flagged slot: its length (u32) and one LZ4 block (runtime-rust/src/lz4.rs)."""
    size = struct.unpack_from("<I", slot)[0]
    src, out, ip = bytes(slot[4:]), bytearray(), 0

    def length(n):
        nonlocal ip
        if n == 15:
            while True:
                b = src[ip]
                ip += 1
                n += b
                if b != 255:
                    break
        return n

    while True:
        token = src[ip]
        ip += 1
        lit = length(token >> 4)
        out += src[ip:ip + lit]
        ip += lit
        if ip >= len(src):
            break
        offset = src[ip] | src[ip + 1] << 8
        ip += 2
        n = length(token & 15) + 4
        start = len(out) - offset
        while n > 0:  # a match may repeat the bytes it is writing
            run = out[start:start + min(n, len(out) - start)]
            out += run
            n -= len(run)
    if len(out) != size:
        raise ValueError("LZ4 block of entry decodes to %d bytes, not %d" % (len(out), size))
    return bytes(out)


def data(i, slot):
    s = _index[i][3][slot]
    if s is None:
        return None
    d = _blobs[s[0]:s[0] + s[1]].toreadonly()
    if slot == SLOT_DATA and _index[i][1] & FLAG_LZ4:
        return _lz4(d)
    return d


def text(i, slot):
    d = data(i, slot)
    return None if d is None else bytes(d).decode("utf-8", "surrogateescape")


def code(i, slot):
    d = data(i, slot)
    return None if d is None else marshal.loads(d)


def prefix_range(kind, prefix):
    key = prefix.encode("utf-8", "surrogateescape")
    lo = hi = _lower_bound(kind, key)
    while hi < len(_index) and _index[hi][0] == kind and _key(hi)[1].startswith(key):
        hi += 1
    return (lo, hi)


def dlopen(path):
    try:
        ctypes.CDLL(path, mode=ctypes.RTLD_GLOBAL)
    except OSError as e:
        raise ImportError(str(e)) from None


_loaded_names = {}
_fd_name_uses = {}


def loaded_name(i):
    if not 0 <= i < count:
        raise IndexError("no such payload entry")
    return _loaded_names.get(i)


def set_loaded_name(i, name):
    if not 0 <= i < count:
        raise IndexError("no such payload entry")
    _loaded_names[i] = name


def fd_name(fd):
    uses = _fd_name_uses.get(fd, 0)
    _fd_name_uses[fd] = uses + 1
    return "/proc/self/fd" + "/" * (uses + 1) + str(fd)


def c_file_view():
    """The runtime sends C code's opens under the executable's path to the view;
    the plain interpreter's C library cannot be taken over, so nothing happens."""


def path_guard(original, handler, keyword):
    """What the native guard does, in Python: the handler for paths under the
    executable's path, the original function for the rest."""
    prefix = exe + "/"

    def guard(*args, **kwargs):
        path = args[0] if args else kwargs.get(keyword)
        if path is not None and not isinstance(path, int):
            path = os.fspath(path)
            if isinstance(path, bytes):
                path = os.fsdecode(path)
            if path.startswith(prefix):
                return handler(*args, **kwargs)
        return original(*args, **kwargs)

    return guard
