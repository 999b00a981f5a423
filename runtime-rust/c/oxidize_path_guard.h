/* Path guards: the read-only file view of the payload under the executable's
 * path (`<exe>/pkg/data.txt`) replaces open, os.stat, os.listdir, ... with a
 * guard. A guard looks at the path argument in C and passes every call whose
 * path is not under `<exe>/` straight to the original function, so ordinary
 * file access pays no Python frame; calls under the prefix go to the view's
 * Python handler. Included once, by oxidize_glue.c. */
#ifndef OXIDIZE_PATH_GUARD_H
#define OXIDIZE_PATH_GUARD_H
#include <string.h>

typedef struct {
    PyObject_HEAD
    PyObject *original;
    PyObject *handler;
    PyObject *prefix;       /* str: "<exe>/" */
    PyObject *prefix_bytes; /* bytes: the same, encoded with the filesystem encoding */
    PyObject *keyword;      /* the path parameter's name ("file", "path") */
    vectorcallfunc vectorcall;
    vectorcallfunc original_call; /* the original's own vectorcall, or NULL */
} PathGuard;

/* Whether str `path` starts with str `prefix`. Most paths compare as bytes
 * of one kind (ASCII or Latin-1 both): a memcmp, where PyUnicode_Tailmatch
 * costs some 100 instructions a call. Strings of different kinds (or a
 * legacy string not ready) take the general comparison. */
static int starts_with(PyObject *path, PyObject *prefix) {
    Py_ssize_t n = PyUnicode_GET_LENGTH(prefix);
    if (PyUnicode_GET_LENGTH(path) < n) return 0;
    int kind = PyUnicode_KIND(prefix);
    if (PyUnicode_KIND(path) == kind) {
        /* The prefix ends with '/': a path whose character there is not one
         * is outside at once (a temporary file beside the executable shares
         * most of its path). */
        if (PyUnicode_READ(kind, PyUnicode_DATA(path), n - 1) != '/') return 0;
        return memcmp(PyUnicode_DATA(path), PyUnicode_DATA(prefix), (size_t)n * kind) == 0;
    }
    return (int)PyUnicode_Tailmatch(path, prefix, 0, PY_SSIZE_T_MAX, -1);
}

/* 1 when `path` is a str, bytes or os.PathLike under the prefix, 0 when not, -1 on error. */
static int path_guard_matches(PathGuard *g, PyObject *path) {
    if (PyUnicode_Check(path)) return starts_with(path, g->prefix);
    if (PyBytes_Check(path)) {
        Py_ssize_t n = PyBytes_GET_SIZE(g->prefix_bytes);
        return PyBytes_GET_SIZE(path) >= n && memcmp(PyBytes_AS_STRING(path), PyBytes_AS_STRING(g->prefix_bytes), (size_t)n) == 0;
    }
    if (PyLong_Check(path) || path == Py_None) return 0; /* descriptors */
    if (!PyObject_HasAttrString((PyObject *)Py_TYPE(path), "__fspath__")) return 0;
    PyObject *fs = PyOS_FSPath(path);
    if (!fs) return -1;
    int r = path_guard_matches(g, fs);
    Py_DECREF(fs);
    return r;
}

static PyObject *path_guard_vectorcall(PyObject *self, PyObject *const *args, size_t nargsf, PyObject *kwnames) {
    PathGuard *g = (PathGuard *)self;
    Py_ssize_t n = PyVectorcall_NARGS(nargsf);
    PyObject *path = n > 0 ? args[0] : NULL;
    if (!path && kwnames) {
        for (Py_ssize_t k = 0; k < PyTuple_GET_SIZE(kwnames); k++)
            if (PyUnicode_Compare(PyTuple_GET_ITEM(kwnames, k), g->keyword) == 0) path = args[n + k];
    }
    int inside = path ? path_guard_matches(g, path) : 0;
    if (inside < 0) return NULL;
    if (inside) return PyObject_Vectorcall(g->handler, args, nargsf, kwnames);
    /* Straight into the original (a builtin): whoever called the guard
     * checks the result, as it checks any call's. */
    if (g->original_call) return g->original_call(g->original, args, nargsf, kwnames);
    return PyObject_Vectorcall(g->original, args, nargsf, kwnames);
}

/* Attributes the guard does not have (__name__, __doc__, ...) are the original's;
 * its signature too, so inspect.signature and getfullargspec answer as for the
 * original builtin (a guard is no builtin function to inspect). */
static PyObject *path_guard_getattro(PyObject *self, PyObject *name) {
    PyObject *r = PyObject_GenericGetAttr(self, name);
    if (r || !PyErr_ExceptionMatches(PyExc_AttributeError)) return r;
    PyErr_Clear();
    PyObject *original = ((PathGuard *)self)->original;
    if (PyUnicode_Check(name) && PyUnicode_CompareWithASCIIString(name, "__signature__") == 0) {
        PyObject *inspect = PyImport_ImportModule("inspect");
        if (!inspect) return NULL;
        r = PyObject_CallMethod(inspect, "signature", "O", original);
        Py_DECREF(inspect);
        return r;
    }
    return PyObject_GetAttr(original, name);
}

static PyObject *path_guard_repr(PyObject *self) {
    return PyObject_Repr(((PathGuard *)self)->original);
}

static void path_guard_dealloc(PyObject *self) {
    PathGuard *g = (PathGuard *)self;
    Py_XDECREF(g->original);
    Py_XDECREF(g->handler);
    Py_XDECREF(g->prefix);
    Py_XDECREF(g->prefix_bytes);
    Py_XDECREF(g->keyword);
    Py_TYPE(self)->tp_free(self);
}

static PyTypeObject PathGuardType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "_oxidize.PathGuard",
    .tp_basicsize = sizeof(PathGuard),
    .tp_dealloc = path_guard_dealloc,
    .tp_vectorcall_offset = offsetof(PathGuard, vectorcall),
    .tp_call = PyVectorcall_Call,
    .tp_repr = path_guard_repr,
    .tp_getattro = path_guard_getattro,
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_VECTORCALL,
    .tp_doc = "Calls the original function unless the path is under the executable's path.",
};

/* path_guard(original, handler, keyword) -> a callable. */
static PyObject *ox_path_guard(PyObject *module, PyObject *args) {
    PyObject *original, *handler, *keyword;
    if (!PyArg_ParseTuple(args, "OOU", &original, &handler, &keyword)) return NULL;
    if (PyType_Ready(&PathGuardType) < 0) return NULL;
    PathGuard *g = PyObject_New(PathGuard, &PathGuardType);
    if (!g) return NULL;
    g->vectorcall = path_guard_vectorcall;
    g->original = Py_NewRef(original);
    g->original_call = PyVectorcall_Function(original);
    g->handler = Py_NewRef(handler);
    g->keyword = Py_NewRef(keyword);
    /* Decoded as Python decodes file names (surrogateescape): the executable's
     * path need not be valid UTF-8. */
    PyObject *exe = PyUnicode_DecodeFSDefault(run_config->exe);
    g->prefix = exe ? PyUnicode_FromFormat("%U/", exe) : NULL;
    Py_XDECREF(exe);
    g->prefix_bytes = g->prefix ? PyUnicode_EncodeFSDefault(g->prefix) : NULL;
    if (!g->prefix_bytes) {
        Py_DECREF(g);
        return NULL;
    }
    return (PyObject *)g;
}

#endif
