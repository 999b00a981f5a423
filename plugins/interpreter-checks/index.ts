/**
 * Checks the interpreter config against what only the build knows, after
 * placement and before anything is written: the run module is in the
 * executable, and the stdio encoding and its error handler are ones the
 * distribution's interpreter knows (asked in one call, only when set).
 * Without this an executable would fail on every start.
 */
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { runModuleName } from '../../src/config/interpreter.js';
import { configWarning, suggestName } from '../../src/config/unmatched.js';
import { compileBytecode } from '../../src/link/bytecode.js';
import { configError, PlacedStage, runProgram, type OxidizePlugin, type PlacedResource, type PluginContext } from '../../src/plugin-api.js';

/** What `runModule` names (`module` or `module:function`), judged against the placed resources: undefined when it can run. */
export function runModuleProblem(runModule: string, resources: readonly PlacedResource[]): string | undefined {
  const module = runModuleName(runModule);
  const modules = new Map<string, boolean>();
  for (const r of resources) {
    if (r.type === 'python-module-source' || r.type === 'python-module-bytecode') modules.set(r.name, (modules.get(r.name) ?? false) || r.isPackage);
    else if (r.type === 'python-extension-module') modules.set(r.name, modules.get(r.name) ?? false);
  }
  if (!modules.has(module)) return `names module ${module}, which the executable does not carry`;
  // A function is called from the module itself; a package run as a module needs its __main__.
  if (module === runModule && modules.get(module) && !modules.has(`${module}.__main__`)) {
    return `names package ${module}, which has no __main__ module`;
  }
  return undefined;
}

const CHECK_ENCODING = `
import codecs, json, sys
problems = {}
try:
    codecs.lookup(sys.argv[1])
except LookupError:
    problems["encoding"] = sys.argv[1]
if len(sys.argv) > 2:
    try:
        codecs.lookup_error(sys.argv[2])
    except LookupError:
        problems["errors"] = sys.argv[2]
print(json.dumps(problems))
`;

async function checkEncoding(ctx: PluginContext, value: string): Promise<void> {
  const [encoding, errors] = value.split(':');
  const place = { file: ctx.options.configFile, target: ctx.options.target };
  const r = await runProgram(ctx.distribution.python, ['-I', '-S', '-c', CHECK_ENCODING, encoding, ...(errors !== undefined ? [errors] : [])], {
    env: { ...process.env, ...ctx.distribution.pythonEnv },
  });
  if (r.code !== 0) ctx.error(`cannot ask ${ctx.distribution.python} about encodings: ${r.stderr.trim().split('\n').pop()}`);
  const problems = JSON.parse(r.stdout) as { encoding?: string; errors?: string };
  if (problems.encoding !== undefined) {
    throw configError('CONFIG_VALUE', place, ['config', 'stdioEncoding'], `names encoding ${JSON.stringify(encoding)}, which Python ${ctx.distribution.version} does not know`, 'use an encoding name codecs.lookup() accepts, such as "utf-8" or "latin-1"');
  }
  if (problems.errors !== undefined) {
    throw configError('CONFIG_VALUE', place, ['config', 'stdioEncoding'], `names error handler ${JSON.stringify(errors)}, which Python ${ctx.distribution.version} does not know`, 'use strict, ignore, replace, backslashreplace or surrogateescape');
  }
}

/**
 * Compiles `runCommand` with the distribution's interpreter (through the
 * bytecode compiler and its cache), so a syntax error stops the build
 * instead of every run of the executable.
 */
async function checkCommand(ctx: PluginContext, command: string): Promise<void> {
  const { failures } = await compileBytecode(ctx.distribution, ctx.options.cacheDir, [
    { name: 'config.runCommand', source: Buffer.from(command), filename: '<string>', optimize: 0 },
  ]);
  const f = failures[0];
  if (!f) return;
  const s = f.syntax;
  const at = s?.line !== undefined ? ` at line ${s.line}${s.column !== undefined ? `, column ${s.column}` : ''}` : '';
  throw configError(
    'CONFIG_VALUE',
    { file: ctx.options.configFile, target: ctx.options.target },
    ['config', 'runCommand'],
    `does not compile: ${s ? `${s.type}${at}: ${s.msg}` : f.error}`,
    'fix the Python code of runCommand (it runs as python -c would run it)',
  );
}

/**
 * The `sysPaths` entries nothing searches: without `filesystemImporter`
 * only the payload's own directories on sys.path are (the executable's
 * path and directories under it, and the directories of packages installed
 * next to it under a `filesystem-relative:` prefix); anything else, a
 * directory of the host, is never looked at.
 */
export function unsearchedSysPaths(exeName: string, sysPaths: readonly string[], resources: readonly PlacedResource[]): Array<{ index: number; entry: string }> {
  const norm = (p: string) => path.posix.normalize(p).replace(/\/+$/, '');
  const own = [`$ORIGIN/${exeName}`];
  for (const r of resources) {
    if (r.location.startsWith('filesystem-relative:')) own.push(norm(`$ORIGIN/${r.location.slice('filesystem-relative:'.length)}`));
  }
  const roots = [...new Set(own)];
  return sysPaths.flatMap((entry, index) => {
    const n = norm(entry);
    return roots.some((root) => n === root || n.startsWith(`${root}/`)) ? [] : [{ index, entry }];
  });
}

