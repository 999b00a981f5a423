"""Lists the imports of compiled Python modules, for oxidize.

Run by the distribution's own interpreter (its bytecode and its `dis`).
Reads JSON lines from stdin, one per module:
    {"id": any, "codedata": base64 marshalled code object}
 or {"id": any, "source": path, "filename": co_filename}
 or {"id": any, "data": base64 source, "filename": co_filename}
and prints one JSON line per module, in order:
    {"id": ..., "imports": [[name, level, fromlist or null, optional, toplevel, fallback], ...],
     "metadata": [[distribution, function, optional, toplevel], ...]}
 or {"id": ..., "error": message}

An import is `optional` when an `except` clause catching ImportError,
ModuleNotFoundError, Exception or BaseException (or a bare `except:`)
surrounds it, found through the code's exception table, and a `fallback`
when it is in the body of such a clause (`except ImportError: import Queue`)
(Python 3.11 and later; earlier versions report neither). It is `toplevel`
when it runs while the module is imported: in the module's own code or a
class body, not inside a function.

`metadata` lists calls that look a distribution up by a literal name
(`importlib.metadata.version("wadllib")`, pkg_resources.get_distribution),
with the function resolved through the module's imports (`from
importlib.metadata import version as v`); `optional` when a clause catching
PackageNotFoundError or DistributionNotFound (or the above) guards it.
"""
import base64
import dis
import json
import marshal
import re
import sys

CATCHES_IMPORT_ERROR = {"ImportError", "ModuleNotFoundError", "Exception", "BaseException"}
# What a failed metadata lookup raises (PackageNotFoundError is a ModuleNotFoundError;
# pkg_resources' DistributionNotFound a ResolutionError).
CATCHES_NOT_FOUND = CATCHES_IMPORT_ERROR | {"PackageNotFoundError", "DistributionNotFound", "ResolutionError"}
CO_OPTIMIZED = 0x1
CO_NEWLOCALS = 0x2
HAS_TABLE = hasattr(dis, "_parse_exception_table")
SKIPPED = ("CACHE", "EXTENDED_ARG", "NOP", "NOT_TAKEN")
NAME_LOADS = ("LOAD_NAME", "LOAD_GLOBAL", "LOAD_FAST", "LOAD_DEREF", "LOAD_FAST_CHECK", "LOAD_FAST_BORROW")
STORES = ("STORE_NAME", "STORE_GLOBAL", "STORE_FAST", "STORE_DEREF")
# Calls whose first argument names a distribution, by the qualified name of the function.
METADATA_CALLS = {
    prefix + "." + fn
    for prefix in ("importlib.metadata", "importlib_metadata")
    for fn in ("version", "distribution", "metadata", "requires", "files", "Distribution.from_name")
} | {"pkg_resources.get_distribution", "pkg_resources.require"}


def is_false_jump(ins):
    return ins.opname.startswith("POP_JUMP") and "IF_FALSE" in ins.opname


def except_clauses(instructions):
    """The `except` clauses of a code object: (start, body, end, names caught or None for a bare except).

    Python 3.11+ compiles `except A:` to PUSH_EXC_INFO (first clause only),
    loads of the names (`start`), CHECK_EXC_MATCH, a jump to the next clause
    when it does not match (`body`; its target is `end`), then the body; a
    bare `except:` is POP_TOP (`start` and `body`) and the body, which ends at
    POP_EXCEPT.
    """
    clauses = []
    # Where a clause that did not match goes: the next clause (or RERAISE).
    jump_targets = {
        j.argval for at, i in enumerate(instructions) if i.opname == "CHECK_EXC_MATCH"
        for j in instructions[at + 1:at + 4] if is_false_jump(j)
    }
    for at, ins in enumerate(instructions):
        if ins.opname == "CHECK_EXC_MATCH":
            names, start = [], ins.offset
            for before in reversed(instructions[:at]):
                if before.opname in ("LOAD_NAME", "LOAD_GLOBAL", "LOAD_ATTR", "LOAD_DEREF", "LOAD_FAST"):
                    names.append(before.argval)
                    start = before.offset
                elif before.opname not in ("BUILD_TUPLE", "PUSH_NULL") + SKIPPED:
                    break
            jump = next((j for j in instructions[at + 1:at + 4] if is_false_jump(j)), None)
            if jump is not None:
                clauses.append((start, jump.offset, jump.argval, set(names)))
        elif ins.opname == "POP_TOP" and at > 0 and (instructions[at - 1].opname == "PUSH_EXC_INFO" or ins.offset in jump_targets):
            end = next((j.offset for j in instructions[at:] if j.opname == "POP_EXCEPT"), ins.offset)
            clauses.append((ins.offset, ins.offset, end, None))
    return clauses


def catches(names, wanted):
    return names is None or bool(names & wanted)


def handler_catches(instructions, clauses, target, wanted):
    """Whether the handler at `target` (its PUSH_EXC_INFO) has a clause catching one of `wanted` (or everything)."""
    at = next((n for n, i in enumerate(instructions) if i.offset == target), None)
    if at is None or instructions[at].opname != "PUSH_EXC_INFO":
        return False
    following = next((i.offset for i in instructions[at + 1:] if i.opname not in SKIPPED), None)
    by_start = {c[0]: c for c in clauses}
    clause = by_start.get(following)
    for _ in range(64):
        if clause is None:
            return False
        if catches(clause[3], wanted):
            return True
        # Not matched: on to the next clause, where the jump goes.
        clause = by_start.get(clause[2])
    return False


