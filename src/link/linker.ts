/**
 * The built-in link plugin: builds (or reuses) the runtime stub, writes the
 * payload after it, and installs the executable atomically. It owns hooks
 * (`executableHooks`) through which progress learns of a cold stub build.
 */
import * as path from 'node:path';
import { SyncHook } from 'tapable';
import type { PluginContext } from '../pipeline/context.js';
import { LinkStage, type LinkContext } from '../pipeline/hooks.js';
import { createHooksRegistry } from '../pipeline/hooks-registry.js';
import type { OxidizePlugin } from '../pipeline/plugin.js';
import { serializePayload } from '../payload/writer.js';
import { removeOrphanedTemporaries, writeFileAtomic } from '../util/fs.js';
import { assertWritableInside } from '../util/inside.js';
import { payloadLayout } from './elf-section.js';
import { ensureStub } from './stub.js';
import { interpreterRecords } from './interpreter-records.js';
import { compressColdData, compressLibraries } from './compress.js';
import { planLink } from './link-plan.js';
import { IMPORTER_MODULES } from './importer-modules.js';
import { installFiles } from './install.js';

/** A payload entry as written: kind and flags from the format table, slot bytes (compressed where flagged). */
export interface WrittenEntry {
  readonly kind: number;
  readonly name: string;
  readonly flags: number;
  readonly slots: ReadonlyArray<Uint8Array | undefined>;
}

export interface LinkStats {
  /** The runtime stub was built by cargo now (not taken from the cache). */
  stubBuilt: boolean;
  /** Modules compiled now (not taken from the bytecode cache). */
  compiled: number;
  /** What the payload holds, as written (for the size report and the import analysis). */
  entries?: readonly WrittenEntry[];
  /** Size of the runtime stub the payload follows. */
  stubBytes?: number;
}

/** The build summary's warning about modules that do not compile (at most `shown` named). */
export function uncompiledWarning(uncompiled: ReadonlyArray<{ readonly name: string; readonly error: string }>, shown = 5): string | undefined {
  if (uncompiled.length === 0) return undefined;
  const sorted = [...uncompiled].sort((a, b) => (a.name < b.name ? -1 : 1));
  const listed = sorted.slice(0, shown).map((u) => `${u.name} (${u.error})`);
  const more = sorted.length > shown ? `, and ${sorted.length - shown} more (--verbose lists them)` : '';
  const noun = uncompiled.length === 1 ? 'module does' : 'modules do';
  return `${uncompiled.length} ${noun} not compile and ${uncompiled.length === 1 ? 'is' : 'are'} packed as source (importing raises the error): ${listed.join(', ')}${more}`;
}

/** Hooks of the executable writer, per build. */
export const executableHooks = createHooksRegistry('oxidize:executable', () => ({
  /** Called before cargo builds the runtime stub, which happens once per distribution. */
  buildingStub: new SyncHook<[]>([]),
  /** Called once the executable is written. */
  written: new SyncHook<[LinkStats]>(['stats']),
}));

/** Hooks of the executable writer, for other plugins to tap. */
export const getExecutableHooks = (ctx: PluginContext) => executableHooks.of(ctx);

export function writeExecutablePlugin(): OxidizePlugin {
  return {
    name: 'oxidize:executable',
    apply(ctx) {
      const hooks = executableHooks.owned(ctx);
      ctx.hooks.link.tapPromise({ name: 'oxidize:executable', stage: LinkStage.Executable }, async (link: LinkContext) => {
        const { distribution, options, policy } = ctx;
        const warn = (m: string) => ctx.warn(m);
        // Leftovers of a build of this output that was killed while writing.
        await removeOrphanedTemporaries(options.outputDir);
        const stub = await ensureStub(distribution, {
          cacheDir: options.cacheDir,
          packages: { fromDir: options.configDir, dirs: options.stubPath },
          onOutput: options.verbose ? (c) => process.stderr.write(c) : undefined,
          onBuild: () => hooks.buildingStub.call(),
          warn,
        });
        const { entries, installs, compiled, uncompiled } = await planLink([...IMPORTER_MODULES, ...link.resources], distribution, policy, options.cacheDir, warn);
        // The runtime inflates with the packed zlib module: without it, sources and resources stay uncompressed.
        if (link.resources.some((r) => r.type === 'python-extension-module' && r.name === 'zlib')) {
          const c = await compressColdData(entries, options.cacheDir, warn);
          ctx.log(`compressed ${c.count} sources and resources: ${c.before} -> ${c.after} bytes`);
        }
        const libs = await compressLibraries(entries, options.cacheDir, warn);
        ctx.log(`compressed ${libs.count} extension modules and shared libraries (LZ4): ${libs.before} -> ${libs.after} bytes`);
        const notCompiled = uncompiledWarning(uncompiled, options.verbose ? Infinity : 5);
        if (notCompiled) warn(`${ctx.executable.name}: ${notCompiled}`);
        link.files.push(...(await installFiles(options.outputDir, installs, warn)));
        const layout = payloadLayout(stub.bytes);
        const payload = serializePayload(entries, interpreterRecords(ctx.executable.config), layout.payloadOffset);
        link.payloadBytes = payload.reduce((n, c) => n + c.length, 0);
        await assertWritableInside(options.outputDir, link.executablePath);
        await writeFileAtomic(link.executablePath, [...layout.head(link.payloadBytes), ...payload], 0o755);
        link.files.push(path.relative(options.outputDir, link.executablePath));
        ctx.log(`stub ${stub.from}, ${compiled} modules compiled`);
        hooks.written.call({ stubBuilt: stub.built, compiled, entries, stubBytes: stub.bytes.length });
      });
    },
  };
}
