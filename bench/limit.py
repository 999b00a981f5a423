"""The import workload with finding and loading taken away: the limit any importer can reach.

    python3 -S limit.py prepare SCRIPT TABLE   run SCRIPT once, then write the code object of
                                               every module it imported from a source file
    python3 -S limit.py load TABLE SCRIPT      unmarshal the table, compile SCRIPT and exit
    python3 -S limit.py run TABLE SCRIPT       unmarshal the table, put a finder that serves
                                               those code objects first on sys.meta_path, run SCRIPT

`run` minus `load` is the cost of executing the modules (and of a finder that is a dict
lookup); added to the interpreter's own start-up it is the floor of the workload.
Modules that are builtin, frozen or extension modules go through Python's own finders
in every mode, as they do for the executable.
"""
import marshal
import sys


def prepare(script, table_path):
    before = set(sys.modules)
    with open(script) as f:
        code = compile(f.read(), script, "exec")
    exec(code, {"__name__": "__limit_probe__"})
    table = {}
    for name, module in list(sys.modules.items()):
        spec = getattr(module, "__spec__", None)
        loader = getattr(spec, "loader", None)
        if name in before or spec is None or type(loader).__name__ != "SourceFileLoader":
            continue
        code = loader.get_code(name)
        locations = list(spec.submodule_search_locations) if spec.submodule_search_locations is not None else None
        table[name] = (spec.origin, locations, code)
    with open(table_path, "wb") as f:
        marshal.dump(table, f)
    print("%d modules" % len(table))


def load(table_path):
    with open(table_path, "rb") as f:
        return marshal.loads(f.read())


class CodeFinder:
    """Finds and loads modules from code objects held in a dict."""

    def __init__(self, table):
        self.table = table
        self.spec_type = type(sys.__spec__)

    def find_spec(self, name, path=None, target=None):
        entry = self.table.get(name)
        if entry is None:
            return None
        origin, locations, _ = entry
        spec = self.spec_type(name, self, origin=origin, is_package=locations is not None)
        if locations is not None:
            spec.submodule_search_locations = locations
        spec.has_location = True
        return spec

    def create_module(self, spec):
        return None

    def exec_module(self, module):
        exec(self.table[module.__spec__.name][2], module.__dict__)


def main():
    mode = sys.argv[1]
    if mode == "prepare":
        prepare(sys.argv[2], sys.argv[3])
    elif mode in ("load", "run"):
        finder = CodeFinder(load(sys.argv[2]))
        with open(sys.argv[3]) as f:
            code = compile(f.read(), sys.argv[3], "exec")
        if mode == "run":
            sys.meta_path.insert(0, finder)
            exec(code, {"__name__": "__main__"})
    else:
        sys.exit("unknown mode " + mode)


main()
