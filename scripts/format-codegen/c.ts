/** runtime-rust/c/oxidize_format.h: constants, the RunConfig structs with layout asserts, the published constant table and the PyConfig field map. */
import { GENERATED_NOTE, publishedConstants, runConfigLayout, upperSnake, type FieldType, type FormatTable } from './table.js';

const C_TYPE: Record<FieldType, string> = {
  cstr: 'const char *',
  int: 'int ',
  argv: 'char **',
  cstrArray: 'const char *const *',
  settings: 'const struct oxidize_setting *',
  stringSettings: 'const struct oxidize_string_setting *',
  bytes: 'const unsigned char *',
  size: 'size_t ',
};

function enumOf(prefix: string, items: Array<{ name: string; value: number }>, tag = ''): string {
  return `enum ${tag}${tag ? ' ' : ''}{\n${items.map((i) => `    OXIDIZE_${prefix}${upperSnake(i.name)} = ${i.value},\n`).join('')}};\n`;
}

export function renderC(t: FormatTable): string {
  const fields = t.runConfig.fields;
  const { offsets, size } = runConfigLayout(fields);
  const ids = (s: FormatTable['settings']) => s.map((x) => ({ name: x.name, value: x.id }));
  const pyFields = (s: FormatTable['settings'], ret: string, fn: string) =>
    `static inline ${ret}${fn}(PyConfig *c, int id) {\n    switch (id) {\n${s
      .filter((x) => x.reader === 'PyConfig')
      .map((x) => `    case ${x.id}: return &c->${x.field};\n`)
      .join('')}    default: return NULL;\n    }\n}\n`;
  return `/* Constants of the payload format and the run configuration the Rust
 * runtime hands to the glue. ${GENERATED_NOTE} */
#ifndef OXIDIZE_FORMAT_H
#define OXIDIZE_FORMAT_H
#include <stddef.h>

#define OXIDIZE_FORMAT_VERSION ${t.version}

${enumOf('KIND_', t.kinds)}
${enumOf('FLAG_', t.flags)}
${enumOf('SLOT_', [...t.moduleSlots, { name: 'data', value: t.dataSlot }])}
${enumOf('CONFIG_KEY_', t.configKeys)}
${enumOf('RUN_MODE_', t.runModes, 'oxidize_run_mode')}
${enumOf('SETTING_', ids(t.settings))}
${enumOf('STRING_SETTING_', ids(t.stringSettings))}
struct oxidize_setting {
    int id;
    int value;
};

struct oxidize_string_setting {
    int id;
    const char *value; /* NUL-terminated UTF-8 */
};

struct oxidize_run_config {
${fields.map((f) => `    ${C_TYPE[f.type]}${f.name}; /* ${f.doc} */\n`).join('')}};

/* The layout Rust's run_config.rs asserts too (LP64 Linux). */
#if defined(__LP64__)
_Static_assert(sizeof(struct oxidize_run_config) == ${size}, "struct oxidize_run_config size");
${fields.map((f, i) => `_Static_assert(offsetof(struct oxidize_run_config, ${f.name}) == ${offsets[i]}, "offset of ${f.name}");\n`).join('')}_Static_assert(sizeof(struct oxidize_string_setting) == 16, "struct oxidize_string_setting size");
#endif
_Static_assert(sizeof(struct oxidize_setting) == 8, "struct oxidize_setting size");

/* Published as attributes of the _oxidize module, so the importer keeps no copies. */
static const struct oxidize_format_constant {
    const char *name;
    long value;
} oxidize_format_constants[] = {
${publishedConstants(t).map(([n, v]) => `    {"${n}", ${v}},\n`).join('')}    {NULL, 0},
};

#ifdef Py_PYTHON_H
/* The PyConfig field an integer setting sets, or NULL for settings read elsewhere. */
${pyFields(t.settings, 'int *', 'oxidize_setting_field')}
/* The PyConfig field a string setting sets, or NULL. */
${pyFields(t.stringSettings, 'wchar_t **', 'oxidize_string_setting_field')}#endif

#endif
`;
}
