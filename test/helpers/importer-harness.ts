/**
 * Runs the real importer under the plain interpreter against a payload the
 * TypeScript writer wrote (test/harness/run_importer.py with the stand-in
 * `_oxidize`): importer behaviour in seconds, without building an executable.
 */
import { writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { InterpreterConfig } from '../../src/config/interpreter.js';
import { resolvePolicy, type PackagingPolicy } from '../../src/config/policy.js';
import { resolveHostDistribution } from '../../src/distribution/host.js';
import type { PythonDistribution } from '../../src/distribution/types.js';
import { IMPORTER_MODULES } from '../../src/link/importer-modules.js';
import { installFiles } from '../../src/link/install.js';
import { interpreterRecords } from '../../src/link/interpreter-records.js';
import { planLink } from '../../src/link/link-plan.js';
import { serializePayload } from '../../src/payload/writer.js';
import { findResourcesInPath } from '../../src/resources/scan.js';
import type { PlacedResource, ResourceLocation } from '../../src/resources/types.js';
import { repoRoot, run, type CliResult } from './cli.js';

const RUNNER = path.join(repoRoot, 'test/harness/run_importer.py');
/** Bytes standing for the runtime stub in front of the payload. */
const FAKE_STUB = Buffer.from('not a runtime stub: the harness reads only the payload\n');

let distribution: Promise<PythonDistribution> | undefined;
export const hostDistribution = () => (distribution ??= resolveHostDistribution());

export interface Harness {
  /** The file holding the payload; it stands for the executable. */
  exe: string;
  python: string;
}

/**
 * Writes the payload of the Python tree under `root` (scanned as a sys.path
 * entry) into `<root>/../app`, with the importer modules, placed at
 * `location` unless `locations` names another for a resource name prefix.
 */
export async function writeHarnessPayload(
  root: string,
  options: { config?: InterpreterConfig; location?: ResourceLocation; locations?: Record<string, ResourceLocation>; policy?: PackagingPolicy } = {},
): Promise<Harness> {
  const dist = await hostDistribution();
  const found = await findResourcesInPath(root, { extensionSuffixes: dist.extensionSuffixes });
  const nameOf = (r: (typeof found)[number]) => ('name' in r ? r.name : 'package' in r ? r.package : 'distribution' in r ? r.distribution : r.path);
  const placed: PlacedResource[] = found.map((r) => {
    const name = nameOf(r);
    const override = Object.entries(options.locations ?? {}).find(([prefix]) => name === prefix || name.startsWith(prefix + '.'));
    return { ...r, location: override?.[1] ?? options.location ?? 'in-memory' };
  });
  const outDir = path.dirname(root);
  const cacheDir = process.env.OXIDIZE_CACHE_DIR ?? path.join(os.tmpdir(), 'oxidize-harness-cache');
  const plan = await planLink([...IMPORTER_MODULES, ...placed], dist, resolvePolicy(options.policy), cacheDir);
  await installFiles(outDir, plan.installs);
  // The plain interpreter keeps its own standard library through the path finder.
  const records = interpreterRecords({ filesystemImporter: true, ...options.config });
  const exe = path.join(outDir, 'app');
  writeFileSync(exe, Buffer.concat([FAKE_STUB, ...serializePayload(plan.entries, records, FAKE_STUB.length)]));
  return { exe, python: dist.python };
}

/** Runs `code` (python -c) with the payload's importer installed. */
export function runHarness(h: Harness, code: string, args: readonly string[] = [], env: NodeJS.ProcessEnv = {}): CliResult {
  return run(h.python, [RUNNER, h.exe, '-c', code, ...args], { env: { ...process.env, ...env } });
}

/** Runs a module of the payload as __main__ (python -m). */
export function runHarnessModule(h: Harness, module: string, args: readonly string[] = [], env: NodeJS.ProcessEnv = {}): CliResult {
  return run(h.python, [RUNNER, h.exe, '-m', module, ...args], { env: { ...process.env, ...env } });
}
