/**
 * The commands registered from a table: each entry says its usage, options
 * and examples once, and the same entry feeds cac (parsing and --help), the
 * generated docs/cli.md and the test that runs every example. The work of
 * each command lives in commands/<name>.ts and is imported only when run.
 */
import type { CAC } from 'cac';
import { SUPPORTED_PYTHON_VERSIONS } from '../distribution/supported.js';

export interface OptionDef {
  /** cac's form: '--output <dir>', '--json'. */
  flags: string;
  description: string;
}

export interface CommandDef {
  /** cac's usage form: 'analyze <file>'. */
  usage: string;
  /** One line for the command list. */
  summary: string;
  /** More for `help <command>` and docs/cli.md (optional). */
  details?: string;
  /** The usage line shown in help when cac's would mislead (`run ... -- args`). */
  usageText?: string;
  options: readonly OptionDef[];
  /** Real command lines; a test runs each one. */
  examples: readonly string[];
  /** Runs the command with cac's positional arguments and options. */
  run(args: readonly unknown[], options: Record<string, unknown>): Promise<number>;
}

export const JSON_OPTION: OptionDef = { flags: '--json', description: 'Print the result as JSON' };
export const PATH_OPTION: OptionDef = { flags: '--path <dir>', description: 'Directory to find the config from, or the config file (default: the working directory)' };
export const RELEASE_OPTION: OptionDef = { flags: '--release', description: 'Release build: output under build/<triple>/release/, and env.release/ctx.release true' };
export const PYTHON_OPTION: OptionDef = { flags: '--python <interpreter>', description: `Interpreter whose distribution is embedded (overrides \`python\` in the config): CPython ${SUPPORTED_PYTHON_VERSIONS.join(' or ')}, with its static library and headers; another version is refused in one line naming it` };
export const OUTPUT_OPTION: OptionDef = { flags: '--output <dir>', description: "Put each target's directory in <dir> (<dir>/<target>/) instead of build/<triple>/<debug|release>/" };
export const VAR_OPTION: OptionDef = { flags: '--var <key=value>', description: "Set env.vars.<key> for a config exported as a function; the value is parsed as JSON when it is JSON (repeatable)" };
export const VAR_ENV_OPTION: OptionDef = { flags: '--var-env <key=env>', description: 'Set env.vars.<key> to the value of the environment variable <env> (repeatable)' };

export const QUIET_OPTION: OptionDef = { flags: '--quiet', description: 'Print only errors and the paths of what was built: no progress, status lines or warnings' };

export const NO_TRIM_OPTION: OptionDef = { flags: '--no-trim', description: 'Keep every module: switch module-trace trimming off' };
export const STRICT_IMPORTS_OPTION: OptionDef = { flags: '--strict-imports', description: 'Stop when a packed module imports something nothing packed or built in provides' };

const CONFIG_OPTIONS = [PATH_OPTION, RELEASE_OPTION, PYTHON_OPTION, OUTPUT_OPTION, VAR_OPTION, VAR_ENV_OPTION, QUIET_OPTION];

const build = () => import('./commands/build.js');

