/**
 * The link phase's core tap: builds (or reuses) the runtime stub, writes the
 * payload after it, and installs the executable atomically.
 */
import * as path from 'node:path';
import type { Build, LinkContext } from '../pipeline/build.js';
import { Stage } from '../pipeline/plugin.js';
import { serializePayload } from '../payload/writer.js';
import { writeFileAtomic } from '../util/fs.js';
import { assertWritableInside } from '../util/inside.js';
import { payloadLayout } from './elf-section.js';
import { ensureStub } from './stub.js';
import { interpreterRecords } from './interpreter-records.js';
import { planLink } from './link-plan.js';
import { IMPORTER_MODULES } from './importer-modules.js';
import { installFiles } from './install.js';

export interface LinkStats {
  stubBuilt: boolean;
  compiled: number;
}

export function applyLinker(build: Build, stats: LinkStats): void {
  build.hooks.link.tapPromise({ name: 'oxidize:executable', stage: Stage.Default }, async (ctx: LinkContext) => {
    const warn = (m: string) => process.stderr.write(`oxidize: warning: ${m}\n`);
    const stub = await ensureStub(build.distribution, {
      cacheDir: build.options.cacheDir,
      onOutput: build.options.verbose ? (c) => process.stderr.write(c) : undefined,
      onBuild: () => build.log('building the runtime stub with cargo (once per distribution)'),
      warn,
    });
    stats.stubBuilt = stub.built;
    const { entries, installs, compiled } = await planLink([...IMPORTER_MODULES, ...ctx.resources], build.distribution, build.policy, build.options.cacheDir, warn);
    stats.compiled = compiled;
    ctx.files.push(...(await installFiles(build.options.outputDir, installs, warn)));
    const stubBytes = stub.bytes;
    const layout = payloadLayout(stubBytes);
    const payload = serializePayload(entries, interpreterRecords(build.executable.config), layout.payloadOffset);
    ctx.payloadBytes = payload.reduce((n, c) => n + c.length, 0);
    await assertWritableInside(build.options.outputDir, ctx.executablePath);
    await writeFileAtomic(ctx.executablePath, [...layout.head(ctx.payloadBytes), ...payload], 0o755);
    ctx.files.push(path.relative(build.options.outputDir, ctx.executablePath));
  });
}
