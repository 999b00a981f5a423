/* CPython side of the oxidize runtime.
 *
 * Start-up is two-phase so that the standard library itself comes from the
 * payload: initialize the core (builtin and frozen importers only), run the
 * importer module from the payload, which puts its finder on sys.meta_path,
 * then finish initialization (encodings, io, ...) through that finder.
 *
 * The `_oxidize` builtin module gives the Python-level importer access to the
 * payload index held by Rust; data comes back as read-only memoryviews over
 * the mapped executable, never copied. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <marshal.h>
#include <dlfcn.h>
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <wchar.h>
#include "oxidize_glue.h"

/* ---- the _oxidize module ------------------------------------------------ */

static PyObject *ox_find(PyObject *self, PyObject *args) {
    int kind;
    const char *name;
    Py_ssize_t len;
    if (!PyArg_ParseTuple(args, "is#", &kind, &name, &len)) return NULL;
    return PyLong_FromLong(oxr_find(kind, name, (size_t)len));
}

static PyObject *ox_entry(PyObject *self, PyObject *arg) {
    size_t i = PyLong_AsSize_t(arg);
    int kind, flags;
    const char *name;
    size_t len;
    if (i == (size_t)-1 && PyErr_Occurred()) return NULL;
    if (oxr_entry(i, &kind, &flags, &name, &len) != 0) {
        PyErr_SetString(PyExc_IndexError, "no such payload entry");
        return NULL;
    }
    /* Built directly: Py_BuildValue's format parsing was most of the cost of
     * this call, made two or three times per import. */
    PyObject *k = PyLong_FromLong(kind), *f = PyLong_FromLong(flags);
    PyObject *n = PyUnicode_FromStringAndSize(name, (Py_ssize_t)len);
    PyObject *out = k && f && n ? PyTuple_Pack(3, k, f, n) : NULL;
    Py_XDECREF(k);
    Py_XDECREF(f);
    Py_XDECREF(n);
    return out;
}

/* Resolves slot data or sets an exception; returns 1 present, 0 empty, -1 error. */
static int slot_data(PyObject *args, size_t *i, const unsigned char **data, size_t *len) {
    Py_ssize_t index;
    int slot;
    if (!PyArg_ParseTuple(args, "ni", &index, &slot)) return -1;
    *i = (size_t)index;
    int r = oxr_blob(*i, slot, data, len);
    if (r < 0) oxr_fatal_corrupt(*i); /* does not return */
    return r;
}

/* Slot 0 of an entry flagged compressed is a zlib stream: inflate it with the
 * packed `zlib` module (the distribution's own zlib; the stub links no
 * compression library). Returns a new bytes object, or NULL with an exception. */
static PyObject *inflate_slot(size_t i, const unsigned char *data, size_t len) {
    PyObject *zlib = PyImport_ImportModule("zlib"); /* the writer compresses only when zlib is packed */
    if (!zlib) return NULL;
    PyObject *view = PyMemoryView_FromMemory((char *)data, (Py_ssize_t)len, PyBUF_READ);
    if (!view) {
        Py_DECREF(zlib);
        return NULL;
    }
    PyObject *out = PyObject_CallMethod(zlib, "decompress", "O", view);
    Py_DECREF(view);
    Py_DECREF(zlib);
    /* Checksums passed, so a stream that does not inflate was written wrong: stop as for a damaged blob. */
    if (!out || !PyBytes_Check(out)) oxr_fatal_corrupt(i); /* does not return */
    return out;
}

/* Slot 0 of an entry flagged lz4 (an extension module or shared library) is
 * its length and an LZ4 block, decoded by the runtime (src/lz4.rs): a few
 * instructions a byte, where inflating cost about twenty on every import of
 * a library. Returns a new bytes object. */
static PyObject *decode_lz4_slot(size_t i, const unsigned char *data, size_t len) {
    Py_ssize_t n = oxr_lz4_len(data, len);
    if (n < 0) oxr_fatal_corrupt(i); /* does not return */
    PyObject *out = PyBytes_FromStringAndSize(NULL, n);
    if (!out) return NULL;
    if (oxr_lz4_decode(data, len, (unsigned char *)PyBytes_AS_STRING(out), (size_t)n) != 0) oxr_fatal_corrupt(i);
    return out;
}

/* The flags of entry `i` that say how slot `slot` is stored (0: as it is). */
static int stored_as(size_t i, int slot) {
    int kind, flags;
    const char *name;
    size_t len;
    if (slot != OXIDIZE_SLOT_DATA || oxr_entry(i, &kind, &flags, &name, &len) != 0) return 0;
    return flags & (OXIDIZE_FLAG_COMPRESSED | OXIDIZE_FLAG_LZ4);
}

static PyObject *ox_data(PyObject *self, PyObject *args) {
    size_t i, len;
    const unsigned char *data;
    int r = slot_data(args, &i, &data, &len);
    if (r < 0) return NULL;
    if (r == 0) Py_RETURN_NONE;
    int how = stored_as(i, (int)PyLong_AsLong(PyTuple_GET_ITEM(args, 1)));
    if (how & OXIDIZE_FLAG_COMPRESSED) return inflate_slot(i, data, len);
    if (how & OXIDIZE_FLAG_LZ4) return decode_lz4_slot(i, data, len);
    return PyMemoryView_FromMemory((char *)data, (Py_ssize_t)len, PyBUF_READ);
}

