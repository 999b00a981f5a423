/**
 * `oxidize analyze`: what a binary needs from the machine it runs on, and for
 * an oxidize executable what its payload holds. The result is plain data
 * (printed as text or JSON by the command).
 */
import { inflateSync } from 'node:zlib';
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { ConfigKey, EntryFlag, EntryKind, RunModeCode, SettingId, StringSettingId } from '../payload/format.js';
import { hasPayload, readPayload, slotData, slotVerifies, type ReadPayload } from '../payload/reader.js';
import { highestVersion, manylinuxTag, oldestDistros, compareVersions, type Floor } from './distros.js';
import { isElf, readElf, type ElfInfo } from './elf.js';
import { lz4Decompress } from '../link/lz4.js';

export interface Requirements {
  /** Shared libraries needed (DT_NEEDED). */
  needed: string[];
  /** Highest GLIBC_ symbol version required. */
  glibc?: string;
  /** Highest GLIBCXX_ (libstdc++) symbol version required. */
  glibcxx?: string;
}

export interface ElfReport extends Requirements {
  bits: number;
  type: string;
  machine: string;
  interpreter?: string;
  runpath: string[];
  /** Every version required, per library. */
  versionNeeds: Array<{ library: string; versions: string[] }>;
}

export interface KindSummary {
  kind: string;
  count: number;
  /** Bytes of data stored in the payload (all slots). */
  bytes: number;
  /** Entries installed as files next to the executable instead. */
  filesystem: number;
}

export interface NativeModule extends Requirements {
  name: string;
  kind: 'extension module' | 'shared library';
  location: 'in-memory' | 'filesystem';
  /** For a filesystem entry: its path relative to the executable's directory. */
  path?: string;
  /** Set when the library could not be read (a filesystem file missing, damaged bytes). */
  error?: string;
}

export interface PayloadReport {
  offset: number;
  length: number;
  formatVersion: number;
  run: { mode: string; argument: string };
  sysPath: string[];
  settings: Record<string, number>;
  stringSettings: Record<string, string>;
  kinds: KindSummary[];
  /** Top-level packages by bytes in the payload, largest first. */
  largestPackages: Array<{ name: string; entries: number; bytes: number }>;
  nativeModules: NativeModule[];
  checksums: { metadata: boolean; blobsChecked: number; blobsFailed: string[] };
}

export interface AnalyzeReport {
  file: string;
  size: number;
  elf?: ElfReport;
  payload?: PayloadReport;
  /** The floor over the file and every native module of its payload. */
  requires: { glibc?: string; glibcxx?: string; platformTag?: string };
  /** Oldest release per family able to run it (glibc-based families only). */
  runsOn: Array<{ family: string; release: string }>;
}

const KIND_NAMES: Record<number, string> = {
  [EntryKind.Module]: 'module',
  [EntryKind.Extension]: 'extension module',
  [EntryKind.PackageResource]: 'package resource',
  [EntryKind.DistributionResource]: 'distribution resource',
  [EntryKind.SharedLibrary]: 'shared library',
};

function requirements(info: ElfInfo): Requirements {
  const versions = info.versionNeeds.flatMap((n) => n.versions);
  return { needed: info.needed, glibc: highestVersion(versions, 'GLIBC_'), glibcxx: highestVersion(versions, 'GLIBCXX_') };
}

function elfReport(info: ElfInfo): ElfReport {
  return {
    bits: info.bits, type: info.type, machine: info.machine, interpreter: info.interpreter, runpath: info.runpath,
    ...requirements(info), versionNeeds: info.versionNeeds,
  };
}

/** The package an entry belongs to, for the size ranking. */
function topLevel(e: { kind: EntryKind; name: string }): string {
  if (e.kind === EntryKind.SharedLibrary) return `(${KIND_NAMES[e.kind]}s)`;
  const owner = e.name.split('\0')[0];
  if (e.kind === EntryKind.DistributionResource) return `(metadata) ${owner}`;
  return owner.split('.')[0];
}

function maxVersion(a: string | undefined, b: string | undefined): string | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return compareVersions(a, b) >= 0 ? a : b;
}

