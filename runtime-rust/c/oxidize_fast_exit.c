/* fastExit: end the program as Py_FinalizeEx begins, then leave the process
 * without tearing the interpreter down.
 *
 * Finalization first waits for non-daemon threads, runs atexit handlers and
 * flushes sys.stdout and sys.stderr; everything after that (clearing every
 * module, collecting and freeing every object) only matters to a process
 * that goes on living, and costs a short program about a fifth of its wall
 * time: it walks the whole heap, cache miss after cache miss. Here the first
 * steps run as Python runs them, every Python file object still open is
 * closed, wrappers first, as finalization would when it frees them
 * (_oxidize_startup.fast_exit_files), and the process ends with _exit. What is skipped: finalizers (__del__, weakref callbacks)
 * of objects still alive at exit, which Python does not promise to run, and
 * C-level atexit functions (Py_AtExit and the C library's). */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <signal.h>
#include <stdio.h>
#include <unistd.h>
#include "oxidize_glue.h"

/* threading._shutdown(), when threading was imported: joins non-daemon threads. */
static void join_threads(void) {
    PyObject *name = PyUnicode_FromString("threading");
    PyObject *threading = name ? PyImport_GetModule(name) : NULL;
    Py_XDECREF(name);
    if (!threading) {
        if (PyErr_Occurred()) PyErr_WriteUnraisable(NULL);
        return;
    }
    PyObject *r = PyObject_CallMethod(threading, "_shutdown", NULL);
    if (r) Py_DECREF(r);
    else PyErr_WriteUnraisable(threading);
    Py_DECREF(threading);
}

/* The atexit handlers, last registered first; each failure is reported as Python does. */
static void run_atexit_handlers(void) {
    PyObject *atexit = PyImport_ImportModule("atexit");
    if (!atexit) {
        PyErr_WriteUnraisable(NULL);
        return;
    }
    PyObject *r = PyObject_CallMethod(atexit, "_run_exitfuncs", NULL);
    if (r) Py_DECREF(r);
    else PyErr_WriteUnraisable(atexit);
    Py_DECREF(atexit);
}

static int is_closed(PyObject *file) {
    PyObject *closed = PyObject_GetAttrString(file, "closed");
    if (!closed) {
        PyErr_Clear();
        return 0;
    }
    int r = PyObject_IsTrue(closed);
    Py_DECREF(closed);
    if (r < 0) PyErr_Clear();
    return r > 0;
}

/* The standard streams and the layers under them (buffer, raw): flushed last, by flush_std_files. */
static int is_std_stream(PyObject *o) {
    static const char *const names[] = {"stdout", "stderr", "__stdout__", "__stderr__"};
    int found = 0;
    for (size_t k = 0; k < sizeof names / sizeof names[0] && !found; k++) {
        PyObject *s = PySys_GetObject(names[k]); /* borrowed */
        Py_XINCREF(s);
        for (int depth = 0; s && s != Py_None && depth < 3 && !found; depth++) {
            found = s == o;
            PyObject *under = PyObject_HasAttrString(s, "buffer") ? PyObject_GetAttrString(s, "buffer")
                                                                 : PyObject_GetAttrString(s, "raw");
            if (!under) PyErr_Clear();
            Py_DECREF(s);
            s = under;
        }
        Py_XDECREF(s);
    }
    return found;
}

/* Flushes an open file object that is not a standard stream. */
static void flush_file(PyObject *o) {
    if (is_closed(o) || is_std_stream(o)) return;
    PyObject *r = PyObject_CallMethod(o, "flush", NULL);
    if (r) Py_DECREF(r);
    else PyErr_Clear(); /* a file that cannot be flushed would have failed to close, silently */
}

/* What a type is to flush_open_files: 0 not a file, 1 a text file, 2
 * another file object (buffered or raw). The heap holds tens of thousands
 * of objects of a few hundred types, so the answer is kept per type in a
 * small table (a subtype check walks the MRO). */
enum { KINDS = 256 };
struct kind_cache {
    PyTypeObject *type[KINDS];
    unsigned char kind[KINDS];
};

static int file_kind(struct kind_cache *c, PyTypeObject *t, PyTypeObject *iobase, PyTypeObject *textbase) {
    size_t slot = ((size_t)t >> 4) % KINDS;
    if (c->type[slot] == t) return c->kind[slot];
    int kind = PyType_IsSubtype(t, textbase) ? 1 : PyType_IsSubtype(t, iobase) ? 2 : 0;
    c->type[slot] = t;
    c->kind[slot] = (unsigned char)kind;
    return kind;
}

