/**
 * The CLI's progress: one listr2 task per phase with counts, the running
 * plugin's name in the title, driven only by interceptors on the build's
 * hooks (and the executable writer's `buildingStub` hook). A failed phase
 * is marked, never described: the error is printed once, by the CLI.
 */
import * as path from 'node:path';
import { Listr, ListrLogger, ProcessOutput } from 'listr2';
import { executableHooks } from '../link/linker.js';
import type { Build } from '../pipeline/build.js';
import type { HookName, LinkContext } from '../pipeline/hooks.js';
import type { ResourceCollection } from '../resources/collection.js';
import type { PlacedResource } from '../resources/types.js';

export interface ProgressOptions {
  /** Where progress goes. Default: stderr (stdout carries only what commands print for scripts). */
  stream?: NodeJS.WriteStream | NodeJS.WritableStream;
  /** `default` redraws in place (a terminal); `simple` prints one line per event (CI, pipes, --verbose). */
  renderer?: 'default' | 'simple';
}

/** Returned to the build's runner, which settles it when the phases end. */
export interface Progress {
  settle(error?: unknown): Promise<void>;
}

interface Deferred {
  promise: Promise<string>;
  resolve(title: string): void;
  reject(e: Error): void;
}

function deferred(): Deferred {
  let resolve!: (t: string) => void;
  let reject!: (e: Error) => void;
  const promise = new Promise<string>((res, rej) => ((resolve = res), (reject = rej)));
  promise.catch(() => {});
  return { promise, resolve, reject };
}

/** What progress changes on a running listr2 task. */
interface TaskHandle {
  title: string;
  output: string;
}

interface Phase {
  readonly name: 'collect' | 'filter' | 'place' | 'link';
  title: string;
  /** A note shown under the task (given before listr2 may have started it). */
  output?: string;
  plugin?: string;
  task?: TaskHandle;
  started: boolean;
  settled: boolean;
  readonly end: Deferred;
}

/** The renderer the CLI uses: redrawing only on a terminal outside CI, and not with --verbose (its lines would tear the drawing). */
export function defaultRenderer(verbose: boolean): 'default' | 'simple' {
  return Boolean(process.stderr.isTTY) && !process.env.CI && !verbose ? 'default' : 'simple';
}

function megabytes(n: number): string {
  return `${(n / 1048576).toFixed(1)} MiB`;
}

/** A failure the renderer shows as a mark without text (listr2 prints a message only when it is non-empty). */
function silentFailure(): Error {
  return new Error('');
}

export function attachProgress(build: Build, options: ProgressOptions = {}): Progress {
  const exe = build.executable.name;
  const phases: Phase[] = (['collect', 'filter', 'place', 'link'] as const).map((name) => ({
    name,
    title: `${exe}: ${name}`,
    started: false,
    settled: false,
    end: deferred(),
  }));
  const [collect, filter, place, link] = phases;
  const setTitle = (p: Phase, title: string) => {
    p.title = title;
    if (p.task) p.task.title = title;
  };
  const running = (p: Phase, plugin: string | undefined) => {
    if (!plugin || p.plugin === plugin || p.settled) return;
    p.plugin = plugin;
    setTitle(p, `${exe}: ${p.name} (${plugin})`);
  };
  const finish = (p: Phase, title: string) => {
    if (p.settled) return;
    p.settled = true;
    p.end.resolve(title);
  };
  const fail = (p: Phase) => {
    if (p.settled) return;
    p.settled = true;
    p.end.reject(silentFailure());
  };

  const watch = (hookName: HookName, phase: Phase, on: { call?: (...a: never[]) => void; result?: (r: never) => void; done?: () => void }) => {
    build.hooks[hookName].intercept({
      name: 'oxidize:progress',
      call: on.call as never,
      tap: (tap: { name: string; plugin?: string }) => running(phase, tap.plugin ?? tap.name),
      result: on.result as never,
      done: on.done,
      error: () => fail(phase),
    } as never);
  };
  let before = 0;
  let linkCtx: LinkContext | undefined;
  watch('collect', collect, { result: (c: ResourceCollection) => finish(collect, `${exe}: collected ${c.size} resources`) });
  watch('filter', filter, {
    call: (c: ResourceCollection) => void (before = c.size),
    result: (c: ResourceCollection) => finish(filter, `${exe}: kept ${c.size} resources, dropped ${before - c.size}`),
  });
  watch('place', place, {});
  watch('placed', place, {
    result: (list: PlacedResource[]) => {
      const mem = list.filter((r) => r.location === 'in-memory').length;
      finish(place, `${exe}: placed ${mem} in memory, ${list.length - mem} on the filesystem`);
    },
  });
  watch('link', link, {
    call: (ctx: LinkContext) => void (linkCtx = ctx),
    done: () => {
      const where = linkCtx ? path.relative(process.cwd(), linkCtx.executablePath) || linkCtx.executablePath : exe;
      finish(link, `${exe}: linked ${where} (payload ${megabytes(linkCtx?.payloadBytes ?? 0)})`);
    },
  });
  executableHooks.owned(build).buildingStub.tap('oxidize:progress', () => {
    link.output = 'building the runtime stub with cargo (once per distribution; later builds reuse it)';
    if (link.task) link.task.output = link.output;
  });

  const stream = options.stream ?? process.stderr;
  const logger = new ListrLogger({ processOutput: new ProcessOutput(stream as NodeJS.WriteStream, stream as NodeJS.WriteStream) });
  const tasks = new Listr(
    phases.map((p) => ({
      title: p.title,
      task: async (_ctx: unknown, task: TaskHandle) => {
        p.task = task;
        task.title = p.title;
        if (p.output) task.output = p.output;
        task.title = await p.end.promise;
      },
    })),
    {
      renderer: options.renderer ?? 'default',
      fallbackRenderer: 'simple',
      exitOnError: true,
      registerSignalListeners: false,
      rendererOptions: { collapseErrors: false, showErrorMessage: false, logger },
      fallbackRendererOptions: { logger },
    },
  );
  const run = tasks.run().catch(() => {});
  return {
    async settle(error?: unknown) {
      for (const p of phases) {
        if (error === undefined) finish(p, p.title);
        else fail(p);
      }
      await run;
    },
  };
}
