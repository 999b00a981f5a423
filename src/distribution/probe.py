"""Describes the running interpreter as a distribution oxidize can embed.

Run by oxidize with the candidate interpreter; prints one JSON object.
"""
import importlib.machinery
import importlib.util
import json
import os
import sys
import sysconfig


def var(name):
    return sysconfig.get_config_var(name) or ""


def static_libraries():
    # Debian's libpython3.X-pic.a is the position-independent build that a
    # PIE executable can link; plain libpython3.X.a elsewhere (pyenv,
    # python.org builds) is compiled with -fPIC when --enable-shared is set.
    libpl, libdir, library = var("LIBPL"), var("LIBDIR"), var("LIBRARY")
    names = []
    if library.endswith(".a"):
        names.append(library[:-2] + "-pic.a")
        names.append(library)
    found = []
    for d in (libpl, libdir):
        for n in names:
            p = os.path.join(d, n)
            if d and os.path.isfile(p) and p not in found:
                found.append(p)
    return found


def link_args():
    out = []
    for name in ("LIBS", "SYSLIBS", "MODLIBS"):
        for a in var(name).split():
            # Library search paths and run paths of the build machine do not
            # belong in an executable meant for other machines.
            if a.startswith("-L") or a.startswith("-Wl,-rpath"):
                continue
            if a not in out:
                out.append(a)
    for a in ("-lm", "-ldl", "-lpthread", "-lutil"):
        if a not in out:
            out.append(a)
    return out


def module_ldflags():
    # Python 3.11+ records the libraries each stdlib extension module was
    # linked with (MODULE_ZLIB_LDFLAGS=-lz); None where it does not.
    out = {}
    names = list(sys.builtin_module_names)
    dynload = var("DESTSHARED") or os.path.join(stdlib, "lib-dynload")
    if os.path.isdir(dynload):
        names += [n.split(".")[0] for n in os.listdir(dynload)]
    for name in names:
        flags = sysconfig.get_config_var("MODULE_%s_LDFLAGS" % name.upper())
        if flags is not None:
            out[name] = flags.split()
    return out


stdlib = sysconfig.get_paths()["stdlib"]
print(json.dumps({
    "executable": os.path.realpath(sys.executable),
    "version": "%d.%d.%d" % sys.version_info[:3],
    "versionShort": "%d.%d" % sys.version_info[:2],
    "implementation": sys.implementation.name,
    "cacheTag": sys.implementation.cache_tag,
    "magic": importlib.util.MAGIC_NUMBER.hex(),
    "stdlibDir": stdlib,
    "dynloadDir": var("DESTSHARED") or os.path.join(stdlib, "lib-dynload"),
    "includeDir": sysconfig.get_paths()["include"],
    "staticLibraries": static_libraries(),
    "linkArgs": link_args(),
    "extensionSuffixes": importlib.machinery.EXTENSION_SUFFIXES,
    "builtinModules": sorted(sys.builtin_module_names),
    "multiarch": var("MULTIARCH"),
    "machine": os.uname().machine,
    "platform": sys.platform,
    "hexversion": sys.hexversion,
    "implementationVersion": [str(x) for x in sys.implementation.version],
    "abiflags": getattr(sys, "abiflags", ""),
    "platformTag": sysconfig.get_platform().replace("-", "_").replace(".", "_"),
    "moduleLdflags": module_ldflags(),
}))