static PyObject *ox_text(PyObject *self, PyObject *args) {
    size_t i, len;
    const unsigned char *data;
    int r = slot_data(args, &i, &data, &len);
    if (r < 0) return NULL;
    if (r == 0) Py_RETURN_NONE;
    int how = stored_as(i, (int)PyLong_AsLong(PyTuple_GET_ITEM(args, 1)));
    if (how) {
        PyObject *raw = how & OXIDIZE_FLAG_COMPRESSED ? inflate_slot(i, data, len) : decode_lz4_slot(i, data, len);
        if (!raw) return NULL;
        PyObject *text = PyUnicode_DecodeUTF8(PyBytes_AS_STRING(raw), PyBytes_GET_SIZE(raw), "surrogateescape");
        Py_DECREF(raw);
        return text;
    }
    return PyUnicode_DecodeUTF8((const char *)data, (Py_ssize_t)len, "surrogateescape");
}

static PyObject *ox_code(PyObject *self, PyObject *args) {
    size_t i, len;
    const unsigned char *data;
    int r = slot_data(args, &i, &data, &len);
    if (r < 0) return NULL;
    if (r == 0) Py_RETURN_NONE;
    return PyMarshal_ReadObjectFromString((const char *)data, (Py_ssize_t)len);
}

static PyObject *ox_prefix_range(PyObject *self, PyObject *args) {
    int kind;
    const char *prefix;
    Py_ssize_t len;
    size_t lo, hi;
    if (!PyArg_ParseTuple(args, "is#", &kind, &prefix, &len)) return NULL;
    oxr_prefix_range(kind, prefix, (size_t)len, &lo, &hi);
    return Py_BuildValue("nn", (Py_ssize_t)lo, (Py_ssize_t)hi);
}

/* Loads a shared library globally, so extension modules that need it by
 * soname find it already loaded (used for libraries held in memory files). */
static PyObject *ox_dlopen(PyObject *self, PyObject *arg) {
    const char *path = PyUnicode_AsUTF8(arg);
    if (!path) return NULL;
    if (!dlopen(path, RTLD_NOW | RTLD_GLOBAL)) {
        const char *why = dlerror();
        PyErr_SetString(PyExc_ImportError, why ? why : "dlopen failed");
        return NULL;
    }
    Py_RETURN_NONE;
}

/* ---- libraries loaded from memory files, for every interpreter --------- */

/* The dynamic loader knows a library loaded from a memory file by the name it
 * was opened under (/proc/self/fd/N), and CPython's extension cache knows an
 * extension module by that name and its own. The importer's Python state is
 * per interpreter, so these tables are kept here, process-wide: every
 * interpreter loads a packed library under the one name it got first (and
 * shares it, as python3's interpreters share a .so), and no name is ever
 * given to two libraries. Called with the GIL held. */
static char **loaded_names;      /* by payload entry index */
static unsigned *fd_name_uses;   /* by descriptor number */
static size_t fd_name_uses_len;

static int entry_index(PyObject *arg, size_t *i) {
    *i = PyLong_AsSize_t(arg);
    if (*i == (size_t)-1 && PyErr_Occurred()) return -1;
    if (*i >= (size_t)oxr_count()) {
        PyErr_SetString(PyExc_IndexError, "no such payload entry");
        return -1;
    }
    return 0;
}

static PyObject *ox_loaded_name(PyObject *self, PyObject *arg) {
    size_t i;
    if (entry_index(arg, &i) < 0) return NULL;
    if (!loaded_names || !loaded_names[i]) Py_RETURN_NONE;
    return PyUnicode_DecodeFSDefault(loaded_names[i]);
}

static PyObject *ox_set_loaded_name(PyObject *self, PyObject *args) {
    PyObject *index, *name;
    size_t i;
    if (!PyArg_ParseTuple(args, "OO&", &index, PyUnicode_FSConverter, &name)) return NULL;
    if (entry_index(index, &i) < 0) {
        Py_DECREF(name);
        return NULL;
    }
    if (!loaded_names && !(loaded_names = calloc((size_t)oxr_count(), sizeof *loaded_names))) {
        Py_DECREF(name);
        return PyErr_NoMemory();
    }
    char *copy = strdup(PyBytes_AS_STRING(name));
    Py_DECREF(name);
    if (!copy) return PyErr_NoMemory();
    free(loaded_names[i]);
    loaded_names[i] = copy;
    Py_RETURN_NONE;
}

/* A name for open descriptor `fd` never given out before: /proc/self/fd/N,
 * then with more slashes each time the number comes back. */
static PyObject *ox_fd_name(PyObject *self, PyObject *arg) {
    long fd = PyLong_AsLong(arg);
    if (fd == -1 && PyErr_Occurred()) return NULL;
    if (fd < 0) {
        PyErr_SetString(PyExc_ValueError, "negative descriptor");
        return NULL;
    }
    if ((size_t)fd >= fd_name_uses_len) {
        size_t n = (size_t)fd + 64;
        unsigned *grown = realloc(fd_name_uses, n * sizeof *grown);
        if (!grown) return PyErr_NoMemory();
        memset(grown + fd_name_uses_len, 0, (n - fd_name_uses_len) * sizeof *grown);
        fd_name_uses = grown;
        fd_name_uses_len = n;
    }
    unsigned uses = fd_name_uses[fd];
    if (uses >= 2048) {
        PyErr_SetString(PyExc_ImportError, "too many libraries loaded from memory under one descriptor number");
        return NULL;
    }
    fd_name_uses[fd] = uses + 1;
    char *buf = malloc(40 + uses); /* "/proc/self/fd", the slashes, the number */
    if (!buf) return PyErr_NoMemory();
    size_t len = strlen(strcpy(buf, "/proc/self/fd"));
    memset(buf + len, '/', uses + 1);
    sprintf(buf + len + uses + 1, "%ld", fd);
    PyObject *out = PyUnicode_FromString(buf);
    free(buf);
    return out;
}

static const struct oxidize_run_config *run_config;

