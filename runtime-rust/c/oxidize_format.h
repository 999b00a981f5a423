/* Constants of the payload format and the run configuration the Rust
 * runtime hands to the glue. Generated from schemas/payload-format.json by `npm run generate:format`; do not edit. */
#ifndef OXIDIZE_FORMAT_H
#define OXIDIZE_FORMAT_H
#include <stddef.h>

#define OXIDIZE_FORMAT_VERSION 3

enum {
    OXIDIZE_KIND_MODULE = 1,
    OXIDIZE_KIND_EXTENSION = 2,
    OXIDIZE_KIND_PACKAGE_RESOURCE = 3,
    OXIDIZE_KIND_DISTRIBUTION_RESOURCE = 4,
    OXIDIZE_KIND_SHARED_LIBRARY = 5,
};

enum {
    OXIDIZE_FLAG_PACKAGE = 1,
    OXIDIZE_FLAG_FILESYSTEM = 2,
    OXIDIZE_FLAG_COMPRESSED = 4,
    OXIDIZE_FLAG_LZ4 = 8,
};

enum {
    OXIDIZE_SLOT_SOURCE = 0,
    OXIDIZE_SLOT_BYTECODE = 1,
    OXIDIZE_SLOT_BYTECODE_OPT1 = 2,
    OXIDIZE_SLOT_BYTECODE_OPT2 = 3,
    OXIDIZE_SLOT_DATA = 0,
};

enum {
    OXIDIZE_CONFIG_KEY_RUN_MODE = 1,
    OXIDIZE_CONFIG_KEY_RUN_ARG = 2,
    OXIDIZE_CONFIG_KEY_SYS_PATH = 3,
    OXIDIZE_CONFIG_KEY_SETTING = 4,
    OXIDIZE_CONFIG_KEY_STRING_SETTING = 5,
};

enum oxidize_run_mode {
    OXIDIZE_RUN_MODE_NONE = 0,
    OXIDIZE_RUN_MODE_REPL = 1,
    OXIDIZE_RUN_MODE_MODULE = 2,
    OXIDIZE_RUN_MODE_EVAL = 3,
    OXIDIZE_RUN_MODE_FILE = 4,
    OXIDIZE_RUN_MODE_PYTHON = 5,
};

enum {
    OXIDIZE_SETTING_SITE_IMPORT = 1,
    OXIDIZE_SETTING_USER_SITE_DIRECTORY = 2,
    OXIDIZE_SETTING_USE_ENVIRONMENT = 3,
    OXIDIZE_SETTING_ISOLATED = 4,
    OXIDIZE_SETTING_OPTIMIZATION_LEVEL = 5,
    OXIDIZE_SETTING_BYTES_WARNING = 6,
    OXIDIZE_SETTING_BUFFERED_STDIO = 7,
    OXIDIZE_SETTING_WRITE_BYTECODE = 8,
    OXIDIZE_SETTING_USE_HASH_SEED = 9,
    OXIDIZE_SETTING_HASH_SEED = 10,
    OXIDIZE_SETTING_QUIET = 11,
    OXIDIZE_SETTING_INSPECT = 12,
    OXIDIZE_SETTING_INTERACTIVE = 13,
    OXIDIZE_SETTING_PARSER_DEBUG = 14,
    OXIDIZE_SETTING_VERBOSE = 15,
    OXIDIZE_SETTING_FAST_EXIT = 16,
    OXIDIZE_SETTING_FILESYSTEM_IMPORTER = 100,
    OXIDIZE_SETTING_SYS_FROZEN = 101,
    OXIDIZE_SETTING_SYS_MEIPASS = 102,
    OXIDIZE_SETTING_TERMINFO_RESOLUTION = 103,
    OXIDIZE_SETTING_IN_MEMORY_MODULE_FILE = 104,
    OXIDIZE_SETTING_IN_MEMORY_FILE_VIEW = 105,
};

enum {
    OXIDIZE_STRING_SETTING_STDIO_ENCODING = 1,
    OXIDIZE_STRING_SETTING_STDIO_ERRORS = 2,
    OXIDIZE_STRING_SETTING_WRITE_MODULES_DIRECTORY_ENV = 100,
    OXIDIZE_STRING_SETTING_TERMINFO_DIRS = 101,
};

struct oxidize_setting {
    int id;
    int value;
};

struct oxidize_string_setting {
    int id;
    const char *value; /* NUL-terminated UTF-8 */
};

struct oxidize_run_config {
    const char *exe; /* absolute path of this executable */
    const char *origin; /* its directory */
    int run_mode; /* a run mode of the format */
    const char *run_arg; /* module name, code or file name */
    int argc; /* number of argv entries */
    char **argv; /* sys.argv, NULL-terminated */
    int sys_path_count; /* number of sys_paths */
    const char *const *sys_paths; /* sys.path entries, $ORIGIN expanded */
    int setting_count; /* number of settings */
    const struct oxidize_setting *settings; /* integer settings */
    int string_setting_count; /* number of string settings */
    const struct oxidize_string_setting *string_settings; /* string settings */
    const unsigned char *bootstrap; /* marshalled code of the importer module */
    size_t bootstrap_len; /* its length */
};

