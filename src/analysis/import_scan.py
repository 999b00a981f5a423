"""Lists the imports of compiled Python modules, for oxidize.

Run by the distribution's own interpreter (its bytecode and its `dis`).
Reads JSON lines from stdin, one per module:
    {"id": any, "codedata": base64 marshalled code object}
 or {"id": any, "source": path, "filename": co_filename}
 or {"id": any, "data": base64 source, "filename": co_filename}
and prints one JSON line per module, in order:
    {"id": ..., "imports": [[name, level, fromlist or null, optional, toplevel], ...]}
 or {"id": ..., "error": message}

An import is `optional` when an `except` clause catching ImportError,
ModuleNotFoundError, Exception or BaseException (or a bare `except:`)
surrounds it, found through the code's exception table (Python 3.11 and
later; earlier versions report every import as not optional). It is
`toplevel` when it runs while the module is imported: in the module's own
code or a class body, not inside a function.
"""
import base64
import dis
import json
import marshal
import sys

CATCHES_IMPORT_ERROR = {"ImportError", "ModuleNotFoundError", "Exception", "BaseException"}
CO_OPTIMIZED = 0x1
CO_NEWLOCALS = 0x2
HAS_TABLE = hasattr(dis, "_parse_exception_table")


def handler_catches_import_error(by_offset, target):
    """Whether the handler code at `target` catches ImportError (or everything)."""
    ins = by_offset.get(target)
    if ins is None or ins.opname != "PUSH_EXC_INFO":
        return False
    names = []
    offsets = sorted(by_offset)
    at = offsets.index(target) + 1
    for offset in offsets[at:at + 12]:
        i = by_offset[offset]
        if i.opname in ("LOAD_NAME", "LOAD_GLOBAL", "LOAD_ATTR"):
            names.append(i.argval)
        elif i.opname == "CHECK_EXC_MATCH":
            return any(n in CATCHES_IMPORT_ERROR for n in names)
        elif i.opname == "POP_TOP" and not names:
            return True  # bare `except:`
        elif i.opname not in ("BUILD_TUPLE", "NOP", "CACHE", "PUSH_NULL"):
            return False
    return False


def optional_offsets(code, instructions):
    """Offsets of the instructions of `code` that an ImportError handler guards."""
    if not HAS_TABLE:
        return lambda offset: False
    table = list(dis._parse_exception_table(code))
    by_offset = {i.offset: i for i in instructions}

    def covering(offset):
        for e in table:
            if e.start <= offset < e.end:
                return e
        return None

    def guarded(offset):
        entry = covering(offset)
        for _ in range(16):
            if entry is None:
                return False
            if handler_catches_import_error(by_offset, entry.target):
                return True
            # Not this handler: an enclosing try guards the cleanup code that
            # re-raises from it.
            cleanup = covering(entry.target)
            if cleanup is None:
                return False
            entry = covering(cleanup.target)
        return False

    return guarded


def scan(code, toplevel, out):
    instructions = list(dis.get_instructions(code))
    guarded = optional_offsets(code, instructions)
    consts = []
    for i in instructions:
        if i.opname == "LOAD_CONST":
            consts.append(i.argval)
        elif i.opname == "IMPORT_NAME":
            level = consts[-2] if len(consts) >= 2 and isinstance(consts[-2], int) else 0
            fromlist = consts[-1] if consts and isinstance(consts[-1], tuple) else None
            out.append([i.argval, level, list(fromlist) if fromlist else None, guarded(i.offset), toplevel])
            consts = []
        elif i.opname not in ("CACHE", "EXTENDED_ARG"):
            consts = []
    for const in code.co_consts:
        if hasattr(const, "co_code"):
            # A class body runs at import; a function (or lambda, comprehension) later.
            is_function = const.co_flags & (CO_OPTIMIZED | CO_NEWLOCALS)
            scan(const, toplevel and not is_function, out)


def load(job):
    if "codedata" in job:
        return marshal.loads(base64.b64decode(job["codedata"]))
    if "data" in job:
        source = base64.b64decode(job["data"])
    else:
        with open(job["source"], "rb") as f:
            source = f.read()
    return compile(source, job["filename"], "exec", dont_inherit=True)


def main():
    write = sys.stdout.write
    for line in sys.stdin:
        job = json.loads(line)
        try:
            imports = []
            scan(load(job), True, imports)
            write(json.dumps({"id": job["id"], "imports": imports}) + "\n")
        except (SyntaxError, ValueError, TypeError, EOFError, OSError, UnicodeDecodeError) as e:
            write(json.dumps({"id": job["id"], "error": "%s: %s" % (type(e).__name__, e)}) + "\n")
    sys.stdout.flush()


main()