#include "oxidize_path_guard.h"

/* The importer module's code, for interpreters that start after this one. */
static PyObject *ox_bootstrap(PyObject *self, PyObject *unused) {
    return PyMemoryView_FromMemory((char *)run_config->bootstrap, (Py_ssize_t)run_config->bootstrap_len, PyBUF_READ);
}

void oxidize_c_view_enable(const char *exe); /* oxidize_c_files.c */
void oxidize_c_view_snapshot(const char *const *paths, const unsigned char *kinds, size_t n);

/* c_view_snapshot(pairs): the view's paths (bytes, relative to "<exe>/"),
 * sorted, each with its kind (1 file, 2 directory), for the C file view's
 * answers that need no GIL (oxidize_c_files.c). */
static PyObject *ox_c_view_snapshot(PyObject *self, PyObject *pairs) {
    if (!PyList_Check(pairs)) {
        PyErr_SetString(PyExc_TypeError, "c_view_snapshot() takes a list of (bytes, kind) pairs");
        return NULL;
    }
    Py_ssize_t n = PyList_GET_SIZE(pairs);
    const char **paths = PyMem_Malloc((n ? n : 1) * sizeof *paths);
    unsigned char *kinds = PyMem_Malloc(n ? n : 1);
    if (!paths || !kinds) {
        PyMem_Free(paths);
        PyMem_Free(kinds);
        return PyErr_NoMemory();
    }
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *pair = PyList_GET_ITEM(pairs, i);
        if (!PyTuple_Check(pair) || PyTuple_GET_SIZE(pair) != 2 || !PyBytes_Check(PyTuple_GET_ITEM(pair, 0)) ||
            !PyLong_Check(PyTuple_GET_ITEM(pair, 1))) {
            PyMem_Free(paths);
            PyMem_Free(kinds);
            PyErr_SetString(PyExc_TypeError, "c_view_snapshot() takes a list of (bytes, kind) pairs");
            return NULL;
        }
        paths[i] = PyBytes_AS_STRING(PyTuple_GET_ITEM(pair, 0));
        kinds[i] = (unsigned char)PyLong_AsLong(PyTuple_GET_ITEM(pair, 1));
    }
    oxidize_c_view_snapshot(paths, kinds, (size_t)n);
    PyMem_Free(paths);
    PyMem_Free(kinds);
    Py_RETURN_NONE;
}

/* Calls _oxidize_files.<function>(path, arg) with the GIL, from whatever
 * thread C code opens a view path in; returns the result (a new reference,
 * released by the caller with the GIL) or NULL with errno set from the
 * OSError the view raised. A caller's pending exception survives. */
static PyObject *call_view(const char *function, const char *path, int arg, PyGILState_STATE *gil) {
    if (!Py_IsInitialized() || _Py_IsFinalizing()) {
        errno = ENOTDIR; /* what the system answers for a path inside a file */
        return NULL;
    }
    *gil = PyGILState_Ensure();
    PyObject *type, *value, *tb;
    PyErr_Fetch(&type, &value, &tb);
    PyObject *result = NULL;
    int error = EIO;
    PyObject *view = PyImport_ImportModule("_oxidize_files");
    if (view) {
        result = PyObject_CallMethod(view, function, "yi", path, arg);
        Py_DECREF(view);
    }
    if (!result && PyErr_ExceptionMatches(PyExc_OSError)) {
        PyObject *et, *ev, *etb;
        PyErr_Fetch(&et, &ev, &etb);
        PyErr_NormalizeException(&et, &ev, &etb);
        PyObject *e = ev ? PyObject_GetAttrString(ev, "errno") : NULL;
        if (e && PyLong_Check(e)) error = (int)PyLong_AsLong(e);
        Py_XDECREF(e);
        Py_XDECREF(et);
        Py_XDECREF(ev);
        Py_XDECREF(etb);
    }
    PyErr_Clear();
    PyErr_Restore(type, value, tb);
    if (!result) {
        PyGILState_Release(*gil);
        errno = error;
    }
    return result;
}

int oxidize_view_open(const char *path, int flags) {
    PyGILState_STATE gil;
    PyObject *r = call_view("c_open", path, flags, &gil);
    if (!r) return -1;
    long fd = PyLong_AsLong(r);
    if (fd == -1) PyErr_Clear();
    Py_DECREF(r);
    PyGILState_Release(gil);
    if (fd < 0) errno = EIO;
    return (int)fd;
}

int oxidize_view_stat(const char *path, long long fields[10]) {
    PyGILState_STATE gil;
    PyObject *r = call_view("c_stat", path, 0, &gil);
    if (!r) return -1;
    int ok = PyArg_ParseTuple(r, "LLLLLLLLLL", &fields[0], &fields[1], &fields[2], &fields[3], &fields[4],
                              &fields[5], &fields[6], &fields[7], &fields[8], &fields[9]);
    if (!ok) PyErr_Clear();
    Py_DECREF(r);
    PyGILState_Release(gil);
    if (!ok) {
        errno = EIO;
        return -1;
    }
    return 0;
}

int oxidize_view_access(const char *path, int mode) {
    PyGILState_STATE gil;
    PyObject *r = call_view("c_access", path, mode, &gil);
    if (!r) return -1;
    Py_DECREF(r);
    PyGILState_Release(gil);
    return 0;
}

/* c_file_view(): C code's open, fopen and stat of paths under the
 * executable's go to the file view from now on (oxidize_c_files.c). */
static PyObject *ox_c_file_view(PyObject *self, PyObject *unused) {
    oxidize_c_view_enable(run_config->exe);
    Py_RETURN_NONE;
}

