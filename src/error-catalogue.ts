/**
 * Every error code oxidize reports, with what it means and what to do by
 * default. docs/errors.md is generated from this list (npm run gen), and a
 * test checks that every code thrown in src/ and plugins/ is here.
 */
export interface ErrorEntry {
  /** What went wrong, in general terms. */
  readonly summary: string;
  /** What to do, when the error itself gives no more specific hint. */
  readonly hint?: string;
  /** The CLI's exit status. Default: 1. */
  readonly exit?: number;
}

export const ERROR_CATALOGUE = {
  // The command line.
  USAGE: { summary: 'The command line is not one oxidize understands (a missing option value, an unknown option, a missing argument).', hint: 'run `oxidize --help` for usage', exit: 2 },
  NOTHING_TO_RUN: { summary: '`oxidize run` resolved a target that returned no executable.', hint: 'name a target whose build returns an executable with --target' },
  CONFIG_EXISTS: { summary: '`init-config-file` would overwrite an existing config.', hint: 'remove it or choose another directory' },

  // Finding and loading the config.
  CONFIG_NOT_FOUND: { summary: 'No config file where oxidize looked (--path, PYOXIDIZER_CONFIG, the working directory and its parents).', hint: 'create one with `oxidize init-config-file <dir>`, or point to it with --path' },
  CONFIG_FAILED: { summary: 'Importing the config file, or calling the function it exports, threw.', hint: 'fix the error in the config file' },
  CONFIG_INVALID: { summary: 'The config file does not export a config (`export default defineConfig({ targets: { ... } })`).' },

  // The config's shape (checked when it is loaded and when a target returns an executable).
  CONFIG_UNKNOWN_KEY: { summary: 'The config has a key oxidize does not know (often a typo: the message suggests the key meant).', hint: 'remove it or correct its spelling' },
  CONFIG_TYPE: { summary: 'A config value has the wrong type (a string where a boolean is expected, ...).' },
  CONFIG_ENUM: { summary: 'A config value is not one of the allowed strings or numbers.' },
  CONFIG_RANGE: { summary: 'A config number is outside its allowed range.' },
  CONFIG_RUN_MODES: { summary: 'More than one way of running is set (runModule, runCommand, runFilename, runMode).', hint: 'keep exactly one of them' },
  CONFIG_NAME: { summary: 'A name that becomes a file or directory is not a plain file name (empty, `.`, `..`, or with `/`).', hint: 'use a plain file name such as "myapp"' },
  CONFIG_VALUE: { summary: 'A config value that only the distribution\'s interpreter can judge is invalid for it (an unknown encoding, a hash seed out of range, a run module the executable does not carry).' },
  BAD_CONFIG: { summary: 'Interpreter settings that do not go together.' },
  BAD_POLICY: { summary: 'A packaging policy that cannot be applied.' },

  // Targets.
  NO_TARGETS: { summary: 'The config defines no targets.', hint: 'add one under `targets` in the config' },
  MANY_DEFAULTS: { summary: 'More than one target is marked `default`.', hint: 'mark at most one target `default: true`' },
  UNKNOWN_TARGET: { summary: 'A target named on the command line or in `depends` does not exist.' },
  TARGET_CYCLE: { summary: 'Targets depend on each other in a cycle.', hint: 'remove one of the dependencies' },
  TARGET_NO_EXECUTABLE: { summary: 'A target\'s `build` made an executable with `toPythonExecutable()` but returned nothing (a forgotten `return exe`).', hint: 'return the executable from build()' },
  TARGET_FAILED: { summary: 'A target\'s `build` function threw.', hint: 'fix the target in the config file' },

  // Distributions.
  NO_PYTHON: { summary: 'No usable Python interpreter was found, or the one named cannot run.' },
  NO_STATIC_LIBPYTHON: { summary: 'The interpreter has no static libpython to link the runtime with.' },
  UNSUPPORTED_PYTHON: { summary: 'The interpreter\'s version is one oxidize does not support.' },
  UNSUPPORTED_PLATFORM: { summary: 'The interpreter is for a platform oxidize does not build for (only Linux).' },
  SHARED_LIBPYTHON: { summary: 'The distribution links libpython as a shared library; oxidize links it statically.' },
  PROBE_FAILED: { summary: 'Asking the distribution\'s interpreter about itself failed.' },
  BAD_DISTRIBUTION: { summary: '`PythonDistribution(...)` was given contradictory or missing options.' },
  BAD_SHA256: { summary: 'A sha256 given for a distribution is not 64 hexadecimal digits.' },
  SHA256_MISMATCH: { summary: 'A distribution archive\'s sha256 is not the one given.' },
  NO_ARCHIVE: { summary: 'A distribution archive cannot be read.' },
  BAD_ARCHIVE: { summary: 'A distribution archive is damaged or not a .tar.zst.' },
  UNSAFE_ARCHIVE: { summary: 'A distribution archive tries to write outside its directory, or is otherwise malformed.' },
  NO_PYTHON_JSON: { summary: 'A distribution archive has no python/PYTHON.json.' },
  BAD_PYTHON_JSON: { summary: 'A distribution\'s PYTHON.json is not one oxidize can use.' },
  UNSUPPORTED_PYTHON_JSON: { summary: 'A distribution\'s PYTHON.json has a format version oxidize does not read.' },
  DOWNLOAD_FAILED: { summary: 'Downloading a distribution failed.' },
  TARGET_EXISTS: { summary: 'The directory to extract a distribution into exists and is not empty.' },
  NO_DISTRIBUTION_PACKAGE: { summary: '`PythonDistribution({ version })` names a version no installed distribution package holds for this machine (or none with the sha256 given).', hint: 'install the package the message names, or name the archive by `url` or `localPath` with its sha256' },

  // Sources.
  PACKAGE_ROOT_MISSING: { summary: '`readPackageRoot` was given a directory that does not exist.' },
  PACKAGE_NOT_FOUND: { summary: '`readPackageRoot` found no package, module or metadata directory of a name asked for.' },
  NOT_A_VIRTUALENV: { summary: '`readVirtualenv` was given a directory that is not a virtualenv of the distribution\'s Python version.' },
  NO_PIP: { summary: 'The distribution\'s interpreter has no pip for `pipInstall`.' },
  PIP_FAILED: { summary: '`pip install` failed.' },
  SYMLINK_OUTSIDE_SOURCE: { summary: 'A symbolic link in a source directory points outside it.' },
  FILE_NAME_NOT_UTF8: { summary: 'A file or directory in a source directory has a name that is not UTF-8: the payload names what it holds in UTF-8.', hint: 'rename it (convmv -f latin1 -t utf8 --notest <file>), or move it out of the source directory' },

  // The pipeline and plugins.
  PLUGIN_FAILED: { summary: 'A plugin\'s tap (or its `apply`) threw an error that is not an oxidize error: the message names the plugin and the hook.' },
  PLUGIN_ERROR: { summary: 'A plugin stopped the build with `ctx.error(...)`.' },
  UNPLACED_RESOURCE: { summary: 'No `place` tap gave a resource a location.', hint: 'return a location for it from a place tap' },
  BAD_LOCATION: { summary: 'A resource location is not `in-memory` or `filesystem-relative:<prefix>` with a relative prefix.' },
  SPLIT_MODULE: { summary: 'A module\'s source and bytecode were given different location kinds.', hint: 'give its source and bytecode the same location' },
  FILE_IN_MEMORY: { summary: 'A plain file resource was placed in memory; files are installed next to the executable.' },
  IMPORT_SCAN_FAILED: { summary: 'Scanning bytecode for imports with the distribution\'s interpreter failed.' },
  NO_TRACES: { summary: 'moduleTrace() found no trace files to keep modules by.', hint: 'record one with `oxidize trace -- <arguments>`, or build with --no-trim' },
  UNSATISFIED_IMPORTS: { summary: 'With --strict-imports: packed modules import modules that nothing packed or built in provides.', hint: 'pack what they import, or drop --strict-imports' },

  // Linking.
  COMPILE_FAILED: { summary: 'Compiling a module to bytecode failed (a syntax error, or the compiler failed).' },
  NO_CARGO: { summary: 'cargo, needed once to build the runtime stub, cannot be run.' },
  NO_STUB_TOOLS: { summary: 'No prebuilt runtime stub is installed or cached, and cargo or cc, needed to build one, is missing.' },
  STUB_PACKAGE_ALTERED: { summary: "An installed stub or distribution package's stub or distribution archive does not match its manifest (its sha256, or the stub is no stub, or the archive holds another Python).", hint: 'reinstall the package (`npm ci`) or remove it' },
  STUB_BUILD_FAILED: { summary: 'Building the runtime stub with cargo failed.', hint: 'run with --verbose to see cargo\'s output' },
  PATH_OUTSIDE_OUTPUT: { summary: 'A file to write would land outside the output directory (through `..` or a symbolic link).' },
  LOCK_TIMEOUT: { summary: 'Another oxidize process held a cache lock for too long.' },
  CANNOT_WRITE: { summary: 'Writing output failed for a reason of the machine: a read-only or full file system, missing permissions.', hint: 'the message names the path and what to change' },

  // Other commands.
  BAD_TRACE_NAME: { summary: '`oxidize trace --name` was given something that is not a plain file name.' },
  TRACE_EXISTS: { summary: '`oxidize trace --name` names a trace that is already recorded.', hint: 'choose another --name, or delete the file to record it again' },
  ANALYZE_NO_FILE: { summary: '`oxidize analyze` was given a path that is not a file.' },
  ANALYZE_FAILED: { summary: '`oxidize analyze` could not read the file.' },
  NOT_A_DIRECTORY: { summary: '`oxidize find-resources` was given a path that is not a directory.' },
  CACHE_DIR_UNSAFE: { summary: '`oxidize cache clear` refuses to empty a cache directory that is the file system root or the home directory.', hint: 'point OXIDIZE_CACHE_DIR at a directory of its own' },
  BAD_VAR: { summary: 'A `--var` or `--var-env` is not KEY=VALUE with a KEY of letters, digits and `_`.', exit: 2 },
  VAR_ENV_UNSET: { summary: 'A `--var-env KEY=ENV` names an environment variable that is not set.' },

  // Install layouts.
  INSTALL_FAILED: { summary: 'A target\'s FileManifest cannot be written (two files at one path, a path leaving the install directory, a missing source file).', hint: 'fix the FileManifest the target returns' },

  // Build-tool mode (build --name --wheel --entry-point).
  BUILD_TOOL_NAME: { summary: 'Build-tool mode was asked for without `--name`.', hint: 'add --name <file name>', exit: 2 },
  BUILD_TOOL_CONFIG: { summary: 'Build-tool mode reads no config file, so `--path`, `--var` and `--var-env` do not apply.', exit: 2 },
  BUILD_TOOL_NOTHING: { summary: 'Build-tool mode was given neither `--wheel` files nor an `--entry-point`.', exit: 2 },
  BAD_ENTRY_POINT: { summary: '`--entry-point` is not `module` or `module:function`.', hint: 'write it like myapp.cli or myapp.cli:main', exit: 2 },
  BAD_NAME: { summary: '`--name` is not a plain file name.', exit: 2 },
  NOT_A_WHEEL: { summary: 'A `--wheel` is not a .whl file.', exit: 2 },
} as const satisfies Record<string, ErrorEntry>;

export type ErrorCode = keyof typeof ERROR_CATALOGUE;

export function catalogueEntry(code: string): ErrorEntry | undefined {
  return (ERROR_CATALOGUE as Record<string, ErrorEntry>)[code];
}

/** docs/errors.md, generated from the catalogue. */
export function renderErrorsDoc(): string {
  const rows = Object.entries(ERROR_CATALOGUE as Record<string, ErrorEntry>).map(
    ([code, e]) => `| \`${code}\` | ${e.exit ?? 1} | ${e.summary} | ${e.hint ?? ''} |`,
  );
  return `# Errors

<!-- Generated from src/error-catalogue.ts by \`npm run gen\`; do not edit. -->

A mistake oxidize can name is printed as one line, \`oxidize: error: <message>; <what to do>\`,
and the command exits with the status below. \`--verbose\` adds the error's code, the plugin
and hook it came from, and the chain of causes with their stacks. Errors a plugin raises carry
the plugin's name. Anything else is a bug in oxidize or a plugin: it says so, and \`--verbose\`
shows its stack.

| code | exit | meaning | default hint |
| --- | --- | --- | --- |
${rows.join('\n')}
`;
}
