/** The generated tables of schemas/payload-format.md (between `<!-- generated: NAME -->` and `<!-- end -->`). */
import type { FormatTable, Setting } from './table.js';

const row = (cells: Array<string | number>) => `| ${cells.join(' | ')} |\n`;

function settingsTable(s: Setting[]): string {
  return (
    row(['id', 'name', 'read by', 'meaning', 'from the interpreter config']) +
    row(['---', '---', '---', '---', '---']) +
    s.map((x) => row([x.id, x.name, x.reader === 'PyConfig' ? 'C glue' : x.reader === 'glue' ? 'C glue' : 'importer', x.reader === 'PyConfig' ? `\`PyConfig.${x.field}\`` : x.doc ?? '', `\`${x.config.split(' ')[0]}\`${x.config.includes(' ') ? ' ' + x.config.slice(x.config.indexOf(' ') + 1) : ''}`])).join('')
  );
}

export function markdownSections(t: FormatTable): Record<string, string> {
  return {
    kinds:
      row(['kind', 'value', 'name', 'slots']) +
      row(['---', '---', '---', '---']) +
      t.kinds.map((k) => row([k.name, k.value, k.key, k.slots])).join(''),
    flags: row(['flag', 'bit', 'meaning']) + row(['---', '---', '---']) + t.flags.map((f) => row([f.name, f.value, f.doc ?? ''])).join(''),
    'config-keys': row(['key', 'name', 'bytes']) + row(['---', '---', '---']) + t.configKeys.map((k) => row([k.value, k.name, k.doc ?? ''])).join(''),
    'run-modes': row(['run mode', 'value', 'meaning']) + row(['---', '---', '---']) + t.runModes.map((m) => row([m.name, m.value, m.doc ?? ''])).join(''),
    settings: settingsTable(t.settings),
    'string-settings': settingsTable(t.stringSettings),
  };
}

/** `doc` with every generated section replaced; throws when a marker is missing. */
export function renderMarkdown(doc: string, t: FormatTable): string {
  let out = doc;
  for (const [name, body] of Object.entries(markdownSections(t))) {
    const re = new RegExp(`(<!-- generated: ${name} -->\\n)[\\s\\S]*?(<!-- end -->)`);
    if (!re.test(out)) throw new Error(`schemas/payload-format.md has no "<!-- generated: ${name} -->" section`);
    out = out.replace(re, (_m, open: string, close: string) => open + body + close);
  }
  return out;
}
