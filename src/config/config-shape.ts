/**
 * The config's shape, described once: it validates the config when it is
 * loaded and each executable's options at `toPythonExecutable()`, and it
 * renders schemas/config.schema.json (npm run gen).
 */
import type { OxidizePlugin } from '../pipeline/plugin.js';
import type { PythonExecutableOptions } from '../pipeline/executable.js';
import type { OxidizeConfig, TargetDefinition } from './define.js';
import type { InterpreterConfig } from './interpreter.js';
import { EXTENSION_MODULE_FILTERS, type PackagingPolicy } from './policy.js';
import { anyOf, arrayOf, boolean, field, fn, integer, jsonSchema, object, oneOf, recordOf, string, type Shape, type ShapeIssue } from './shape.js';

/** A name that becomes a file or directory: no path separators, not `.` or `..`, not empty. */
export function plainFileName(what: string) {
  return (v: string): Omit<ShapeIssue, 'path'> | undefined =>
    v === '' || v === '.' || v === '..' || /[/\\\0]/.test(v)
      ? { code: 'CONFIG_NAME', message: `is not a plain file name (it names ${what})`, hint: 'use a name without /, and not . or ..' }
      : undefined;
}

/** A relative directory below the output directory (a location's or policy's prefix). */
function relativePrefix(v: string): boolean {
  return !v.startsWith('/') && !v.split('/').includes('..') && !v.includes('\0');
}

const POLICY = /^(in-memory-only|filesystem-relative-only:.*|prefer-in-memory-fallback-filesystem-relative:.*)$/;
const LOCATION = /^(in-memory|filesystem-relative:.*)$/;

const resourcesPolicy = string({
  pattern: POLICY,
  check: (v) =>
    !POLICY.test(v)
      ? { code: 'CONFIG_ENUM', message: `is ${JSON.stringify(v)}, not a resources policy`, hint: 'use in-memory-only, filesystem-relative-only:<prefix> or prefer-in-memory-fallback-filesystem-relative:<prefix>' }
      : v.includes(':') && !relativePrefix(v.slice(v.indexOf(':') + 1))
        ? { code: 'CONFIG_NAME', message: `has prefix ${JSON.stringify(v.slice(v.indexOf(':') + 1))}, which leaves the output directory`, hint: 'use a relative prefix without ..' }
        : undefined,
});

const location = string({
  pattern: LOCATION,
  check: (v) =>
    !LOCATION.test(v)
      ? { code: 'CONFIG_ENUM', message: `is ${JSON.stringify(v)}, not a location`, hint: "use 'in-memory' or 'filesystem-relative:<prefix>'" }
      : v.includes(':') && !relativePrefix(v.slice(v.indexOf(':') + 1))
        ? { code: 'CONFIG_NAME', message: `has prefix ${JSON.stringify(v.slice(v.indexOf(':') + 1))}, which leaves the output directory`, hint: 'use a relative prefix without ..' }
        : undefined,
});

/** `module` or `module:function`, each dotted. */
const RUN_MODULE = /^[A-Za-z_]\w*(\.[A-Za-z_]\w*)*(:[A-Za-z_]\w*(\.[A-Za-z_]\w*)*)?$/;