def guards(code, instructions, wanted):
    """Two predicates on the offsets of `code`'s instructions: in a `try` body with an `except`
    for one of `wanted` (guarded); in the body of such an `except` clause (a fallback)."""
    if not HAS_TABLE:
        return (lambda offset: False), (lambda offset: False)
    table = list(dis._parse_exception_table(code))
    clauses = except_clauses(instructions)
    handling = [(body, end) for _, body, end, names in clauses if catches(names, wanted)]

    def covering(offset):
        for e in table:
            if e.start <= offset < e.end:
                return e
        return None

    def fallback(offset):
        return any(start <= offset < end for start, end in handling)

    def guarded(offset):
        entry = covering(offset)
        for _ in range(16):
            if entry is None:
                return False
            if handler_catches(instructions, clauses, entry.target, wanted):
                return True
            # Not this handler: an enclosing try guards the cleanup code that
            # re-raises from it.
            cleanup = covering(entry.target)
            if cleanup is None:
                return False
            entry = covering(cleanup.target)
        return False

    return guarded, fallback


def module_aliases(code, out):
    """Local names bound to modules or their attributes by imports, anywhere in the module: name -> qualified name."""
    instructions = [i for i in dis.get_instructions(code) if i.opname not in SKIPPED]
    for at, ins in enumerate(instructions):
        if ins.opname != "IMPORT_NAME":
            continue
        module = ins.argval
        level = instructions[at - 2].argval if at >= 2 and instructions[at - 2].opname == "LOAD_CONST" else 0
        fromlist = instructions[at - 1].argval if at >= 1 and instructions[at - 1].opname == "LOAD_CONST" else None
        if level:
            continue
        nxt = instructions[at + 1:at + 2]
        if not fromlist:
            if nxt and nxt[0].opname in STORES:
                # `import a.b` binds a; `import a as c` binds c to a.
                out[nxt[0].argval] = module if nxt[0].argval != module.partition(".")[0] else nxt[0].argval
            else:
                # `import a.b as c`: IMPORT_FROM b, then the store of c.
                j = at + 1
                while j < len(instructions) and instructions[j].opname == "IMPORT_FROM":
                    j += 1
                if j < len(instructions) and instructions[j].opname in STORES:
                    out[instructions[j].argval] = module
            continue
        for j in range(at + 1, len(instructions) - 1):
            if instructions[j].opname != "IMPORT_FROM":
                if instructions[j].opname in STORES:
                    continue
                break
            if instructions[j + 1].opname in STORES:
                out[instructions[j + 1].argval] = module + "." + instructions[j].argval
    for const in code.co_consts:
        if hasattr(const, "co_code"):
            module_aliases(const, out)


def metadata_lookups(instructions, aliases, guarded, toplevel, out):
    """Calls such as importlib.metadata.version("name") with a literal name: [name, function, optional, toplevel]."""
    chain = None
    literal = None
    for i in instructions:
        op = i.opname
        if op in SKIPPED or op in ("PUSH_NULL", "PRECALL"):
            continue
        if op in NAME_LOADS:
            chain, literal = [aliases.get(i.argval, i.argval)], None
        elif op in ("LOAD_ATTR", "LOAD_METHOD") and chain is not None and literal is None:
            chain.append(i.argval)
        elif op == "LOAD_CONST" and chain is not None and literal is None and isinstance(i.argval, str):
            literal = i.argval
        elif op == "CALL" and chain is not None and literal is not None and i.argval == 1:
            function = ".".join(chain)
            if function in METADATA_CALLS:
                # pkg_resources takes a requirement ("name>=1.0"): its name is what is looked up.
                name = re.match(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)", literal)
                if name:
                    out.append([name.group(1), function, guarded(i.offset), toplevel])
            chain = literal = None
        else:
            chain = literal = None


def scan(code, toplevel, aliases, out, lookups):
    instructions = list(dis.get_instructions(code))
    guarded, fallback = guards(code, instructions, CATCHES_IMPORT_ERROR)
    consts = []
    for i in instructions:
        if i.opname == "LOAD_CONST":
            consts.append(i.argval)
        elif i.opname == "IMPORT_NAME":
            level = consts[-2] if len(consts) >= 2 and isinstance(consts[-2], int) else 0
            fromlist = consts[-1] if consts and isinstance(consts[-1], tuple) else None
            out.append([i.argval, level, list(fromlist) if fromlist else None, guarded(i.offset), toplevel, fallback(i.offset)])
            consts = []
        elif i.opname not in ("CACHE", "EXTENDED_ARG"):
            consts = []
    not_found, not_found_fallback = guards(code, instructions, CATCHES_NOT_FOUND)
    metadata_lookups(instructions, aliases, lambda offset: not_found(offset) or not_found_fallback(offset), toplevel, lookups)
    for const in code.co_consts:
        if hasattr(const, "co_code"):
            # A class body runs at import; a function (or lambda, comprehension) later.
            is_function = const.co_flags & (CO_OPTIMIZED | CO_NEWLOCALS)
            scan(const, toplevel and not is_function, aliases, out, lookups)


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
            code = load(job)
            imports, lookups, aliases = [], [], {}
            module_aliases(code, aliases)
            scan(code, True, aliases, imports, lookups)
            write(json.dumps({"id": job["id"], "imports": imports, "metadata": lookups}) + "\n")
        except (SyntaxError, ValueError, TypeError, EOFError, OSError, UnicodeDecodeError) as e:
            write(json.dumps({"id": job["id"], "error": "%s: %s" % (type(e).__name__, e)}) + "\n")
    sys.stdout.flush()


main()