/** Prints the names a module's source binds at its top level (also under if/try/with), and whether it may bind others unseen. */
const TOP_LEVEL_NAMES = `
import ast, base64, json, sys
tree = ast.parse(base64.b64decode(sys.stdin.read()))
names, dynamic = set(), False
def bind(target):
    for n in ast.walk(target):
        if isinstance(n, ast.Name):
            names.add(n.id)
def visit(body):
    global dynamic
    for node in body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, (ast.Assign, ast.AnnAssign, ast.AugAssign)):
            for t in (node.targets if isinstance(node, ast.Assign) else [node.target]):
                bind(t)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            for a in node.names:
                if a.name == "*":
                    dynamic = True
                names.add(a.asname or a.name.split(".")[0])
        elif isinstance(node, (ast.For, ast.AsyncFor)):
            bind(node.target)
        elif isinstance(node, (ast.With, ast.AsyncWith)):
            for item in node.items:
                if item.optional_vars is not None:
                    bind(item.optional_vars)
        for field in ("body", "orelse", "finalbody", "handlers"):
            inner = getattr(node, field, None)
            if isinstance(inner, list) and not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                visit(inner)
        if isinstance(node, ast.Try) or type(node).__name__ == "TryStar":
            for h in node.handlers:
                if h.name:
                    names.add(h.name)
visit(tree.body)
# globals()[...] = ..., or a module __getattr__, can bind names no statement shows.
if "__getattr__" in names or any(isinstance(n, ast.Name) and n.id in ("globals", "setattr") for n in ast.walk(tree)):
    dynamic = True
print(json.dumps({"names": sorted(names), "dynamic": dynamic}))
`;

/**
 * For `runModule: 'module:function'`, the function's first name must be
 * bound at the module's top level, or every run fails with ImportError.
 * Judged from the packed source (nothing is imported); a module that may
 * bind names dynamically, or has no source packed, is not judged.
 */
async function checkEntryFunction(ctx: PluginContext, runModule: string, resources: readonly PlacedResource[]): Promise<void> {
  const module = runModuleName(runModule);
  const func = runModule.slice(module.length + 1);
  const source = resources.find((r) => r.type === 'python-module-source' && r.name === module);
  if (!source || source.type !== 'python-module-source') return;
  const bytes = 'bytes' in source.source ? source.source.bytes : await fsp.readFile(source.source.path);
  const r = await runProgram(ctx.distribution.python, ['-I', '-S', '-c', TOP_LEVEL_NAMES], { input: Buffer.from(bytes).toString('base64'), env: { ...process.env, ...ctx.distribution.pythonEnv } });
  // A module that does not parse is reported by the bytecode compiler; nothing more to say here.
  if (r.code !== 0) return;
  const { names, dynamic } = JSON.parse(r.stdout) as { names: string[]; dynamic: boolean };
  const first = func.split('.')[0];
  // `from pkg import sub` imports the submodule pkg.sub.
  const submodule = `${module}.${first}`;
  if (dynamic || names.includes(first) || resources.some((x) => (x.type === 'python-module-source' || x.type === 'python-module-bytecode' || x.type === 'python-extension-module') && x.name === submodule)) return;
  const near = suggestName(first, names);
  ctx.warn(
    configWarning(
      { file: ctx.options.configFile, target: ctx.options.target },
      ['config', 'runModule'],
      `${JSON.stringify(runModule)} names ${first}, which ${module} does not define at its top level, so every run would fail with ImportError`,
      near ? `did you mean ${module}:${near}${func.slice(first.length)}?` : `name a function ${module} defines`,
    ),
  );
}

export function interpreterChecksPlugin(): OxidizePlugin {
  return {
    name: 'oxidize:interpreter-checks',
    apply(ctx) {
      const { config } = ctx.executable;
      ctx.hooks.placed.tapPromise({ name: 'oxidize:interpreter-checks', stage: PlacedStage.Check }, async (resources) => {
        // With Python's own finder on, the module may come from sysPaths at run time.
        if (config.runModule !== undefined && !config.filesystemImporter) {
          const problem = runModuleProblem(config.runModule, resources);
          if (problem) {
            const module = runModuleName(config.runModule);
            const near = problem.includes('__main__') ? undefined : suggestName(module, resources.flatMap((r) => (r.type === 'python-module-source' || r.type === 'python-module-bytecode' || r.type === 'python-extension-module' ? [r.name] : [])));
            const hint = problem.includes('__main__')
              ? `add a __main__.py to it, or name the function to call as module:function ('${module}.cli:main', say)`
              : near
                ? `did you mean ${near}${config.runModule.slice(module.length)}?`
                : 'add the module with addPythonResources (readPackageRoot, pipInstall, ...), or correct the name';
            throw configError('CONFIG_VALUE', { file: ctx.options.configFile, target: ctx.options.target }, ['config', 'runModule'], problem, hint);
          }
        }
        if (config.runModule?.includes(':') && !config.filesystemImporter) await checkEntryFunction(ctx, config.runModule, resources);
        if (config.sysPaths?.length && !config.filesystemImporter) {
          for (const { index, entry } of unsearchedSysPaths(ctx.executable.name, config.sysPaths, resources)) {
            ctx.warn(
              configWarning(
                { file: ctx.options.configFile, target: ctx.options.target },
                ['config', 'sysPaths', index],
                `${JSON.stringify(entry)} is never searched: without filesystemImporter only the executable's own directories on sys.path are ($ORIGIN/${ctx.executable.name}/...)`,
                'set config.filesystemImporter: true to import from it, or remove the entry',
              ),
            );
          }
        }
        if (config.runCommand !== undefined) await checkCommand(ctx, config.runCommand);
        if (config.stdioEncoding !== undefined) await checkEncoding(ctx, config.stdioEncoding);
        return resources;
      });
    },
  };
}
