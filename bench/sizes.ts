/**
 * Executable sizes for the benchmark (sizes are checked here, never in the
 * tests): the README's sample built in release untrimmed, and traced and
 * trimmed, plus the time of a warm trimmed build. `measureSizes()` is what
 * `npm run bench` can call; run alone (`node dist/bench/sizes.js`) it prints
 * the rows as a markdown table.
 *
 * Targets: untrimmed at most 30 MiB, trimmed at most 10 MiB, the warm
 * trimmed build under 1 s.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { packageRoot } from '../src/util/paths.js';

export interface SizeRow {
  readonly what: string;
  readonly value: number;
  readonly unit: 'MiB' | 's';
  readonly limit: number;
}

const CLI = path.join(packageRoot, 'bin/oxidize.js');

// The sample's config with the module-trace plugin added.
const TRIMMED_CONFIG = `import { defineConfig, moduleTrace, readPackageRoot } from 'oxidize';
export default defineConfig({
  targets: {
    exe: {
      default: true,
      build: (ctx) =>
        ctx.defaultPythonDistribution()
          .toPythonExecutable({ name: 'sample', config: { runModule: 'sample' }, plugins: [moduleTrace()] })
          .addPythonResources(readPackageRoot('sample', ['sample'])),
    },
  },
});
`;

function oxidize(args: string[], cwd: string): { stdout: string; seconds: number } {
  const start = process.hrtime.bigint();
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', maxBuffer: 64 << 20 });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  if (r.status !== 0) throw new Error(`oxidize ${args.join(' ')} failed (${r.status}):\n${r.stderr}`);
  return { stdout: r.stdout, seconds };
}

const mib = (file: string) => statSync(file).size / 1048576;

export function measureSizes(): SizeRow[] {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'oxidize-bench-sizes-'));
  try {
    cpSync(path.join(packageRoot, 'sample'), path.join(dir, 'sample'), { recursive: true });
    writeFileSync(path.join(dir, 'pyoxidizer.config.ts'), TRIMMED_CONFIG);
    const untrimmed = path.join(dir, oxidize(['build', '--release', '--no-trim'], dir).stdout.trim().split('\n')[0]);
    const untrimmedMib = mib(untrimmed);
    // The sample's two ways of running: a greeting and JSON.
    oxidize(['trace', '--name', 'greet', '--', '--name', 'bench'], dir);
    oxidize(['trace', '--name', 'json', '--', '--json'], dir);
    const trimmed = path.join(dir, oxidize(['build', '--release'], dir).stdout.trim().split('\n')[0]);
    const warm = Math.min(...[0, 1, 2].map(() => oxidize(['build', '--release', '--quiet'], dir).seconds));
    return [
      { what: 'sample, release, untrimmed', value: untrimmedMib, unit: 'MiB', limit: 30 },
      { what: 'sample, release, traced and trimmed', value: mib(trimmed), unit: 'MiB', limit: 10 },
      { what: 'warm build of the trimmed sample', value: warm, unit: 's', limit: 1 },
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function sizesMarkdown(rows: readonly SizeRow[]): string {
  const lines = ['| what | measured | target |', '| --- | --- | --- |'];
  for (const r of rows) lines.push(`| ${r.what} | ${r.value.toFixed(r.unit === 's' ? 2 : 1)} ${r.unit} | at most ${r.limit} ${r.unit}${r.value <= r.limit ? '' : ' (missed)'} |`);
  return `${lines.join('\n')}\n`;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  process.stdout.write(sizesMarkdown(measureSizes()));
}