static PyMethodDef ox_methods[] = {
    {"c_view_snapshot", ox_c_view_snapshot, METH_O, "c_view_snapshot(pairs): the view's paths and kinds, sorted, for answers without the GIL"},
    {"c_file_view", ox_c_file_view, METH_NOARGS, "c_file_view(): C code's opens of paths under the executable's are served by the file view"},
    {"bootstrap", ox_bootstrap, METH_NOARGS, "bootstrap() -> memoryview of the importer module's marshalled code"},
    {"path_guard", ox_path_guard, METH_VARARGS, "path_guard(original, handler, keyword): calls handler for paths under the executable's, original for the rest"},
    {"find", ox_find, METH_VARARGS, "find(kind, name) -> index of the entry, or -1"},
    {"entry", ox_entry, METH_O, "entry(i) -> (kind, flags, name)"},
    {"data", ox_data, METH_VARARGS, "data(i, slot) -> memoryview over the payload (bytes when stored compressed), or None"},
    {"text", ox_text, METH_VARARGS, "text(i, slot) -> slot decoded as UTF-8, or None"},
    {"code", ox_code, METH_VARARGS, "code(i, slot) -> unmarshalled slot, or None"},
    {"prefix_range", ox_prefix_range, METH_VARARGS, "prefix_range(kind, prefix) -> (lo, hi)"},
    {"dlopen", ox_dlopen, METH_O, "dlopen(path): load a shared library with RTLD_GLOBAL"},
    {"loaded_name", ox_loaded_name, METH_O, "loaded_name(i) -> the name entry i's library was loaded under in this process, or None"},
    {"set_loaded_name", ox_set_loaded_name, METH_VARARGS, "set_loaded_name(i, name): remember it for every interpreter"},
    {"fd_name", ox_fd_name, METH_O, "fd_name(fd) -> a /proc/self/fd name for fd that no library had before in this process"},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef ox_module = {
    PyModuleDef_HEAD_INIT, "_oxidize", "Access to the payload of this executable.", -1, ox_methods,
};


static int add_settings(PyObject *m) {
    PyObject *ints = PyDict_New(), *strs = PyDict_New();
    if (!ints || !strs) return -1;
    for (int k = 0; k < run_config->setting_count; k++) {
        PyObject *key = PyLong_FromLong(run_config->settings[k].id);
        PyObject *val = PyLong_FromLong(run_config->settings[k].value);
        if (!key || !val || PyDict_SetItem(ints, key, val) < 0) return -1;
        Py_DECREF(key);
        Py_DECREF(val);
    }
    for (int k = 0; k < run_config->string_setting_count; k++) {
        PyObject *key = PyLong_FromLong(run_config->string_settings[k].id);
        PyObject *val = PyUnicode_DecodeFSDefault(run_config->string_settings[k].value);
        if (!key || !val || PyDict_SetItem(strs, key, val) < 0) return -1;
        Py_DECREF(key);
        Py_DECREF(val);
    }
    if (PyModule_AddObject(m, "settings", ints) < 0) return -1;
    if (PyModule_AddObject(m, "string_settings", strs) < 0) return -1;
    for (const struct oxidize_format_constant *k = oxidize_format_constants; k->name; k++)
        if (PyModule_AddIntConstant(m, k->name, k->value) < 0) return -1;
    if (PyModule_AddIntConstant(m, "run_mode", run_config->run_mode) < 0) return -1;
    /* File names, decoded as Python decodes them (surrogateescape): a
     * directory name that is not valid UTF-8 must not stop the start. */
    const char *paths[2][2] = {{"exe", run_config->exe}, {"origin", run_config->origin}};
    for (int k = 0; k < 2; k++) {
        PyObject *path = PyUnicode_DecodeFSDefault(paths[k][1]);
        if (!path || PyModule_AddObject(m, paths[k][0], path) < 0) {
            Py_XDECREF(path);
            return -1;
        }
    }
    return PyModule_AddIntConstant(m, "count", oxr_count());
}

static PyObject *ox_init(void) {
    PyObject *m = PyModule_Create(&ox_module);
    if (m && add_settings(m) < 0) Py_CLEAR(m);
    return m;
}

/* ---- configuration -------------------------------------------------------- */

static int setting(int id, int fallback) {
    for (int k = 0; k < run_config->setting_count; k++)
        if (run_config->settings[k].id == id) return run_config->settings[k].value;
    return fallback;
}

static void fail_status(PyStatus status) {
    if (PyStatus_Exception(status)) Py_ExitStatusException(status); /* exits */
}

/* Appends the executable's path, then the configured sys.path entries, to
 * `list`; a path the locale cannot decode ends the process (status 70). */
static void append_payload_paths(PyWideStringList *list, const struct oxidize_run_config *rc) {
    for (int k = -1; k < rc->sys_path_count; k++) {
        const char *path = k < 0 ? rc->exe : rc->sys_paths[k];
        wchar_t *w = Py_DecodeLocale(path, NULL);
        if (!w) {
            fprintf(stderr, "oxidize: cannot decode the sys.path entry %s\n", path);
            exit(70);
        }
        fail_status(PyWideStringList_Append(list, w));
        PyMem_RawFree(w);
    }
}

static void configure(PyConfig *c) {
    const struct oxidize_run_config *rc = run_config;
    PyPreConfig pre;
    PyPreConfig_InitPythonConfig(&pre);
    pre.parse_argv = 0;
    pre.use_environment = setting(OXIDIZE_SETTING_USE_ENVIRONMENT, 1) && !setting(OXIDIZE_SETTING_ISOLATED, 0);
    pre.isolated = setting(OXIDIZE_SETTING_ISOLATED, 0);
    fail_status(Py_PreInitialize(&pre));

    PyConfig_InitPythonConfig(c);
    c->_init_main = 0;
    c->parse_argv = 0;
    c->site_import = 0;
    c->user_site_directory = 0;
    c->safe_path = 1;
    c->pathconfig_warnings = 0;
    for (int k = 0; k < rc->setting_count; k++) {
        int *f = oxidize_setting_field(c, rc->settings[k].id);
        if (f) *f = rc->settings[k].value;
    }
    if (setting(OXIDIZE_SETTING_USE_HASH_SEED, 0)) c->hash_seed = (unsigned long)setting(OXIDIZE_SETTING_HASH_SEED, 0);
    for (int k = 0; k < rc->string_setting_count; k++) {
        wchar_t **field = oxidize_string_setting_field(c, rc->string_settings[k].id);
        if (field) fail_status(PyConfig_SetBytesString(c, field, rc->string_settings[k].value));
    }
    fail_status(PyConfig_SetBytesString(c, &c->program_name, rc->exe));
    fail_status(PyConfig_SetBytesString(c, &c->executable, rc->exe));
    /* The prefixes name the executable's directory: there is no installation
     * to find, and this keeps the path calculation from probing the host. */
    fail_status(PyConfig_SetBytesString(c, &c->home, rc->origin));
    fail_status(PyConfig_SetBytesArgv(c, rc->argc, rc->argv));
    c->module_search_paths_set = 1;
    /* The executable heads sys.path, as a zip file would: it stands for the
     * payload's top level (in-memory packages' __path__ are under it), so
     * pkgutil finds the packed modules through the importer's path hook. */
    append_payload_paths(&c->module_search_paths, rc);
    if (rc->run_mode == OXIDIZE_RUN_MODE_EVAL)
        fail_status(PyConfig_SetBytesString(c, &c->run_command, rc->run_arg));
    if (rc->run_mode == OXIDIZE_RUN_MODE_FILE)
        fail_status(PyConfig_SetBytesString(c, &c->run_filename, rc->run_arg));
}

/* sys.executable of the python command, found as python3's getpath finds
 * it: argv[0] made absolute when it holds a slash, else the first executable
 * of that name on PATH, else empty. Returns a malloc'ed string. */
static char *command_path(const char *argv0) {
    char cwd[4096];
    if (argv0 && strchr(argv0, '/')) {
        if (argv0[0] == '/') return strdup(argv0);
        if (!getcwd(cwd, sizeof cwd)) return strdup(argv0);
        while (argv0[0] == '.' && argv0[1] == '/') argv0 += 2;
        char *out = malloc(strlen(cwd) + strlen(argv0) + 2);
        if (out) sprintf(out, "%s/%s", cwd, argv0);
        return out;
    }
    const char *path = getenv("PATH");
    if (argv0 && *argv0 && path) {
        char *dirs = strdup(path), *save = NULL;
        for (char *dir = strtok_r(dirs, ":", &save); dir; dir = strtok_r(NULL, ":", &save)) {
            char *candidate = malloc(strlen(dir) + strlen(argv0) + 2);
            if (!candidate) break;
            sprintf(candidate, "%s/%s", dir, argv0);
            if (access(candidate, X_OK) == 0) {
                free(dirs);
                return candidate;
            }
            free(candidate);
        }
        free(dirs);
    }
    return strdup("");
}

/* `python3 <exe>/pkg/script.py`: CPython opens a script with C stdio, which
 * does not see the payload's file view, so a script inside the executable is
 * run as code that reads it through Python's open (the view) instead.
 * sys.argv[0] stays the script's path (the command line is parsed already). */
static void run_script_from_payload(PyConfig *c, const char *exe) {
    if (!c->run_filename) return;
    wchar_t *prefix = Py_DecodeLocale(exe, NULL);
    if (!prefix) return;
    size_t n = wcslen(prefix);
    int inside = wcsncmp(c->run_filename, prefix, n) == 0 && c->run_filename[n] == L'/';
    PyMem_RawFree(prefix);
    if (!inside) return;
    static const wchar_t RUN[] =
        L"__file__ = __import__('sys').argv[0]\n"
        L"exec(compile(__import__('io').open(__file__, 'rb').read(), __file__, 'exec'))\n";
    fail_status(PyConfig_SetString(c, &c->run_command, RUN));
    fail_status(PyConfig_SetString(c, &c->run_filename, NULL));
}

/* The `python` command (run mode python): CPython parses the command line
 * and the PYTHON* variables from python3's defaults, as in python's own main;
 * -h, -V and usage errors exit here with python's statuses. sys.path is
 * python3's own order: PYTHONPATH, then the executable (the payload's top
 * level, standing where python3 has its standard library), then the
 * configured entries; sys.path[0] (the script's directory, or the working
 * directory for -c and -m) is added when the command runs. */
static void configure_python(PyConfig *c) {
    const struct oxidize_run_config *rc = run_config;
    PyPreConfig pre;
    PyPreConfig_InitPythonConfig(&pre);
    fail_status(Py_PreInitializeFromBytesArgs(&pre, rc->argc, rc->argv));

    PyConfig_InitPythonConfig(c);
    c->_init_main = 0;
    c->pathconfig_warnings = 0;
    fail_status(PyConfig_SetBytesString(c, &c->home, rc->origin));
    fail_status(PyConfig_SetBytesArgv(c, rc->argc, rc->argv));
    fail_status(PyConfig_Read(c));
    run_script_from_payload(c, rc->exe);

    /* sys.executable names the command as started (a `python3` symlink), so
     * the children tests and tools start are python too. */
    char *command = command_path(rc->argc > 0 ? rc->argv[0] : NULL);
    if (!command) fail_status(PyStatus_NoMemory());
    fail_status(PyConfig_SetBytesString(c, &c->executable, command));
    free(command);

    PyWideStringList paths = {0, NULL};
    if (c->pythonpath_env) {
        /* PyConfig_Read kept PYTHONPATH only when the environment is used (not
         * -E, -I). Like python3, every entry is made absolute, empty ones included. */
        char cwd_bytes[4096];
        wchar_t *cwd = Py_DecodeLocale(getcwd(cwd_bytes, sizeof cwd_bytes) ? cwd_bytes : "", NULL);
        if (!cwd) fail_status(PyStatus_NoMemory());
        const wchar_t *part = c->pythonpath_env;
        for (;;) {
            const wchar_t *end = wcschr(part, L':');
            size_t n = end ? (size_t)(end - part) : wcslen(part);
            size_t size = wcslen(cwd) + n + 2;
            wchar_t *entry = PyMem_RawMalloc(size * sizeof(wchar_t));
            if (!entry) fail_status(PyStatus_NoMemory());
            if (n > 0 && part[0] == L'/')
                swprintf(entry, size, L"%.*ls", (int)n, part);
            else if (n > 0)
                swprintf(entry, size, L"%ls/%.*ls", cwd, (int)n, part);
            else
                swprintf(entry, size, L"%ls", cwd);
            fail_status(PyWideStringList_Append(&paths, entry));
            PyMem_RawFree(entry);
            if (!end) break;
            part = end + 1;
        }
        PyMem_RawFree(cwd);
    }
    /* The payload's path hook answers to the executable's own path. */
    append_payload_paths(&paths, rc);
    fail_status(PyConfig_SetWideStringList(c, &c->module_search_paths, paths.length, paths.items));
    c->module_search_paths_set = 1;
    for (Py_ssize_t k = 0; k < paths.length; k++) PyMem_RawFree(paths.items[k]);
    PyMem_RawFree(paths.items);
}

/* ---- sub-interpreters ----------------------------------------------------- */

/* An interpreter created later (Py_NewInterpreter, _xxsubinterpreters) sets
 * up its own import system, with no finder for the payload: its first import
 * from the standard library, `encodings`, would fail and abort the process.
 * A frozen module of that name stands in for it there (frozen modules come
 * before the path finder): it runs the importer module in that interpreter,
 * then imports the real `encodings` through the finder in its place and runs
 * the start-up settings there. Its code is compiled in the interpreter that
 * asks for it. */
static const char SUBINTERPRETER_ENCODINGS[] =
    "import sys\n"
    "def _finder():\n"
    "    for finder in sys.meta_path:\n"
    "        if type(finder).__name__ == 'OxidizedFinder':\n"
    "            return finder\n"
    "    import _oxidize, marshal\n"
    "    module = type(sys)('_oxidize_importer')\n"
    "    module.__builtins__ = __builtins__\n"
    "    sys.modules['_oxidize_importer'] = module\n"
    "    exec(marshal.loads(_oxidize.bootstrap()), module.__dict__)\n"
    "    return module.FINDER\n"
    "_spec = _finder().find_spec('encodings')\n"
    "if _spec is None:\n"
    "    raise ImportError('encodings is not in this executable', name='encodings')\n"
    "del sys.modules['encodings']\n"
    "sys.modules['_frozen_importlib']._load_unlocked(_spec)\n"
    "__import__('_oxidize_startup').main()\n";

static PyObject *subinterpreter_encodings(void) {
    return Py_CompileString(SUBINTERPRETER_ENCODINGS, "<oxidize: encodings in a new interpreter>", Py_file_input);
}

/* The main interpreter has its real `encodings` and must not see it as
 * frozen: importlib._bootstrap._setup (a fresh importlib) and code asking
 * _imp treat frozen modules specially. Its _imp module (each interpreter has
 * its own) hides the stand-in (from _imp._frozen_module_names() too, below):
 * _imp.find_frozen and _imp.is_frozen become
 * FrozenHide objects, which answer `missing` for "encodings" and call the
 * original for any other name. In C, as the path guards: every import asks
 * find_frozen, and a wrapper written in Python cost a frame each time (and
 * compiling it, a tenth of a no-op start-up's instructions). */
typedef struct {
    PyObject_HEAD
    PyObject *original;
    PyObject *missing;
    vectorcallfunc vectorcall;
} FrozenHide;

static PyObject *frozen_hide_vectorcall(PyObject *self, PyObject *const *args, size_t nargsf, PyObject *kwnames) {
    FrozenHide *h = (FrozenHide *)self;
    if (PyVectorcall_NARGS(nargsf) > 0 && PyUnicode_Check(args[0]) && PyUnicode_CompareWithASCIIString(args[0], "encodings") == 0)
        return Py_NewRef(h->missing);
    return PyObject_Vectorcall(h->original, args, nargsf, kwnames);
}

/* __name__, __doc__ and the rest are the original's. */
static PyObject *frozen_hide_getattro(PyObject *self, PyObject *name) {
    PyObject *r = PyObject_GenericGetAttr(self, name);
    if (r || !PyErr_ExceptionMatches(PyExc_AttributeError)) return r;
    PyErr_Clear();
    return PyObject_GetAttr(((FrozenHide *)self)->original, name);
}

static PyObject *frozen_hide_repr(PyObject *self) {
    return PyObject_Repr(((FrozenHide *)self)->original);
}

static void frozen_hide_dealloc(PyObject *self) {
    Py_XDECREF(((FrozenHide *)self)->original);
    Py_XDECREF(((FrozenHide *)self)->missing);
    Py_TYPE(self)->tp_free(self);
}

static PyTypeObject FrozenHideType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "_oxidize.FrozenHide",
    .tp_basicsize = sizeof(FrozenHide),
    .tp_dealloc = frozen_hide_dealloc,
    .tp_vectorcall_offset = offsetof(FrozenHide, vectorcall),
    .tp_call = PyVectorcall_Call,
    .tp_repr = frozen_hide_repr,
    .tp_getattro = frozen_hide_getattro,
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_VECTORCALL,
    .tp_doc = "Calls the original _imp function unless the name is 'encodings'.",
};

