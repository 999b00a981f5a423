/* Interface between the Rust runtime and the CPython glue (oxidize_glue.c).
 * Rust owns the payload and the process; C owns every CPython API call. */
#ifndef OXIDIZE_GLUE_H
#define OXIDIZE_GLUE_H
#include <stddef.h>

#include "oxidize_format.h" /* run modes, settings and struct oxidize_run_config */

int oxidize_python_main(const struct oxidize_run_config *config);
/* Runs module NAME as __main__ (runpy); -1 with the exception set. */
int oxidize_run_module(const char *name);

/* fastExit (oxidize_fast_exit.c): whether it can end this run mode, and
 * running the program then ending it that way (does not return). */
int oxidize_fast_exit_applies(const struct oxidize_run_config *config);
void oxidize_run_then_fast_exit(const struct oxidize_run_config *config);

/* Implemented in Rust (src/ffi.rs). */
long oxr_count(void);
long oxr_find(int kind, const char *name, size_t len);
int oxr_entry(size_t i, int *kind, int *flags, const char **name, size_t *len);
/* 1: present, 0: empty slot, -1: fails its checksum. */
int oxr_blob(size_t i, int slot, const unsigned char **data, size_t *len);
/* An lz4-flagged slot's decoded length (-1: none), and decoding it (0, or -1). */
long oxr_lz4_len(const unsigned char *data, size_t len);
int oxr_lz4_decode(const unsigned char *data, size_t len, unsigned char *dst, size_t dst_len);
void oxr_prefix_range(int kind, const char *prefix, size_t len, size_t *lo, size_t *hi);
void oxr_fatal_corrupt(size_t i);

#endif