async function nativeModules(payload: ReadPayload, exeDir: string): Promise<NativeModule[]> {
  const out: NativeModule[] = [];
  for (const e of payload.entries) {
    if (e.kind !== EntryKind.Extension && e.kind !== EntryKind.SharedLibrary) continue;
    const slot = e.slots[0];
    if (!slot) continue;
    const onDisk = (e.flags & EntryFlag.Filesystem) !== 0;
    const m: NativeModule = {
      name: e.name,
      kind: e.kind === EntryKind.Extension ? 'extension module' : 'shared library',
      location: onDisk ? 'filesystem' : 'in-memory',
      needed: [],
    };
    try {
      let bytes: Uint8Array;
      if (onDisk) {
        m.path = slotData(payload, slot).toString('utf8');
        bytes = await fsp.readFile(path.join(exeDir, m.path));
      } else {
        bytes = slotData(payload, slot);
        // Stored compressed, as the runtime decodes it before loading: an LZ4 block (format 3) or a zlib stream (format 2).
        if (e.flags & EntryFlag.Lz4) bytes = lz4Decompress(bytes.subarray(4), Buffer.from(bytes).readUInt32LE(0));
        else if (e.flags & EntryFlag.Compressed) bytes = inflateSync(bytes);
      }
      if (!isElf(bytes)) throw new Error('not an ELF file');
      Object.assign(m, requirements(readElf(bytes)));
    } catch (err) {
      m.error = err instanceof Error ? err.message.replace(/^ENOENT: /, '') : String(err);
    }
    out.push(m);
  }
  return out;
}

async function payloadReport(payload: ReadPayload, exeDir: string): Promise<PayloadReport> {
  let mode = 'none';
  let argument = '';
  const sysPath: string[] = [];
  const settings: Record<string, number> = {};
  const stringSettings: Record<string, string> = {};
  for (const r of payload.config) {
    if (r.key === ConfigKey.RunMode) mode = (RunModeCode[r.value[0]] ?? `mode ${r.value[0]}`).toLowerCase();
    else if (r.key === ConfigKey.RunArg) argument = r.value.toString('utf8');
    else if (r.key === ConfigKey.SysPath) sysPath.push(r.value.toString('utf8'));
    else if (r.key === ConfigKey.Setting && r.value.length >= 6) settings[SettingId[r.value.readUInt16LE(0)] ?? `setting ${r.value.readUInt16LE(0)}`] = r.value.readInt32LE(2);
    else if (r.key === ConfigKey.StringSetting && r.value.length >= 2) {
      stringSettings[StringSettingId[r.value.readUInt16LE(0)] ?? `setting ${r.value.readUInt16LE(0)}`] = r.value.subarray(2).toString('utf8');
    }
  }

  const kinds = new Map<string, KindSummary>();
  const packages = new Map<string, { name: string; entries: number; bytes: number }>();
  const failed: string[] = [];
  let checked = 0;
  for (const e of payload.entries) {
    const kind = KIND_NAMES[e.kind] ?? `kind ${e.kind}`;
    const k = kinds.get(kind) ?? { kind, count: 0, bytes: 0, filesystem: 0 };
    kinds.set(kind, k);
    k.count++;
    if (e.flags & EntryFlag.Filesystem) k.filesystem++;
    let bytes = 0;
    for (const slot of e.slots) {
      if (!slot) continue;
      bytes += slot.length;
      checked++;
      if (!slotVerifies(payload, slot)) failed.push(`${kind} ${e.name.replace('\0', '/')}`);
    }
    k.bytes += bytes;
    const top = topLevel(e);
    const p = packages.get(top) ?? { name: top, entries: 0, bytes: 0 };
    packages.set(top, p);
    p.entries++;
    p.bytes += bytes;
  }
  return {
    offset: payload.payloadOffset,
    length: payload.payloadLength,
    formatVersion: payload.version,
    run: { mode, argument },
    sysPath,
    settings,
    stringSettings,
    kinds: [...kinds.values()],
    largestPackages: [...packages.values()].sort((a, b) => b.bytes - a.bytes || a.name.localeCompare(b.name)).slice(0, 10),
    nativeModules: await nativeModules(payload, exeDir),
    checksums: { metadata: payload.metadataVerified, blobsChecked: checked, blobsFailed: failed },
  };
}

export async function analyzeFile(file: string): Promise<AnalyzeReport> {
  const bytes = await fsp.readFile(file);
  const report: AnalyzeReport = { file, size: bytes.length, requires: {}, runsOn: [] };
  if (isElf(bytes)) report.elf = elfReport(readElf(bytes));
  if (hasPayload(bytes)) report.payload = await payloadReport(readPayload(bytes), path.dirname(path.resolve(file)));
  if (!report.elf && !report.payload) throw new Error('is neither an ELF file nor an oxidize executable');

  const floor: Floor = { glibc: report.elf?.glibc, glibcxx: report.elf?.glibcxx };
  for (const m of report.payload?.nativeModules ?? []) {
    floor.glibc = maxVersion(floor.glibc, m.glibc);
    floor.glibcxx = maxVersion(floor.glibcxx, m.glibcxx);
  }
  report.requires = { ...floor, platformTag: floor.glibc ? manylinuxTag(floor.glibc, report.elf?.machine === 'aarch64' ? 'aarch64' : 'x86_64') : undefined };
  if (floor.glibc) report.runsOn = oldestDistros(floor).map((d) => ({ family: d.family, release: d.release }));
  return report;
}