/* Replaces _imp.NAME by a FrozenHide answering `missing` (a new reference, stolen). */
static int hide_stand_in(PyObject *imp, const char *name, PyObject *missing) {
    if (!missing) return -1;
    FrozenHide *h = PyObject_New(FrozenHide, &FrozenHideType);
    if (!h) {
        Py_DECREF(missing);
        return -1;
    }
    h->vectorcall = frozen_hide_vectorcall;
    h->missing = missing;
    h->original = PyObject_GetAttrString(imp, name);
    int r = h->original ? PyObject_SetAttrString(imp, name, (PyObject *)h) : -1;
    Py_DECREF(h);
    return r;
}

/* _imp._frozen_module_names() without the stand-in (`self` is the original).
 * Only tests call it; the list must match the frozen tables they read. */
static PyObject *frozen_names_without_stand_in(PyObject *original, PyObject *unused) {
    PyObject *names = PyObject_CallNoArgs(original);
    if (!names || !PyList_Check(names)) return names;
    PyObject *out = PyList_New(0);
    for (Py_ssize_t k = 0; out && k < PyList_GET_SIZE(names); k++) {
        PyObject *name = PyList_GET_ITEM(names, k);
        if (PyUnicode_Check(name) && PyUnicode_CompareWithASCIIString(name, "encodings") == 0) continue;
        if (PyList_Append(out, name) < 0) Py_CLEAR(out);
    }
    Py_DECREF(names);
    return out;
}

