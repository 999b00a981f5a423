/**
 * The size report: what an executable carries, by kind, in counts and bytes
 * as stored (after compression), plus the stub and what filters removed.
 */
import { EntryFlag, EntryKind, ModuleSlot } from '../../src/payload/format.js';
import type { WrittenEntry as PayloadEntry } from '../../src/link/linker.js';

export const SIZE_KINDS = [
  'stdlib bytecode',
  'sources',
  'application modules',
  'extension modules',
  'shared libraries',
  'package resources',
  'distribution metadata',
] as const;
export type SizeKind = (typeof SIZE_KINDS)[number];

export interface SizeRow {
  readonly count: number;
  readonly bytes: number;
}

export interface SizeReport {
  readonly executable: string;
  /** In the payload, by kind (files placed beside the executable are under `besideExecutable`). */
  readonly kinds: Readonly<Record<SizeKind, SizeRow>>;
  readonly stub: number;
  /** Payload bytes: the kinds plus the index, names and configuration. */
  readonly payload: number;
  /** Size of the executable file. */
  readonly total: number;
  /** Files written next to the executable (filesystem-relative resources). */
  readonly besideExecutable: SizeRow;
  /** What the filter phase removed, in resources and their bytes as collected. */
  readonly removed: SizeRow & { readonly modules: number };
  /** What module-trace dropped, when it ran. */
  readonly trimmed?: SizeRow & { readonly modules: number };
}

const length = (b: Uint8Array | undefined) => b?.length ?? 0;

/** Counts and bytes by kind of in-memory payload entries; `isStdlib` says whether a module is the standard library's. */
export function tallyEntries(entries: readonly PayloadEntry[], isStdlib: (module: string) => boolean): Record<SizeKind, SizeRow> {
  const rows = Object.fromEntries(SIZE_KINDS.map((k) => [k, { count: 0, bytes: 0 }])) as Record<SizeKind, { count: number; bytes: number }>;
  const add = (k: SizeKind, bytes: number) => {
    rows[k].count++;
    rows[k].bytes += bytes;
  };
  for (const e of entries) {
    if (e.flags & EntryFlag.Filesystem) continue;
    switch (e.kind) {
      case EntryKind.Module: {
        const code = length(e.slots[ModuleSlot.Bytecode]) + length(e.slots[ModuleSlot.BytecodeOpt1]) + length(e.slots[ModuleSlot.BytecodeOpt2]);
        if (code > 0) add(isStdlib(e.name) ? 'stdlib bytecode' : 'application modules', code);
        if (e.slots[ModuleSlot.Source]) add('sources', length(e.slots[ModuleSlot.Source]));
        break;
      }
      case EntryKind.Extension:
        add('extension modules', length(e.slots[0]));
        break;
      case EntryKind.SharedLibrary:
        add('shared libraries', length(e.slots[0]));
        break;
      case EntryKind.PackageResource:
        add('package resources', length(e.slots[0]));
        break;
      case EntryKind.DistributionResource:
        add('distribution metadata', length(e.slots[0]));
        break;
    }
  }
  return rows;
}

export function mib(n: number): string {
  return `${(n / 1048576).toFixed(1)} MiB`;
}

/** The table printed at the end of a build. */
export function formatSizeReport(r: SizeReport): string[] {
  const line = (label: string, count: number | string, bytes: number) => `  ${label.padEnd(24)}${String(count).padStart(7)}  ${mib(bytes).padStart(10)}`;
  const out = [`${r.executable}: ${mib(r.total)}`];
  for (const k of SIZE_KINDS) if (r.kinds[k].count > 0) out.push(line(k, r.kinds[k].count, r.kinds[k].bytes));
  const listed = SIZE_KINDS.reduce((n, k) => n + r.kinds[k].bytes, 0);
  out.push(line('index and settings', '', r.payload - listed));
  out.push(line('runtime stub', '', r.stub));
  out.push(line('total', '', r.total));
  if (r.besideExecutable.count > 0) out.push(line('files beside it', r.besideExecutable.count, r.besideExecutable.bytes));
  if (r.removed.count > 0) {
    const trim = r.trimmed && r.trimmed.count > 0 ? `; module-trace dropped ${r.trimmed.modules} modules (${mib(r.trimmed.bytes)})` : '';
    out.push(`  filters removed ${r.removed.count} resources of ${r.removed.modules} modules (${mib(r.removed.bytes)} as collected)${trim}`);
  }
  return out;
}
