/* The file view for C code: open, fopen and stat of a path under the
 * executable's (`<exe>/pkg/data.db`) from a C library (sqlite3 opening a
 * packed database, libxml2 parsing a packed document, a font library) are
 * answered by the view as Python's open and os.stat are.
 *
 * The executable exports these functions (it links with --export-dynamic),
 * so the shared libraries loaded into the process call them instead of the C
 * library's. A path under `<exe>/` names nothing on any filesystem (the
 * executable is a file, not a directory: the system answers ENOTDIR), so
 * every other path goes to the C library's function unchanged, and taking
 * over the ones under the prefix cannot change what any other open does.
 *
 * The view lives in Python (_oxidize_files). Opening for writing (EROFS,
 * so sqlite3 falls back to read-only), a path the view does not hold and a
 * directory are answered here without the GIL (see the snapshot below);
 * reading or stat-ing a file that is there asks the view, taking the GIL
 * from whatever thread the library runs in. Before the view is switched on
 * (oxidize_c_view_enable) and once the interpreter is finalizing, the C
 * library answers (ENOTDIR). */
/* Without Python.h: its pyconfig.h asks for 64-bit file offsets, which
 * renames open to open64 and the like, and both names are defined here. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* "<exe>/" as the filesystem spells it; NULL until the view is on. */
static char *view_prefix;
static size_t view_prefix_len;

void oxidize_c_view_enable(const char *exe) {
    size_t n = strlen(exe);
    char *p = malloc(n + 2);
    if (!p) return;
    memcpy(p, exe, n);
    p[n] = '/';
    p[n + 1] = '\0';
    view_prefix_len = n + 1;
    __atomic_store_n(&view_prefix, p, __ATOMIC_RELEASE);
}

static int in_view(const char *path) {
    const char *prefix = __atomic_load_n(&view_prefix, __ATOMIC_ACQUIRE);
    return prefix && path && path[0] == '/' && strncmp(path, prefix, view_prefix_len) == 0;
}

/* What the view holds, for answers that need no Python and so no GIL: a
 * sorted list of the view's paths (relative to "<exe>/") with their kind,
 * handed over by the view the first time C code reaches it. A library may
 * call stat or access while it holds a lock of its own that a thread holding
 * the GIL waits for (sqlite3 checks for a hot journal, `<db>-journal`, with
 * the connection's mutex held): waiting for the GIL then would deadlock. A
 * path the view does not hold, any path opened for writing and a directory
 * are answered here; only a file that is there asks the view. */
enum { VIEW_UNKNOWN = -1, VIEW_ABSENT = 0, VIEW_FILE = 1, VIEW_DIR = 2 };
struct view_snapshot {
    size_t n;
    char **paths;
    unsigned char *kinds;
};
static struct view_snapshot *snapshot;

void oxidize_c_view_snapshot(const char *const *paths, const unsigned char *kinds, size_t n) {
    struct view_snapshot *s = malloc(sizeof *s);
    char **copies = malloc((n ? n : 1) * sizeof *copies);
    unsigned char *k = malloc(n ? n : 1);
    if (!s || !copies || !k) goto fail;
    for (size_t i = 0; i < n; i++) {
        copies[i] = strdup(paths[i]);
        if (!copies[i]) goto fail; /* what was copied is leaked: this runs once, and not again after a failure */
        k[i] = kinds[i];
    }
    s->n = n;
    s->paths = copies;
    s->kinds = k;
    __atomic_store_n(&snapshot, s, __ATOMIC_RELEASE);
    return;
fail:
    free(s);
    free(copies);
    free(k);
}

/* Whether `rel` is a path as the view spells it: no empty, "." or ".." part. */
static int plain_relative(const char *rel) {
    const char *part = rel;
    for (;;) {
        const char *end = strchr(part, '/');
        size_t len = end ? (size_t)(end - part) : strlen(part);
        if ((len == 0 && (end || part != rel)) || (len == 1 && part[0] == '.') || (len == 2 && part[0] == '.' && part[1] == '.')) return 0;
        if (!end) return 1;
        part = end + 1;
    }
}

static int view_kind(const char *path) {
    struct view_snapshot *s = __atomic_load_n(&snapshot, __ATOMIC_ACQUIRE);
    const char *rel = path + view_prefix_len;
    if (!s || !plain_relative(rel)) return VIEW_UNKNOWN;
    size_t lo = 0, hi = s->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(s->paths[mid], rel);
        if (c == 0) return s->kinds[mid];
        if (c < 0) lo = mid + 1;
        else hi = mid;
    }
    return VIEW_ABSENT;
}

/* The C library's own function `name`, looked up once. */
static void *next_function(void **slot, const char *name) {
    void *f = __atomic_load_n(slot, __ATOMIC_ACQUIRE);
    if (!f) {
        f = dlsym(RTLD_NEXT, name);
        __atomic_store_n(slot, f, __ATOMIC_RELEASE);
    }
    return f;
}
#define NEXT(type, name)                                                       \
    static void *slot_##name;                                                  \
    type next_##name = (type)next_function(&slot_##name, #name)

typedef int (*open_fn)(const char *, int, ...);
typedef int (*openat_fn)(int, const char *, int, ...);
typedef int (*open2_fn)(const char *, int);
typedef FILE *(*fopen_fn)(const char *, const char *);
typedef int (*stat_fn)(const char *, struct stat *);
typedef int (*stat64_fn)(const char *, struct stat64 *);
typedef int (*access_fn)(const char *, int);

/* In oxidize_glue.c, which has the Python API: they ask the view with the
 * GIL, and return -1 with errno set when it refused. */