/* Every open Python file object (all derive from _io._IOBase, Python-level
 * ones too): text layers first, then the buffers and raw files under them. */
static void flush_open_files(void) {
    PyObject *io = PyImport_ImportModule("_io");
    PyObject *gc = PyImport_ImportModule("gc");
    PyObject *iobase = io ? PyObject_GetAttrString(io, "_IOBase") : NULL;
    PyObject *textbase = io ? PyObject_GetAttrString(io, "_TextIOBase") : NULL;
    PyObject *objects = gc ? PyObject_CallMethod(gc, "get_objects", NULL) : NULL;
    if (objects && PyList_Check(objects) && iobase && PyType_Check(iobase) && textbase && PyType_Check(textbase)) {
        struct kind_cache *cache = PyMem_Calloc(1, sizeof *cache);
        Py_ssize_t n = PyList_GET_SIZE(objects), others = 0;
        /* Text files flushed in the first pass; the others moved to the list's front for the second. */
        for (Py_ssize_t k = 0; cache && k < n; k++) {
            PyObject *o = PyList_GET_ITEM(objects, k);
            int kind = file_kind(cache, Py_TYPE(o), (PyTypeObject *)iobase, (PyTypeObject *)textbase);
            if (kind == 1) flush_file(o);
            else if (kind == 2) {
                PyObject *first = PyList_GET_ITEM(objects, others);
                PyList_SET_ITEM(objects, others, o);
                PyList_SET_ITEM(objects, k, first);
                others++;
            }
        }
        for (Py_ssize_t k = 0; k < others; k++) flush_file(PyList_GET_ITEM(objects, k));
        PyMem_Free(cache);
    }
    if (PyErr_Occurred()) PyErr_Clear();
    Py_XDECREF(objects);
    Py_XDECREF(textbase);
    Py_XDECREF(iobase);
    Py_XDECREF(gc);
    Py_XDECREF(io);
}

/* What Py_FinalizeEx does to the standard streams: a failure to flush stdout
 * is reported ("Exception ignored in: <...stdout...>"), one of stderr is not;
 * either makes the exit status 120. */
static int flush_std_files(void) {
    int status = 0;
    PyObject *out = PySys_GetObject("stdout"), *err = PySys_GetObject("stderr"); /* borrowed */
    if (out && out != Py_None && !is_closed(out)) {
        PyObject *r = PyObject_CallMethod(out, "flush", NULL);
        if (r) Py_DECREF(r);
        else {
            PyErr_WriteUnraisable(out);
            status = -1;
        }
    }
    if (err && err != Py_None && !is_closed(err)) {
        PyObject *r = PyObject_CallMethod(err, "flush", NULL);
        if (r) Py_DECREF(r);
        else {
            PyErr_Clear();
            status = -1;
        }
    }
    return status;
}

/* Whether instances of `t` are among `kinds` (a tuple of types), kept per type as file_kind does. */
static int closable_kind(struct kind_cache *c, PyTypeObject *t, PyObject *kinds) {
    size_t slot = ((size_t)t >> 4) % KINDS;
    if (c->type[slot] == t) return c->kind[slot];
    int kind = 0;
    for (Py_ssize_t i = 0; i < PyTuple_GET_SIZE(kinds) && !kind; i++) {
        PyObject *k = PyTuple_GET_ITEM(kinds, i);
        kind = PyType_Check(k) && PyType_IsSubtype(t, (PyTypeObject *)k);
    }
    c->type[slot] = t;
    c->kind[slot] = (unsigned char)kind;
    return kind;
}

/* _oxidize_startup.fast_exit_files(): every file still open is closed,
 * wrappers first; the live instances of the kinds it closes are picked out
 * of the garbage collector's objects here, at a table lookup each (a heap
 * has hundreds of thousands). If that cannot run, each file is flushed at least. */