static PyMethodDef frozen_names_def = {
    "_frozen_module_names", frozen_names_without_stand_in, METH_NOARGS, "The names of the frozen modules (the executable's stand-in left out).",
};

/* Replaces _imp._frozen_module_names, when there is one, by the function above. */
static int hide_stand_in_name(PyObject *imp) {
    PyObject *original = PyObject_GetAttrString(imp, "_frozen_module_names");
    if (!original) {
        PyErr_Clear();
        return 0;
    }
    PyObject *f = PyCFunction_New(&frozen_names_def, original);
    Py_DECREF(original);
    int r = f ? PyObject_SetAttrString(imp, "_frozen_module_names", f) : -1;
    Py_XDECREF(f);
    return r;
}

/* Puts the stand-in ahead of any frozen modules already set. Called once the
 * main interpreter has its real `encodings`. */
static int install_subinterpreter_support(void) {
    static struct _frozen *table;
    size_t n = 0;
    if (PyImport_FrozenModules)
        while (PyImport_FrozenModules[n].name) n++;
    table = PyMem_RawCalloc(n + 2, sizeof *table);
    if (!table) {
        PyErr_NoMemory();
        return -1;
    }
    /* code and size only mark the entry importable; get_code makes the code. */
    table[0] = (struct _frozen){"encodings", (const unsigned char *)"\xe3", 1, 0, subinterpreter_encodings};
    for (size_t k = 0; k < n; k++) table[k + 1] = PyImport_FrozenModules[k];
    if (PyType_Ready(&FrozenHideType) < 0) return -1;
    PyObject *imp = PyImport_ImportModule("_imp");
    if (!imp) return -1;
    int hidden = hide_stand_in(imp, "find_frozen", Py_NewRef(Py_None)) == 0 && hide_stand_in(imp, "is_frozen", Py_NewRef(Py_False)) == 0 &&
                 hide_stand_in_name(imp) == 0;
    Py_DECREF(imp);
    if (!hidden) return -1;
    PyImport_FrozenModules = table;
    return 0;
}

