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

Imports in code that never runs are left out: a branch whose condition
the scanner can decide is followed one way only, and code no path reaches
(after removing the branches not taken; exception handlers are reached from
the code they guard) is not read. Decided conditions: `TYPE_CHECKING`
(a name or an attribute of any object, `typing.TYPE_CHECKING`,
`t.TYPE_CHECKING`: False when the program runs), `sys.version_info`,
`sys.platform`, `sys.hexversion`, `sys.byteorder`, `os.name`,
`sys.implementation.name`, `platform.system()`, `six.PY2` and `six.PY3`
(compared, indexed, sliced, `startswith`/`endswith`, `not`, `in`), which
are the scanner's: it is the interpreter the executable embeds, on the
platform it runs on; and module-level names assigned once from such an
expression (`PY2 = sys.version_info[0] == 2`, then `if PY2:`; not a plain
literal such as `debug = False`, which a user may change).

`metadata` lists calls that look a distribution up by a literal name
(`importlib.metadata.version("wadllib")`, pkg_resources.get_distribution),
with the function resolved through the module's imports (`from
importlib.metadata import version as v`); `optional` when a clause catching
PackageNotFoundError or DistributionNotFound (or the above) guards it.
"""
import base64
import bisect
import dis
import json
import marshal
import operator
import os
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


# What the conditions the scanner decides see when the program runs (see the module's docstring).
def _platform_system():
    try:
        import platform
        return platform.system()
    except Exception:
        return None


KNOWN = {
    "sys.version_info": sys.version_info,
    "sys.platform": sys.platform,
    "sys.hexversion": sys.hexversion,
    "sys.byteorder": sys.byteorder,
    "sys.implementation.name": sys.implementation.name,
    "os.name": os.name,
    "six.PY2": sys.version_info[0] == 2,
    "six.PY3": sys.version_info[0] == 3,
}
KNOWN_CALLS = {"platform.system": _platform_system}
COMPARE = {
    "<": operator.lt, "<=": operator.le, "==": operator.eq, "!=": operator.ne, ">": operator.gt, ">=": operator.ge,
}
STR_METHODS = ("startswith", "endswith")
PY311 = sys.version_info >= (3, 11)
PY312 = sys.version_info >= (3, 12)
NO_EFFECT = ("CACHE", "EXTENDED_ARG", "NOP", "NOT_TAKEN", "PRECALL", "TO_BOOL")
TERMINAL = ("RETURN_VALUE", "RETURN_CONST", "RAISE_VARARGS", "RERAISE")
JUMPS = set(dis.hasjrel) | set(dis.hasjabs) | set(getattr(dis, "hasjump", ()))


class Known:
    """A value the scanner knows the program will see."""
    __slots__ = ("value",)

    def __init__(self, value):
        self.value = value


class Qual:
    """A module or an attribute of one, by qualified name (`sys`, `sys.implementation`)."""
    __slots__ = ("name",)

    def __init__(self, name):
        self.name = name


class Method:
    """`obj.name` loaded to be called."""
    __slots__ = ("obj", "name")

    def __init__(self, obj, name):
        self.obj, self.name = obj, name


UNKNOWN = object()
NULL = object()


class Names:
    """What the names loaded in one code object stand for: TYPE_CHECKING, a module-level constant
    (`constants`), or a module (or one of its attributes) imported under the name (`aliases`). A
    function's local counts only when every assignment to it in that function is an import."""

    def __init__(self, code, instructions, aliases, constants):
        self.aliases, self.constants = aliases, constants
        arguments = code.co_argcount + code.co_kwonlyargcount + bool(code.co_flags & 0x4) + bool(code.co_flags & 0x8)
        unsafe = set(code.co_varnames[:arguments])
        self.locals = set()
        for at, ins in enumerate(instructions):
            if ins.opname == "STORE_FAST":
                before = instructions[at - 1].opname if at > 0 else ""
                (self.locals if before in ("IMPORT_NAME", "IMPORT_FROM") else unsafe).add(ins.argval)
        self.locals -= unsafe

    def value(self, ins):
        name = ins.argval
        if name == "TYPE_CHECKING":
            return Known(False)
        if ins.opname in ("LOAD_FAST", "LOAD_FAST_CHECK", "LOAD_FAST_BORROW"):
            if name not in self.locals:
                return UNKNOWN
        elif ins.opname not in ("LOAD_NAME", "LOAD_GLOBAL"):
            return UNKNOWN
        elif name in self.constants:
            return Known(self.constants[name])
        target = self.aliases.get(name)
        if target is None:
            return UNKNOWN
        if target.endswith(".TYPE_CHECKING"):
            return Known(False)
        return Known(KNOWN[target]) if target in KNOWN else Qual(target)


def attribute(obj, name):
    if name == "TYPE_CHECKING":
        return Known(False)
    if isinstance(obj, Qual):
        full = obj.name + "." + name
        return Known(KNOWN[full]) if full in KNOWN else Qual(full)
    return UNKNOWN


def evaluate(run, names):
    """The value the instructions of `run` leave on an empty stack, a Known, or None when it is not exactly one value the scanner knows."""
    stack = []

    def pop(n=1):
        if len(stack) < n:
            raise IndexError
        taken = stack[len(stack) - n:]
        del stack[len(stack) - n:]
        return taken

    def known(*values):
        return all(isinstance(v, Known) for v in values)

    try:
        for ins in run:
            op = ins.opname
            if op in NO_EFFECT:
                continue
            if op == "LOAD_CONST":
                stack.append(Known(ins.argval))
            elif op in NAME_LOADS:
                if op == "LOAD_GLOBAL" and PY311 and ins.arg & 1:
                    stack.append(NULL)
                stack.append(names.value(ins))
            elif op == "PUSH_NULL":
                stack.append(NULL)
            elif op == "LOAD_METHOD" or (op == "LOAD_ATTR" and PY312 and ins.arg & 1):
                (obj,) = pop()
                stack += [Method(obj, ins.argval), NULL]
            elif op == "LOAD_ATTR":
                (obj,) = pop()
                stack.append(attribute(obj, ins.argval))
            elif op in ("CALL", "CALL_METHOD", "CALL_FUNCTION"):
                args = pop(ins.arg)
                called = pop(1 if op == "CALL_FUNCTION" else 2)
                method = next((c for c in called if isinstance(c, Method)), None)
                result = UNKNOWN
                if method is not None and known(*args):
                    if isinstance(method.obj, Known) and isinstance(method.obj.value, str) and method.name in STR_METHODS and len(args) == 1:
                        result = Known(getattr(method.obj.value, method.name)(args[0].value))
                    elif isinstance(method.obj, Qual) and not args and method.obj.name + "." + method.name in KNOWN_CALLS:
                        value = KNOWN_CALLS[method.obj.name + "." + method.name]()
                        result = UNKNOWN if value is None else Known(value)
                stack.append(result)
            elif op == "COMPARE_OP":
                a, b = pop(2)
                compare = COMPARE.get(str(ins.argval).replace("bool(", "").rstrip(")"))
                stack.append(Known(compare(a.value, b.value)) if compare and known(a, b) else UNKNOWN)
            elif op == "IS_OP":
                a, b = pop(2)
                stack.append(Known((a.value is b.value) != bool(ins.arg)) if known(a, b) else UNKNOWN)
            elif op == "CONTAINS_OP":
                a, b = pop(2)
                stack.append(Known((a.value in b.value) != bool(ins.arg)) if known(a, b) else UNKNOWN)
            elif op == "BINARY_SUBSCR":
                obj, index = pop(2)
                stack.append(Known(obj.value[index.value]) if known(obj, index) else UNKNOWN)
            elif op == "BINARY_SLICE":
                obj, start, end = pop(3)
                stack.append(Known(obj.value[start.value:end.value]) if known(obj, start, end) else UNKNOWN)
            elif op in ("BUILD_SLICE", "BUILD_TUPLE"):
                parts = pop(ins.arg)
                if not known(*parts):
                    stack.append(UNKNOWN)
                else:
                    values = [p.value for p in parts]
                    stack.append(Known(slice(*values) if op == "BUILD_SLICE" else tuple(values)))
            elif op == "UNARY_NOT":
                (a,) = pop()
                stack.append(Known(not a.value) if known(a) else UNKNOWN)
            else:
                return None
    except (IndexError, TypeError, ValueError, AttributeError, KeyError):
        return None
    return stack[0] if len(stack) == 1 and isinstance(stack[0], Known) else None


# What may stand in a condition the scanner decides.
EVALUABLE = set(NO_EFFECT) | set(NAME_LOADS) | {
    "LOAD_CONST", "PUSH_NULL", "LOAD_METHOD", "LOAD_ATTR", "CALL", "CALL_METHOD", "CALL_FUNCTION", "COMPARE_OP",
    "IS_OP", "CONTAINS_OP", "BINARY_SUBSCR", "BINARY_SLICE", "BUILD_SLICE", "BUILD_TUPLE", "UNARY_NOT",
}


def value_before(instructions, at, targets, names, derived=False):
    """The value the expression just before `instructions[at]` leaves, when the scanner knows it: the shortest
    run of evaluable instructions ending there that makes exactly one value (a postfix expression: every
    shorter run lacks an operand). None when unknown, or when code jumps into the middle of it."""
    start = at
    while start > 0 and instructions[start - 1].opname in EVALUABLE:
        start -= 1
    for first in range(at - 1, start - 1, -1):
        if instructions[first].opname in NO_EFFECT:
            continue
        value = evaluate(instructions[first:at], names)
        if value is not None:
            # Reached from elsewhere part-way, the stack holds something else there.
            if any(i.offset in targets for i in instructions[first + 1:at + 1]):
                return None
            # `derived`: read from the interpreter (sys.version_info), not a literal another module may change (`debug = False`).
            if derived and not any(i.opname in NAME_LOADS for i in instructions[first:at]):
                return None
            return value
    return None


def jump_targets(code, instructions):
    """The offsets code jumps to (exception handlers too); None when a jump's target is not an instruction."""
    by_offset = {ins.offset for ins in instructions}
    targets = {e.target for e in dis._parse_exception_table(code)} if HAS_TABLE else set()
    for ins in instructions:
        if ins.opcode in JUMPS:
            if not isinstance(ins.argval, int) or ins.argval not in by_offset:
                return None
            targets.add(ins.argval)
    return targets


def reachable(code, instructions, names):
    """The offsets of `code` that can run, given the conditions the scanner decides; None when it cannot tell."""
    by_offset = {ins.offset: n for n, ins in enumerate(instructions)}
    table = list(dis._parse_exception_table(code)) if HAS_TABLE else []
    targets = jump_targets(code, instructions)
    if targets is None:
        return None
    seen = set()
    todo = [0] if instructions else []
    handled = set()
    while todo:
        while todo:
            n = todo.pop()
            if n in seen or n >= len(instructions):
                continue
            seen.add(n)
            ins = instructions[n]
            op = ins.opname
            if op in TERMINAL:
                continue
            if ins.opcode in JUMPS:
                target = by_offset[ins.argval]
                if op.startswith("JUMP") and "IF" not in op:
                    todo.append(target)
                    continue
                if op.startswith("POP_JUMP") and ("IF_FALSE" in op or "IF_TRUE" in op):
                    value = value_before(instructions, n, targets, names)
                    if value is not None:
                        try:
                            jumps = bool(value.value) == ("IF_TRUE" in op)
                        except Exception:
                            jumps = None
                        if jumps is not None:
                            todo.append(target if jumps else n + 1)
                            continue
                todo += [target, n + 1]
            else:
                todo.append(n + 1)
        # A handler runs when the code it guards can.
        offsets = sorted(instructions[n].offset for n in seen)
        for e in table:
            if e.target in handled:
                continue
            first = bisect.bisect_left(offsets, e.start)
            if first < len(offsets) and offsets[first] < e.end:
                handled.add(e.target)
                todo.append(by_offset[e.target])
    return {instructions[n].offset for n in seen}


def module_constants(code, instructions, aliases):
    """Module-level names assigned exactly once in the whole module, from a value the scanner knows read
    from the interpreter (`PY2 = sys.version_info[0] == 2`; not `debug = False`, which a user may change)."""
    stores = {}

    def count(c):
        for ins in instructions_of(c):
            if ins.opname in ("STORE_NAME", "STORE_GLOBAL", "DELETE_NAME", "DELETE_GLOBAL", "IMPORT_FROM"):
                stores[ins.argval] = stores.get(ins.argval, 0) + 1
        for const in c.co_consts:
            if hasattr(const, "co_code"):
                count(const)

    count(code)
    found = {}
    targets = jump_targets(code, instructions)
    names = Names(code, instructions, aliases, {})
    for at, ins in enumerate(instructions):
        if targets is not None and ins.opname == "STORE_NAME" and stores.get(ins.argval) == 1 and ins.argval not in aliases:
            value = value_before(instructions, at, targets, names, derived=True)
            if value is not None and isinstance(value.value, (bool, int, str)):
                found[ins.argval] = value.value
    return found


# The instructions of the code objects of the module being scanned (disassembling is most of the scan's time).
DISASSEMBLED = {}


def instructions_of(code):
    found = DISASSEMBLED.get(id(code))
    if found is None or found[0] is not code:
        found = DISASSEMBLED[id(code)] = (code, list(dis.get_instructions(code)))
    return found[1]


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
    instructions = [i for i in instructions_of(code) if i.opname not in SKIPPED]
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


def metadata_lookups(instructions, aliases, guarded, toplevel, out, live):
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
            if function in METADATA_CALLS and live(i.offset):
                # pkg_resources takes a requirement ("name>=1.0"): its name is what is looked up.
                name = re.match(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)", literal)
                if name:
                    out.append([name.group(1), function, guarded(i.offset), toplevel])
            chain = literal = None
        else:
            chain = literal = None


def scan(code, toplevel, aliases, constants, out, lookups):
    instructions = instructions_of(code)
    guarded, fallback = guards(code, instructions, CATCHES_IMPORT_ERROR)
    try:
        live_offsets = reachable(code, instructions, Names(code, instructions, aliases, constants))
    except Exception:
        # Bytecode this reading does not follow: every instruction counts as reachable, as before it.
        live_offsets = None

    def live(offset):
        return live_offsets is None or offset in live_offsets

    consts = []
    # Nested code (functions, classes) made only where nothing runs is not read either.
    made = set()
    for i in instructions:
        if i.opname == "LOAD_CONST":
            consts.append(i.argval)
            if hasattr(i.argval, "co_code") and live(i.offset):
                made.add(id(i.argval))
        elif i.opname == "IMPORT_NAME" and not live(i.offset):
            consts = []
        elif i.opname == "IMPORT_NAME":
            level = consts[-2] if len(consts) >= 2 and isinstance(consts[-2], int) else 0
            fromlist = consts[-1] if consts and isinstance(consts[-1], tuple) else None
            out.append([i.argval, level, list(fromlist) if fromlist else None, guarded(i.offset), toplevel, fallback(i.offset)])
            consts = []
        elif i.opname not in ("CACHE", "EXTENDED_ARG"):
            consts = []
    not_found, not_found_fallback = guards(code, instructions, CATCHES_NOT_FOUND)
    metadata_lookups(instructions, aliases, lambda offset: not_found(offset) or not_found_fallback(offset), toplevel, lookups, live)
    for const in code.co_consts:
        if hasattr(const, "co_code") and (live_offsets is None or id(const) in made):
            # A class body runs at import; a function (or lambda, comprehension) later.
            is_function = const.co_flags & (CO_OPTIMIZED | CO_NEWLOCALS)
            scan(const, toplevel and not is_function, aliases, constants, out, lookups)


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
            DISASSEMBLED.clear()
            module_aliases(code, aliases)
            try:
                constants = module_constants(code, instructions_of(code), aliases)
            except Exception:
                constants = {}
            scan(code, True, aliases, constants, imports, lookups)
            write(json.dumps({"id": job["id"], "imports": imports, "metadata": lookups}) + "\n")
        except (SyntaxError, ValueError, TypeError, EOFError, OSError, UnicodeDecodeError) as e:
            write(json.dumps({"id": job["id"], "error": "%s: %s" % (type(e).__name__, e)}) + "\n")
    sys.stdout.flush()


main()