function runModuleCheck(v: string): Omit<ShapeIssue, 'path'> | undefined {
  if (RUN_MODULE.test(v)) return undefined;
  // `myapp/cli.py`, `myapp.cli.py`, `python -m myapp`: say what to write instead.
  const guess = v.replace(/^python3?\s+-m\s+/, '').replace(/\.py$/, '').replace(/\//g, '.');
  const hint = RUN_MODULE.test(guess)
    ? `write it as a module name: "${guess}"`
    : 'use a module name such as "myapp" or "myapp.cli", or "myapp.cli:main" to call a function (its return value is the exit status)';
  return { code: 'CONFIG_NAME', message: `is ${JSON.stringify(v)}, not a dotted module name or module:function`, hint };
}

const RUN_MODES = ['runModule', 'runCommand', 'runFilename', 'runMode'] as const;

const nonEmpty = (what: string) => (v: string) => (v.trim() === '' ? { code: 'CONFIG_TYPE' as const, message: `is empty`, hint: `give ${what}` } : undefined);

export const interpreterConfigShape = object<InterpreterConfig>(
  'InterpreterConfig',
  {
    runModule: field(
      'Run this module (a package: its `__main__`) as `__main__`, as `python -m NAME` finds it and as a script runs: `__package__` is None, `sys.argv[0]` the executable. `module:function` calls the function instead, as a console-script entry point does: its return value is the exit status.',
      string({ pattern: RUN_MODULE, check: runModuleCheck }),
    ),
    runCommand: field('Run this code, like `python -c CODE`.', string({ check: nonEmpty('the code to run') })),
    runFilename: field('Run this file, like `python FILE` (read from the filesystem at run time).', string({ check: nonEmpty('a file name') })),
    runMode: field(
      '`repl` starts the interactive interpreter; `none` starts and stops the interpreter without running anything; `python` makes the executable the python3 command. Default: repl unless a run* field is set.',
      oneOf('repl', 'none', 'python'),
    ),
    sysPaths: field('Entries for sys.path; $ORIGIN is the executable\'s directory. Searched only with filesystemImporter.', arrayOf(string())),
    filesystemImporter: field('Keep Python\'s path-based finder after the in-memory one.', boolean),
    inMemoryModuleFile: field('Give in-memory modules a __file__ under the executable\'s path (default true).', boolean),
    inMemoryFileView: field('Serve file access under the executable\'s path (open, os.stat, os.listdir, pathlib) from the payload, read-only (default true).', boolean),
    sysFrozen: field('Set sys.frozen = True.', boolean),
    sysMeipass: field('Set sys._MEIPASS to the executable\'s directory.', boolean),
    siteImport: field('Import site at start-up.', boolean),
    userSiteDirectory: field('Add the user site-packages directory (with siteImport).', boolean),
    ignoreEnvironment: field('Ignore PYTHON* environment variables (-E).', boolean),
    isolated: field('Isolated mode (-I).', boolean),
    optimizeLevel: field('sys.flags.optimize (-O, -OO).', oneOf(0, 1, 2)),
    bytesWarning: field('Warn (1) or raise (2) on bytes/str comparisons (-b, -bb).', oneOf(0, 1, 2)),
    unbufferedStdio: field('Unbuffered stdout and stderr (-u).', boolean),
    stdioEncoding: field('Encoding of stdin, stdout and stderr, optionally with ":errors" ("utf-8:strict"); checked with the distribution\'s interpreter at build time.', string({ check: nonEmpty('an encoding name such as "utf-8"') })),
    writeBytecode: field('Write .pyc files for modules imported from the filesystem.', boolean),
    useHashSeed: field('Use hashSeed for str hashing instead of a random seed.', boolean),
    hashSeed: field('The hash seed when useHashSeed is on (0 to 4294967295, as PYTHONHASHSEED).', integer(0, 4294967295)),
    quiet: field('No version banner in the REPL (-q).', boolean),
    inspect: field('Enter the REPL after running (-i).', boolean),
    interactive: field('Treat stdin as interactive even when it is not a terminal.', boolean),
    parserDebug: field('Parser debug output (-d).', boolean),
    verbose: field('Trace imports (-v).', oneOf(0, 1, 2)),
    writeModulesDirectoryEnv: field('Name of an environment variable naming a directory to write the loaded modules to at exit.', string({ pattern: /^[A-Za-z_][A-Za-z0-9_]*$/, check: (v) => (/^[A-Za-z_][A-Za-z0-9_]*$/.test(v) ? undefined : { code: 'CONFIG_NAME', message: `is ${JSON.stringify(v)}, not an environment variable name`, hint: 'use letters, digits and _' }) })),
    terminfoResolution: field('How TERMINFO_DIRS is set: dynamic, none or static (terminfoDirs).', oneOf('dynamic', 'none', 'static')),
    terminfoDirs: field('Colon-separated terminfo directories for terminfoResolution static.', string()),
    fastExit: field('End the process after atexit handlers and flushing, without finalizing the interpreter (not for runFilename, the REPL or inspect).', boolean),
  },
  {
    rules: [
      (c) => {
        const set = RUN_MODES.filter((k) => c[k] !== undefined);
        return set.length > 1 ? { code: 'CONFIG_RUN_MODES', message: `sets ${set.join(' and ')}; an executable runs one thing`, hint: `keep one of ${set.join(', ')}` } : undefined;
      },
      (c) =>
        c.terminfoResolution === 'static' && c.terminfoDirs === undefined
          ? { code: 'BAD_CONFIG', message: "sets terminfoResolution 'static' without terminfoDirs", hint: 'set terminfoDirs to the terminfo directories, colon-separated' }
          : undefined,
    ],
  },
);

export const packagingPolicyShape = object<PackagingPolicy>(
  'PackagingPolicy',
  {
    resourcesPolicy: field('Where resources go: in-memory-only, filesystem-relative-only:<prefix>, prefer-in-memory-fallback-filesystem-relative:<prefix>.', resourcesPolicy),
    resourceLocations: field('Locations by package, module or metadata directory name, overriding the policy.', recordOf(location)),
    includeTest: field('Pack the standard library\'s test packages.', boolean),
    includeSources: field('Pack module source beside bytecode.', boolean),
    bytecodeOptimizeLevels: field('Optimization levels to compile bytecode at.', arrayOf(oneOf(0, 1, 2))),
    includeStdlib: field('Pack the distribution\'s standard library.', boolean),
    extensionModuleFilter: field('Which of the distribution\'s extension modules to pack: all, minimal, no-libraries, no-gpl.', oneOf(...EXTENSION_MODULE_FILTERS)),
    exclude: field('Modules and packages to leave out, each with everything below it; * matches any characters.', arrayOf(string({ check: nonEmpty('a module name or pattern') }))),
    licensesFile: field('File in the output directory listing the licences of what is packed; false writes none.', anyOf(string({ check: plainFileName('the licence file') }), oneOf(false))),
  },
  {
    rules: [
      (p) =>
        p.includeSources === false && Array.isArray(p.bytecodeOptimizeLevels) && p.bytecodeOptimizeLevels.length === 0
          ? { code: 'BAD_POLICY', message: 'has includeSources false and no bytecodeOptimizeLevels: modules would have no code', hint: 'add a level, for example [0]' }
          : undefined,
    ],
  },
);

export const pluginShape = object<OxidizePlugin>(
  'OxidizePlugin',
  {
    name: field('Shown in progress and in errors the plugin causes.', string({ check: nonEmpty('the plugin a name') }), true),
    apply: field('Taps the hooks of each build, given a plugin context.', fn, true),
  },
  { open: true },
);

export const executableOptionsShape = object<PythonExecutableOptions>('PythonExecutableOptions', {
  name: field('File name of the executable.', string({ check: plainFileName('the executable') }), true),
  config: field('How the interpreter starts and what it runs.', interpreterConfigShape),
  packagingPolicy: field('What is packed and where.', packagingPolicyShape),
  plugins: field('Plugins for this executable only, applied after the config\'s.', arrayOf(pluginShape)),
});

export const targetShape = object<TargetDefinition>('TargetDefinition', {
  default: field('Built when no target is named on the command line.', boolean),
  depends: field('Targets resolved before this one.', arrayOf(string())),
  build: field('Returns a PythonExecutable to build it, or any value for dependants.', fn, true),
});

export const configShape = object<OxidizeConfig>('OxidizeConfig', {
  python: field('Interpreter of the host distribution (--python overrides).', string({ check: nonEmpty('an interpreter path or name') })),
  plugins: field('Plugins applied to every executable of this config.', arrayOf(pluginShape)),
  stubPath: field(
    'Directories searched for prebuilt stub and distribution packages after node_modules and before OXIDIZE_STUB_PATH, relative to the config file\'s directory; missing ones are skipped.',
    arrayOf(string({ check: nonEmpty('a directory') })),
  ),
  targets: field('Targets by name, in registration order.', recordOf(targetShape, plainFileName('the target\'s output directory')), true),
});

/** schemas/config.schema.json: the config, with the executable options under `definitions`. */
export function renderConfigSchema(): string {
  const schema = {
    $schema: 'http://json-schema.org/draft-07/schema#',
    ...jsonSchema(configShape, 'The config exported by pyoxidizer.config.ts (defineConfig).'),
    definitions: {
      PythonExecutableOptions: jsonSchema(executableOptionsShape, 'Options of toPythonExecutable().'),
    },
  };
  return `${JSON.stringify(schema, null, 2)}\n`;
}

export type { Shape };