int oxidize_view_open(const char *path, int flags);
int oxidize_view_stat(const char *path, long long fields[10]);
int oxidize_view_access(const char *path, int mode);

static int view_open(const char *path, int flags) {
    if (flags & (O_WRONLY | O_RDWR | O_CREAT | O_TRUNC | O_APPEND)) {
        errno = EROFS; /* the view is read-only; sqlite3 then opens the file read-only */
        return -1;
    }
    int kind = view_kind(path);
    if (kind == VIEW_ABSENT || kind == VIEW_DIR) {
        errno = kind == VIEW_ABSENT ? ENOENT : ENOTDIR; /* no descriptor stands for a directory of the view */
        return -1;
    }
    return oxidize_view_open(path, flags);
}

static mode_t open_mode(int flags, va_list ap) {
    return (flags & (O_CREAT | O_TMPFILE)) ? (mode_t)va_arg(ap, int) : 0;
}

/* open and open64, openat and openat64: the mode is read only when the
 * flags say one was passed, as the C library does. */
#define OPEN_FUNCTION(name)                                                    \
    int name(const char *path, int flags, ...) {                               \
        va_list ap;                                                            \
        va_start(ap, flags);                                                   \
        mode_t mode = open_mode(flags, ap);                                    \
        va_end(ap);                                                            \
        if (in_view(path)) return view_open(path, flags);                      \
        NEXT(open_fn, name);                                                   \
        return next_##name(path, flags, mode);                                 \
    }
#define OPENAT_FUNCTION(name)                                                  \
    int name(int dirfd, const char *path, int flags, ...) {                    \
        va_list ap;                                                            \
        va_start(ap, flags);                                                   \
        mode_t mode = open_mode(flags, ap);                                    \
        va_end(ap);                                                            \
        if (in_view(path)) return view_open(path, flags);                      \
        NEXT(openat_fn, name);                                                 \
        return next_##name(dirfd, path, flags, mode);                          \
    }
/* What code built with _FORTIFY_SOURCE calls for open without a mode. */
#define OPEN2_FUNCTION(name)                                                   \
    int name(const char *path, int flags) {                                    \
        if (in_view(path)) return view_open(path, flags);                      \
        NEXT(open2_fn, name);                                                  \
        return next_##name(path, flags);                                       \
    }
OPEN_FUNCTION(open)
OPEN_FUNCTION(open64)
OPENAT_FUNCTION(openat)
OPENAT_FUNCTION(openat64)
OPEN2_FUNCTION(__open_2)
OPEN2_FUNCTION(__open64_2)

static FILE *view_fopen(const char *path, const char *mode) {
    if (strpbrk(mode, "wax+")) {
        errno = EROFS;
        return NULL;
    }
    int fd = view_open(path, O_RDONLY | (strchr(mode, 'e') ? O_CLOEXEC : 0));
    if (fd < 0) return NULL;
    FILE *f = fdopen(fd, mode);
    if (!f) {
        int e = errno;
        close(fd);
        errno = e;
    }
    return f;
}

#define FOPEN_FUNCTION(name)                                                   \
    FILE *name(const char *path, const char *mode) {                           \
        if (in_view(path)) return view_fopen(path, mode);                      \
        NEXT(fopen_fn, name);                                                  \
        return next_##name(path, mode);                                        \
    }
FOPEN_FUNCTION(fopen)
FOPEN_FUNCTION(fopen64)

/* stat of a file or directory of the view: the fields os.stat gives. */
static int view_stat(const char *path, struct stat *st) {
    if (view_kind(path) == VIEW_ABSENT) {
        errno = ENOENT;
        return -1;
    }
    long long v[10];
    if (oxidize_view_stat(path, v) < 0) return -1;
    memset(st, 0, sizeof *st);
    st->st_mode = (mode_t)v[0];
    st->st_ino = (ino_t)v[1];
    st->st_dev = (dev_t)v[2];
    st->st_nlink = (nlink_t)v[3];
    st->st_uid = (uid_t)v[4];
    st->st_gid = (gid_t)v[5];
    st->st_size = (off_t)v[6];
    st->st_atime = (time_t)v[7];
    st->st_mtime = (time_t)v[8];
    st->st_ctime = (time_t)v[9];
    st->st_blksize = 4096;
    st->st_blocks = (blkcnt_t)((v[6] + 511) / 512);
    return 0;
}

/* glibc 2.33 and later export stat and friends as functions; struct stat
 * and struct stat64 are the same on 64-bit targets, where this is built. */
#define STAT_FUNCTION(name, st_type, fn_type)                                  \
    int name(const char *path, st_type *st) {                                  \
        if (in_view(path)) return view_stat(path, (struct stat *)st);          \
        NEXT(fn_type, name);                                                   \
        return next_##name(path, st);                                          \
    }
STAT_FUNCTION(stat, struct stat, stat_fn)
STAT_FUNCTION(stat64, struct stat64, stat64_fn)
STAT_FUNCTION(lstat, struct stat, stat_fn)
STAT_FUNCTION(lstat64, struct stat64, stat64_fn)

int access(const char *path, int mode) {
    if (in_view(path)) {
        int kind = view_kind(path);
        if (kind == VIEW_ABSENT) {
            errno = ENOENT;
            return -1;
        }
        if (kind == VIEW_DIR) {
            if (mode & W_OK) {
                errno = EROFS;
                return -1;
            }
            return 0;
        }
        return oxidize_view_access(path, mode);
    }
    NEXT(access_fn, access);
    return next_access(path, mode);
}
