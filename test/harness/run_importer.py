"""Runs the importer of a payload under the plain interpreter.

    python3 run_importer.py FILE -c CODE [ARG...]
    python3 run_importer.py FILE -m MODULE [ARG...]

FILE holds a payload written by the TypeScript writer (after any prefix; it
stands for the executable). This does what the runtime's C glue does, with
the stand-in `_oxidize` module: executes the payload's `_oxidize_importer`
(its bytecode, as the runtime does), imports `_oxidize_startup` through the
finder and calls its main(), then runs the code or module.

One difference from an executable: the interpreter started with its own
standard library importable, so the finder goes first on sys.meta_path
(names in the payload win over the host's) and the payload should keep the
filesystem importer on, or the rest of the host's standard library is lost.
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import _oxidize  # noqa: E402  (the stand-in)

del sys.path[0]
payload_file, mode, target, args = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:]
_oxidize.load(payload_file)

i = _oxidize.find(_oxidize.KIND_MODULE, "_oxidize_importer")
code = next(c for c in (_oxidize.code(i, s) for s in (1, 2, 3)) if c is not None)
importer = type(sys)("_oxidize_importer")
sys.modules["_oxidize_importer"] = importer
exec(code, importer.__dict__)

# The executable heads sys.path, as the runtime sets it.
sys.path.insert(0, _oxidize.exe)
sys.meta_path.remove(importer.FINDER)
sys.meta_path.insert(0, importer.FINDER)
sys.path_importer_cache.clear()
for name in [n for n in sys.modules if n.startswith("_oxidize_") and n != "_oxidize_importer"]:
    del sys.modules[name]
__import__("_oxidize_startup").main()

sys.argv = [_oxidize.exe] + args
if mode == "-c":
    sys.argv[0] = "-c"
    exec(compile(target, "<string>", "exec"), {"__name__": "__main__"})
else:
    import runpy

    runpy._run_module_as_main(target, alter_argv=False)
