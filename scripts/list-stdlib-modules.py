"""Writes the names of the standard library modules that import cleanly.

Usage: python3 scripts/list-stdlib-modules.py > test/fixtures/stdlib-modules.txt

The list drives the end-to-end isolation test and the import benchmark.
Each candidate is imported in a child interpreter (-I -S) so one module's
side effects do not decide another's fate.
"""
import os
import subprocess
import sys
import sysconfig

# Modules with effects on import (open a browser, print, start a GUI), or
# that exist only for Python's own build and test.
SKIP_TOP = {
    "antigravity", "this", "__hello__", "__phello__", "idlelib", "turtledemo", "tkinter", "turtle",
    "test", "lib2to3", "ensurepip", "venv", "pydoc_data", "_sysconfigdata", "sitecustomize",
    "usercustomize", "_distutils_system_mod", "__main__", "_pydev", "distutils", "msilib",
}
SKIP_PARTS = {"test", "tests", "idle_test", "__main__"}


def candidates():
    stdlib = sysconfig.get_paths()["stdlib"]
    names = set(sys.builtin_module_names)
    dynload = sysconfig.get_config_var("DESTSHARED")
    for f in os.listdir(dynload):
        if f.endswith(".so"):
            names.add(f.split(".")[0])
    for root, dirs, files in os.walk(stdlib):
        rel = os.path.relpath(root, stdlib)
        parts = [] if rel == "." else rel.split(os.sep)
        if parts and (parts[0] in ("site-packages", "dist-packages", "lib-dynload") or parts[0].startswith("config-")):
            dirs[:] = []
            continue
        if parts and not os.path.exists(os.path.join(root, "__init__.py")):
            dirs[:] = []
            continue
        for f in files:
            if not f.endswith(".py"):
                continue
            stem = f[:-3]
            name = ".".join(parts + ([] if stem == "__init__" else [stem]))
            if name and name.replace(".", "").replace("_", "a").isalnum():
                names.add(name)
    return sorted(n for n in names if n.split(".")[0] not in SKIP_TOP and not SKIP_PARTS & set(n.split(".")) and not n.startswith("_sysconfigdata"))


def imports(name):
    r = subprocess.run([sys.executable, "-I", "-S", "-W", "ignore", "-c", "import " + name],
                       stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=60)
    return r.returncode == 0


for n in candidates():
    if imports(n):
        print(n)