/* ---- start-up and run ----------------------------------------------------- */

static int install_importer(void) {
    PyObject *code = PyMarshal_ReadObjectFromString((const char *)run_config->bootstrap,
                                                    (Py_ssize_t)run_config->bootstrap_len);
    if (!code) return -1;
    PyObject *mod = PyImport_AddModule("_oxidize_importer"); /* borrowed */
    if (!mod) {
        Py_DECREF(code);
        return -1;
    }
    PyObject *dict = PyModule_GetDict(mod);
    if (PyDict_GetItemString(dict, "__builtins__") == NULL &&
        PyDict_SetItemString(dict, "__builtins__", PyEval_GetBuiltins()) < 0) {
        Py_DECREF(code);
        return -1;
    }
    PyObject *r = PyEval_EvalCode(code, dict, dict);
    Py_DECREF(code);
    if (!r) return -1;
    Py_DECREF(r);
    return 0;
}

/* Start-up settings live in an ordinary payload module, imported through
 * the finder now that the import system is complete. */
static int run_startup_module(void) {
    PyObject *mod = PyImport_ImportModule("_oxidize_startup");
    if (!mod) return -1;
    PyObject *r = PyObject_CallMethod(mod, "main", NULL);
    Py_DECREF(mod);
    if (!r) return -1;
    Py_DECREF(r);
    return 0;
}

/* Prints the pending exception the way `python` does. A SystemExit makes
 * PyErr_Print finalize and exit with its code, so this returns only for
 * other exceptions. */
static int report_exception(int *interrupted) {
    *interrupted = PyErr_ExceptionMatches(PyExc_KeyboardInterrupt);
    PyErr_Print();
    return 1;
}