/* The layout Rust's run_config.rs asserts too (LP64 Linux). */
#if defined(__LP64__)
_Static_assert(sizeof(struct oxidize_run_config) == 112, "struct oxidize_run_config size");
_Static_assert(offsetof(struct oxidize_run_config, exe) == 0, "offset of exe");
_Static_assert(offsetof(struct oxidize_run_config, origin) == 8, "offset of origin");
_Static_assert(offsetof(struct oxidize_run_config, run_mode) == 16, "offset of run_mode");
_Static_assert(offsetof(struct oxidize_run_config, run_arg) == 24, "offset of run_arg");
_Static_assert(offsetof(struct oxidize_run_config, argc) == 32, "offset of argc");
_Static_assert(offsetof(struct oxidize_run_config, argv) == 40, "offset of argv");
_Static_assert(offsetof(struct oxidize_run_config, sys_path_count) == 48, "offset of sys_path_count");
_Static_assert(offsetof(struct oxidize_run_config, sys_paths) == 56, "offset of sys_paths");
_Static_assert(offsetof(struct oxidize_run_config, setting_count) == 64, "offset of setting_count");
_Static_assert(offsetof(struct oxidize_run_config, settings) == 72, "offset of settings");
_Static_assert(offsetof(struct oxidize_run_config, string_setting_count) == 80, "offset of string_setting_count");
_Static_assert(offsetof(struct oxidize_run_config, string_settings) == 88, "offset of string_settings");
_Static_assert(offsetof(struct oxidize_run_config, bootstrap) == 96, "offset of bootstrap");
_Static_assert(offsetof(struct oxidize_run_config, bootstrap_len) == 104, "offset of bootstrap_len");
_Static_assert(sizeof(struct oxidize_string_setting) == 16, "struct oxidize_string_setting size");
#endif
_Static_assert(sizeof(struct oxidize_setting) == 8, "struct oxidize_setting size");

/* Published as attributes of the _oxidize module, so the importer keeps no copies. */
static const struct oxidize_format_constant {
    const char *name;
    long value;
} oxidize_format_constants[] = {
    {"FORMAT_VERSION", 3},
    {"KIND_MODULE", 1},
    {"KIND_EXTENSION", 2},
    {"KIND_PACKAGE_RESOURCE", 3},
    {"KIND_DISTRIBUTION_RESOURCE", 4},
    {"KIND_SHARED_LIBRARY", 5},
    {"FLAG_PACKAGE", 1},
    {"FLAG_FILESYSTEM", 2},
    {"FLAG_COMPRESSED", 4},
    {"FLAG_LZ4", 8},
    {"SLOT_SOURCE", 0},
    {"SLOT_BYTECODE", 1},
    {"SLOT_BYTECODE_OPT1", 2},
    {"SLOT_BYTECODE_OPT2", 3},
    {"SLOT_DATA", 0},
    {"CONFIG_KEY_RUN_MODE", 1},
    {"CONFIG_KEY_RUN_ARG", 2},
    {"CONFIG_KEY_SYS_PATH", 3},
    {"CONFIG_KEY_SETTING", 4},
    {"CONFIG_KEY_STRING_SETTING", 5},
    {"RUN_MODE_NONE", 0},
    {"RUN_MODE_REPL", 1},
    {"RUN_MODE_MODULE", 2},
    {"RUN_MODE_EVAL", 3},
    {"RUN_MODE_FILE", 4},
    {"RUN_MODE_PYTHON", 5},
    {"SETTING_SITE_IMPORT", 1},
    {"SETTING_USER_SITE_DIRECTORY", 2},
    {"SETTING_USE_ENVIRONMENT", 3},
    {"SETTING_ISOLATED", 4},
    {"SETTING_OPTIMIZATION_LEVEL", 5},
    {"SETTING_BYTES_WARNING", 6},
    {"SETTING_BUFFERED_STDIO", 7},
    {"SETTING_WRITE_BYTECODE", 8},
    {"SETTING_USE_HASH_SEED", 9},
    {"SETTING_HASH_SEED", 10},
    {"SETTING_QUIET", 11},
    {"SETTING_INSPECT", 12},
    {"SETTING_INTERACTIVE", 13},
    {"SETTING_PARSER_DEBUG", 14},
    {"SETTING_VERBOSE", 15},
    {"SETTING_FAST_EXIT", 16},
    {"SETTING_FILESYSTEM_IMPORTER", 100},
    {"SETTING_SYS_FROZEN", 101},
    {"SETTING_SYS_MEIPASS", 102},
    {"SETTING_TERMINFO_RESOLUTION", 103},
    {"SETTING_IN_MEMORY_MODULE_FILE", 104},
    {"SETTING_IN_MEMORY_FILE_VIEW", 105},
    {"STRING_SETTING_STDIO_ENCODING", 1},
    {"STRING_SETTING_STDIO_ERRORS", 2},
    {"STRING_SETTING_WRITE_MODULES_DIRECTORY_ENV", 100},
    {"STRING_SETTING_TERMINFO_DIRS", 101},
    {NULL, 0},
};

#ifdef Py_PYTHON_H
/* The PyConfig field an integer setting sets, or NULL for settings read elsewhere. */
static inline int *oxidize_setting_field(PyConfig *c, int id) {
    switch (id) {
    case 1: return &c->site_import;
    case 2: return &c->user_site_directory;
    case 3: return &c->use_environment;
    case 4: return &c->isolated;
    case 5: return &c->optimization_level;
    case 6: return &c->bytes_warning;
    case 7: return &c->buffered_stdio;
    case 8: return &c->write_bytecode;
    case 9: return &c->use_hash_seed;
    case 11: return &c->quiet;
    case 12: return &c->inspect;
    case 13: return &c->interactive;
    case 14: return &c->parser_debug;
    case 15: return &c->verbose;
    default: return NULL;
    }
}

/* The PyConfig field a string setting sets, or NULL. */
static inline wchar_t **oxidize_string_setting_field(PyConfig *c, int id) {
    switch (id) {
    case 1: return &c->stdio_encoding;
    case 2: return &c->stdio_errors;
    default: return NULL;
    }
}
#endif

#endif
