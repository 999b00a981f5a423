/* Interface between the Rust runtime and the CPython glue (oxidize_glue.c).
 * Rust owns the payload and the process; C owns every CPython API call. */
#ifndef OXIDIZE_GLUE_H
#define OXIDIZE_GLUE_H
#include <stddef.h>

enum oxidize_run_mode {
    OXIDIZE_RUN_NONE = 0,
    OXIDIZE_RUN_REPL = 1,
    OXIDIZE_RUN_MODULE = 2,
    OXIDIZE_RUN_EVAL = 3,
    OXIDIZE_RUN_FILE = 4,
};

/* Integer settings; ids are part of the payload format (schemas/payload-format.md). */
struct oxidize_setting {
    int id;
    int value;
};

struct oxidize_string_setting {
    int id;
    const char *value; /* NUL-terminated UTF-8 */
};

struct oxidize_run_config {
    const char *exe;    /* absolute path of this executable */
    const char *origin; /* its directory */
    int run_mode;
    const char *run_arg;
    int argc;
    char **argv;
    int sys_path_count;
    const char *const *sys_paths; /* $ORIGIN already expanded */
    int setting_count;
    const struct oxidize_setting *settings;
    int string_setting_count;
    const struct oxidize_string_setting *string_settings;
    const unsigned char *bootstrap; /* marshalled code of the importer module */
    size_t bootstrap_len;
};

int oxidize_python_main(const struct oxidize_run_config *config);

/* Implemented in Rust (src/exports.rs). */
long oxr_count(void);
long oxr_find(int kind, const char *name, size_t len);
int oxr_entry(size_t i, int *kind, int *flags, const char **name, size_t *len);
/* 1: present, 0: empty slot, -1: fails its checksum. */
int oxr_blob(size_t i, int slot, const unsigned char **data, size_t *len);
void oxr_prefix_range(int kind, const char *prefix, size_t len, size_t *lo, size_t *hi);
void oxr_fatal_corrupt(size_t i);

#endif