/* `python -i -m NAME`: the REPL after the module, when stdin is a terminal. */
static void inspect_after_run(void) {
    const PyConfig *c = _Py_GetConfig();
    /* Py_FdIsInteractive honours the `interactive` setting as well as a terminal. */
    if (!c->inspect || !Py_FdIsInteractive(stdin, "<stdin>")) return;
    PyCompilerFlags cf = _PyCompilerFlags_INIT;
    if (PyRun_AnyFileExFlags(stdin, "<stdin>", 0, &cf) != 0) PyErr_Clear();
}

/* Runs module `name` (a package: its __main__) as __main__, the way python3
 * runs a script: runpy finds the module and its code, which then runs in
 * __main__'s namespace from here, so tracebacks start at the module's own
 * frame, and __package__ is None. sys.argv[0] stays the executable: tools
 * that rebuild their command line (click's usage line, werkzeug's reloader)
 * see a program, not `python -m pkg` (with __package__ set they would make
 * `-m pkg.<executable name>` of it). Relative imports resolve through
 * __spec__.parent. A module that cannot be found ends the process with
 * "<exe>: No module named ..." and status 1, as python3 -m does. */
int oxidize_run_module(const char *name) {
    PyObject *runpy = PyImport_ImportModule("runpy");
    if (!runpy) return -1;
    PyObject *error = PyObject_GetAttrString(runpy, "_Error");
    PyObject *details = error ? PyObject_CallMethod(runpy, "_get_module_details", "sO", name, error) : NULL;
    Py_DECREF(runpy);
    if (!details) {
        if (error && PyErr_ExceptionMatches(error)) {
            PyObject *type, *value, *tb;
            PyErr_Fetch(&type, &value, &tb);
            PyObject *exe = PySys_GetObject("executable"); /* borrowed */
            PyObject *message = PyUnicode_FromFormat("%S: %S", exe ? exe : Py_None, value ? value : Py_None);
            Py_XDECREF(type);
            Py_XDECREF(value);
            Py_XDECREF(tb);
            if (message) {
                PyErr_SetObject(PyExc_SystemExit, message);
                Py_DECREF(message);
            }
        }
        Py_XDECREF(error);
        return -1;
    }
    Py_DECREF(error);
    PyObject *spec = PyTuple_GET_ITEM(details, 1), *code = PyTuple_GET_ITEM(details, 2);
    PyObject *main = PyImport_AddModule("__main__"); /* borrowed */
    PyObject *globals = main ? PyModule_GetDict(main) : NULL;
    PyObject *origin = PyObject_GetAttrString(spec, "origin");
    PyObject *cached = origin ? PyObject_GetAttrString(spec, "cached") : NULL;
    PyObject *loader = cached ? PyObject_GetAttrString(spec, "loader") : NULL;
    PyObject *main_name = loader ? PyUnicode_FromString("__main__") : NULL;
    int failed = !globals || !main_name
        || PyDict_SetItemString(globals, "__name__", main_name) < 0
        || PyDict_SetItemString(globals, "__file__", origin) < 0
        || PyDict_SetItemString(globals, "__cached__", cached) < 0
        || PyDict_SetItemString(globals, "__doc__", Py_None) < 0
        || PyDict_SetItemString(globals, "__loader__", loader) < 0
        || PyDict_SetItemString(globals, "__package__", Py_None) < 0
        || PyDict_SetItemString(globals, "__spec__", spec) < 0;
    Py_XDECREF(origin);
    Py_XDECREF(cached);
    Py_XDECREF(loader);
    Py_XDECREF(main_name);
    PyObject *r = failed ? NULL : PyEval_EvalCode(code, globals, globals);
    Py_DECREF(details);
    if (!r) return -1;
    Py_DECREF(r);
    return 0;
}

int oxidize_python_main(const struct oxidize_run_config *rc) {
    run_config = rc;
    if (PyImport_AppendInittab("_oxidize", ox_init) < 0) {
        fprintf(stderr, "oxidize: cannot register the _oxidize module\n");
        return 70;
    }
    PyConfig config;
    if (rc->run_mode == OXIDIZE_RUN_MODE_PYTHON)
        configure_python(&config);
    else
        configure(&config);
    PyStatus status = Py_InitializeFromConfig(&config);
    PyConfig_Clear(&config);
    fail_status(status);

    int interrupted = 0, exitcode = 0;
    if (install_importer() < 0) {
        fprintf(stderr, "oxidize: the importer failed to start:\n");
        PyErr_Print();
        return 70;
    }
    fail_status(_Py_InitializeMain());
    if (run_startup_module() < 0) {
        report_exception(&interrupted);
        return 70;
    }
    if (install_subinterpreter_support() < 0) {
        report_exception(&interrupted);
        return 70;
    }
    if (setting(OXIDIZE_SETTING_FAST_EXIT, 0) && oxidize_fast_exit_applies(rc))
        oxidize_run_then_fast_exit(rc); /* does not return */

    switch (rc->run_mode) {
    case OXIDIZE_RUN_MODE_NONE:
        break;
    case OXIDIZE_RUN_MODE_MODULE:
        if (oxidize_run_module(rc->run_arg) < 0) exitcode = report_exception(&interrupted);
        inspect_after_run();
        break;
    default:
        /* eval, file and REPL are what `python -c`, `python FILE` and
         * `python` do, and the python command is python's own main;
         * Py_RunMain also finalizes. */
        return Py_RunMain();
    }
    if (Py_FinalizeEx() < 0 && exitcode == 0) exitcode = 120;
    if (interrupted) {
        /* Die of SIGINT like python, so shells see the interruption. */
        signal(SIGINT, SIG_DFL);
        kill(getpid(), SIGINT);
    }
    return exitcode;
}