static void close_open_files(void) {
    PyObject *startup = PyImport_ImportModule("_oxidize_startup");
    PyObject *kinds = startup ? PyObject_CallMethod(startup, "fast_exit_kinds", NULL) : NULL;
    PyObject *gc = kinds ? PyImport_ImportModule("gc") : NULL;
    PyObject *objects = gc ? PyObject_CallMethod(gc, "get_objects", NULL) : NULL;
    PyObject *candidates = objects ? PyList_New(0) : NULL;
    struct kind_cache *cache = candidates ? PyMem_Calloc(1, sizeof *cache) : NULL;
    int ok = cache && PyTuple_Check(kinds) && PyList_Check(objects);
    for (Py_ssize_t k = 0; ok && k < PyList_GET_SIZE(objects); k++) {
        PyObject *o = PyList_GET_ITEM(objects, k);
        if (closable_kind(cache, Py_TYPE(o), kinds)) ok = PyList_Append(candidates, o) == 0;
    }
    PyMem_Free(cache);
    Py_XDECREF(objects);
    PyObject *r = ok ? PyObject_CallMethod(startup, "fast_exit_files", "O", candidates) : NULL;
    Py_XDECREF(candidates);
    Py_XDECREF(gc);
    Py_XDECREF(kinds);
    Py_XDECREF(startup);
    if (r) {
        Py_DECREF(r);
        return;
    }
    PyErr_Clear();
    flush_open_files();
}

void oxidize_fast_exit(int exitcode, int interrupted) {
    join_threads();
    run_atexit_handlers();
    close_open_files();
    if (flush_std_files() < 0) exitcode = 120;
    fflush(NULL);
    if (interrupted) {
        /* Die of SIGINT like python, so shells see the interruption. */
        signal(SIGINT, SIG_DFL);
        kill(getpid(), SIGINT);
    }
    _exit(exitcode);
}

/* The status `raise SystemExit(code)` gives, printing a non-integer code as Python does. */
static int system_exit_status(void) {
    PyObject *type, *value, *tb;
    PyErr_Fetch(&type, &value, &tb);
    PyErr_NormalizeException(&type, &value, &tb);
    fflush(stdout);
    int status = 0;
    PyObject *code = value ? PyObject_GetAttrString(value, "code") : NULL;
    if (!code) PyErr_Clear();
    PyObject *shown = code ? code : value;
    if (shown && shown != Py_None) {
        if (PyLong_Check(shown)) {
            status = (int)PyLong_AsLong(shown);
            if (status == -1 && PyErr_Occurred()) {
                PyErr_Clear();
                status = 1;
            }
        } else {
            PyObject *err = PySys_GetObject("stderr"); /* borrowed */
            if (err && err != Py_None) {
                if (PyFile_WriteObject(shown, err, Py_PRINT_RAW) < 0) PyErr_Clear();
            } else {
                PyObject_Print(shown, stderr, Py_PRINT_RAW);
                fflush(stderr);
            }
            PySys_WriteStderr("\n");
            status = 1;
        }
    }
    Py_XDECREF(code);
    Py_XDECREF(type);
    Py_XDECREF(value);
    Py_XDECREF(tb);
    return status;
}

/* An uncaught exception: SystemExit gives its status; anything else is printed (sys.excepthook) and gives 1. */
static int uncaught(int *interrupted) {
    if (PyErr_ExceptionMatches(PyExc_SystemExit)) return system_exit_status();
    *interrupted = PyErr_ExceptionMatches(PyExc_KeyboardInterrupt);
    PyErr_Print();
    return 1;
}

/* `python -c CODE` without PyRun_SimpleString, whose error printing exits through finalization on SystemExit. */
static int run_command(const char *command) {
    if (PySys_Audit("cpython.run_command", "s", command) < 0) return -1;
    PyObject *main = PyImport_AddModule("__main__"); /* borrowed */
    if (!main) return -1;
    PyObject *globals = PyModule_GetDict(main);
    PyCompilerFlags cf = _PyCompilerFlags_INIT;
    cf.cf_flags |= PyCF_IGNORE_COOKIE;
    PyObject *r = PyRun_StringFlags(command, Py_file_input, globals, globals, &cf);
    if (!r) return -1;
    Py_DECREF(r);
    return 0;
}

int oxidize_fast_exit_applies(const struct oxidize_run_config *rc) {
    /* `python -i` enters the REPL after the program: that path exits normally. */
    if (_Py_GetConfig()->inspect) return 0;
    return rc->run_mode == OXIDIZE_RUN_MODE_NONE || rc->run_mode == OXIDIZE_RUN_MODE_MODULE ||
           rc->run_mode == OXIDIZE_RUN_MODE_EVAL;
}

void oxidize_run_then_fast_exit(const struct oxidize_run_config *rc) {
    int failed = 0, interrupted = 0, exitcode = 0;
    if (rc->run_mode == OXIDIZE_RUN_MODE_MODULE) failed = oxidize_run_module(rc->run_arg) < 0;
    else if (rc->run_mode == OXIDIZE_RUN_MODE_EVAL) failed = run_command(rc->run_arg) < 0;
    if (failed) exitcode = uncaught(&interrupted);
    oxidize_fast_exit(exitcode, interrupted);
}
