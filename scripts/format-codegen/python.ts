/** runtime-rust/python/_oxidize_format.py: the constants `_oxidize` publishes, for the plain-interpreter stand-in of that module. */
import { GENERATED_NOTE, publishedConstants, type FormatTable } from './table.js';

export function renderPython(t: FormatTable): string {
  return `"""Constants of the payload format, as the runtime's \`_oxidize\` module
publishes them to the importer (the stand-in of \`_oxidize\` used to run the
importer under a plain interpreter reads them from here).

${GENERATED_NOTE}
"""

CONSTANTS = {
${publishedConstants(t).map(([n, v]) => `    "${n}": ${v},\n`).join('')}}
`;
}