export const COMMANDS: readonly CommandDef[] = [
  {
    usage: 'build [...targets]',
    summary: 'Build targets (the default target if none is named)',
    details:
      'Resolves the named targets with their dependencies, in order, and builds what they return: executables, and install ' +
      'layouts (FileManifest). Prints the path of each executable, then of each install directory (or, with --json, both ' +
      'with their files); progress goes to stderr.\n\n' +
      'Build-tool mode: with --name and --wheel/--entry-point, no config file is read. The wheels are installed together by pip ' +
      'with --no-index (so first-party wheels that depend on each other never reach an index) into an executable named by ' +
      '--name; --entry-point pkg.mod runs the module like `python -m`, pkg.mod:func calls the function and exits with its ' +
      'result; --filesystem-resource places a package as files under lib/ next to the executable. The targets are `exe` and ' +
      'the default `install`, a directory holding the executable and its files.',
    options: [
      ...CONFIG_OPTIONS,
      JSON_OPTION,
      NO_TRIM_OPTION,
      STRICT_IMPORTS_OPTION,
      { flags: '--name <name>', description: 'Build-tool mode: file name of the executable' },
      { flags: '--entry-point <module[:function]>', description: 'Build-tool mode: what the executable runs' },
      { flags: '--wheel <file>', description: 'Build-tool mode: a wheel to install (repeatable)' },
      { flags: '--filesystem-resource <package>', description: 'Build-tool mode: place this package as files next to the executable (repeatable)' },
    ],
    examples: [
      'oxidize build',
      'oxidize build --release exe install',
      'oxidize build --json --output out',
      'oxidize build --name greet --entry-point greetapp.cli:main --wheel wheels/greetlib-1.0-py3-none-any.whl --wheel wheels/greetapp-1.0-py3-none-any.whl --output dist',
    ],
    run: async ([targets], o) => (await build()).buildCommand((targets as string[] | undefined) ?? [], o),
  },
  {
    usage: 'run',
    usageText: 'run [--target <name>] [options] [-- args...]',
    summary: 'Build a target, then run its executable with the arguments after --',
    details: 'Builds the target (default: the default target) and runs its executable, or the executable of the install layout it returns, with the arguments after `--`. Exits with the executable\'s status: while it runs, Ctrl-C is its to handle (an application that catches KeyboardInterrupt and exits 0 makes `oxidize run` exit 0), a SIGTERM sent to oxidize is passed to it, and an executable killed by a signal ends oxidize with the same signal. Interrupted while building, oxidize removes its temporary files and exits 130 (143 for SIGTERM).',
    options: [{ flags: '--target <name>', description: 'Target to build and run (default: the default target)' }, ...CONFIG_OPTIONS, NO_TRIM_OPTION],
    examples: ['oxidize run -- --name world', 'oxidize run --target install -- --name installed'],
    run: async (_args, o) => (await import('./commands/run.js')).runCommand(o.target as string | undefined, (o['--'] as string[] | undefined) ?? [], o),
  },
  {
    usage: 'trace',
    usageText: 'trace [--target <name>] [--name <name>] [options] [-- args...]',
    summary: 'Build a target untrimmed, run it once with the arguments after -- and record the modules it imports in traces/',
    details:
      'Builds the target (default: the default target) without module-trace trimming into build/<triple>/trace/, with ' +
      'module recording on, runs its executable once with the arguments after `--` and exits with its status. The modules ' +
      'imported by the program and its child processes (multiprocessing too) go to traces/<name>.txt beside the config: one ' +
      'sorted name a line under a comment saying how it was recorded. Traces accumulate; moduleTrace() reads them all. ' +
      '--list shows them.',
    options: [
      { flags: '--target <name>', description: 'Target to build and run (default: the default target)' },
      { flags: '--name <name>', description: 'File name of the trace in traces/ (default: the time of the run, so names sort in recording order)' },
      { flags: '--list', description: 'List the recorded traces with their module counts' },
      PATH_OPTION,
      PYTHON_OPTION,
      QUIET_OPTION,
    ],
    examples: ['oxidize trace -- --name world', 'oxidize trace --list'],
    run: async (_args, o) => (await import('./commands/trace.js')).traceCommand((o['--'] as string[] | undefined) ?? [], o),
  },
  {
    usage: 'licenses',
    summary: 'Print the licences of what a target\'s executable carries (as its COPYING.txt)',
    details:
      'Builds the target (default: the default target; a warm build reuses everything) and prints the licences of what its ' +
      'executable carries: Python\'s own, the libraries its extension modules link where the distribution says, and the ' +
      'License/License-Expression metadata and licence files of every packed Python distribution. The build writes the same ' +
      'text to COPYING.txt beside the executable (packagingPolicy.licensesFile names another file, or false for none).',
    options: [{ flags: '--target <name>', description: 'Target to build (default: the default target)' }, PATH_OPTION, RELEASE_OPTION, PYTHON_OPTION],
    examples: ['oxidize licenses', 'oxidize licenses --target exe'],
    run: async (_args, o) => (await import('./commands/licenses.js')).licensesCommand(o),
  },
  {
    usage: 'init-config-file <dir>',
    summary: 'Write a commented pyoxidizer.config.ts that builds a Python REPL, with an install target',
    details: 'Writes `<dir>/pyoxidizer.config.ts` (creating the directory), an executable named after the directory that starts the Python REPL, and an `install` target laying it out. Refuses to overwrite.',
    options: [],
    examples: ['oxidize init-config-file myapp'],
    run: async ([dir], _o) => (await import('./commands/init-config-file.js')).initConfigFileCommand(String(dir)),
  },
  {
    usage: 'list-targets',
    summary: "List the config's targets, the default one and their dependencies",
    options: [PATH_OPTION, RELEASE_OPTION, VAR_OPTION, VAR_ENV_OPTION, JSON_OPTION],
    examples: ['oxidize list-targets', 'oxidize list-targets --json'],
    run: async (_args, o) => (await import('./commands/list-targets.js')).listTargetsCommand(o),
  },
  {
    usage: 'analyze <file>',
    summary: 'Show what an executable needs (libraries, glibc, distributions) and what its payload holds',
    details:
      'Reads any ELF file: the shared libraries it needs, the highest GLIBC_ and GLIBCXX_ symbol versions it requires and the ' +
      'oldest release of common Linux distributions that provides them. For an oxidize executable also the payload: how it runs, ' +
      'its interpreter settings, resources by kind, the largest packages, the native modules with the system libraries they ' +
      'need, and whether every checksum verifies (exit status 1 when one does not).',
    options: [JSON_OPTION],
    examples: ['oxidize analyze build/x86_64-unknown-linux-gnu/debug/exe/sample', 'oxidize analyze --json /usr/bin/python3'],
    run: async ([file], o) => (await import('./commands/analyze.js')).analyzeCommand(String(file), { json: Boolean(o.json) }),
  },
  {
    usage: 'find-resources <dir>',
    summary: 'List what the resource scanner finds in a directory, one line per resource with its type',
    details: 'Classifies a directory as the build does (readPackageRoot, pipInstall and readVirtualenv share the scanner): module sources, package resources, distribution metadata, extension modules, shared libraries. Extension module suffixes come from the interpreter (--python).',
    options: [PYTHON_OPTION, JSON_OPTION],
    examples: ['oxidize find-resources sample'],
    run: async ([dir], o) => (await import('./commands/find-resources.js')).findResourcesCommand(String(dir), o),
  },
  {
    usage: 'cache <info|clear>',
    summary: 'Show where the cache is and what it holds (info), or empty it (clear)',
    details: 'The cache (OXIDIZE_CACHE_DIR, else $XDG_CACHE_HOME/oxidize, else ~/.cache/oxidize) holds runtime stubs, compiled bytecode, pip results, distributions and cargo\'s build directories. Clearing it is safe; the next build rebuilds what it needs. clear removes only the directories oxidize makes there (and names what else it left), so a mistyped OXIDIZE_CACHE_DIR loses no file of yours.',
    options: [JSON_OPTION],
    examples: ['oxidize cache info', 'oxidize cache clear'],
    run: async ([action], o) => (await import('./commands/cache.js')).cacheCommand(String(action), o),
  },
  {
    usage: 'stub <pack>',
    summary: 'Pack the optimized runtime stub for a distribution as an npm package (for machines without cargo or cc)',
    details:
      'Builds (or takes from the cache) the runtime stub for the distribution and writes an npm package directory named ' +
      '@oxidize-py/stub-<target triple>-cp<XY>-<first 8 hex of the distribution digest>, version the oxidize-py version: ' +
      'package.json with os/cpu/libc fields, the stub, and oxidize-stub.json (runtime sources digest, distribution digest, ' +
      'Python version, target triple, stub sha256). A build finds an installed one in node_modules (walking up from the ' +
      'config directory), the config\'s stubPath or the directories of OXIDIZE_STUB_PATH, checks its sha256 and uses it ' +
      'instead of cargo. With --with-distribution (an archive only) the package also holds the archive as ' +
      'distribution.tar.zst (its sha256 in the manifest) and is named @oxidize-py/python-<target triple>-cp<XY>: a ' +
      'distribution package, which a config names by version with PythonDistribution({ version }). ' +
      'Prints the package directory; `npm pack` or `npm publish` it.',
    options: [
      { flags: '--distribution <archive|host>', description: 'The distribution the stub links: a .tar.zst archive or host' },
      { flags: '--out <dir>', description: 'Directory to write the package directory in (default: the working directory)' },
      { flags: '--with-distribution', description: 'Also put the distribution archive in the package, making a distribution package found by Python version' },
      PYTHON_OPTION,
    ],
    examples: ['oxidize stub pack --distribution host --out stub-packages'],
    run: async ([action], o) => (await import('./commands/stub.js')).stubCommand(String(action), o),
  },
  {
    usage: 'help [command]',
    summary: 'Show the commands, or the options and examples of one command',
    options: [],
    examples: ['oxidize help build'],
    run: async () => {
      throw new Error('bug: help runs through registerCommands');
    },
  },
];

/** Registers every command of the table; `setAction` receives the command to run after parsing. */
export function registerCommands(cli: CAC, setAction: (run: () => Promise<number>) => void): void {
  for (const def of COMMANDS) {
    const cmd = cli.command(def.usage, def.summary);
    for (const o of def.options) cmd.option(o.flags, o.description);
    for (const e of def.examples) cmd.example(e);
    if (def.usageText) cmd.usage(def.usageText);
    cmd.action((...args: unknown[]) => {
      const options = args.pop() as Record<string, unknown>;
      setAction(def.usage.startsWith('help ') ? async () => showHelp(cli, args[0] as string | undefined) : () => def.run(args, options));
    });
  }
}

/** `oxidize help [command]`: the same text as `--help`. */
function showHelp(cli: CAC, name: string | undefined): number {
  if (name === undefined) {
    // The global help: cac has matched `help` itself as the command.
    cli.globalCommand.outputHelp();
    return 0;
  }
  const cmd = cli.commands.find((c) => c.isMatched(name));
  if (!cmd) {
    process.stderr.write(`oxidize: unknown command ${name}; run \`oxidize help\` for the commands\n`);
    return 2;
  }
  cmd.outputHelp();
  return 0;
}
