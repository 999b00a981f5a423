/**
 * Command-line parsing only: each command lives in commands/<name>.ts and is
 * imported when run. Errors end here as one line and an exit code.
 */
import { cac } from 'cac';
import { registerDistributionCommands } from './distribution-commands.js';
import { registerCommands } from './command-table.js';
import { reportError } from './report-error.js';
import { packageVersion } from './version.js';

export interface GlobalOptions {
  path?: string;
  release?: boolean;
  verbose?: boolean;
  quiet?: boolean;
  python?: string;
}

/** Parses argv and runs the command; resolves to the exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  const cli = cac('oxidize');
  let action: (() => Promise<number>) | undefined;
  const verbose = argv.includes('--verbose');

  cli.option('--path <dir>', 'Directory (or file) of the config; default: the working directory');
  cli.option('--release', 'Write to build/<triple>/release/ and tell the config (the runtime is always optimized)');
  cli.option('--verbose', 'Show details, cargo and pip output, and stack traces');
  cli.option('--quiet', 'Print only errors and the paths of the executables built');
  cli.option('--python <interpreter>', 'Interpreter of the host distribution');

  cli
    .command('build [...targets]', 'Build targets (the default target if none is named)')
    .example('oxidize build')
    .example('oxidize build --release exe install')
    .action((targets: string[], opts: GlobalOptions) => {
      action = async () => (await import('./commands/build.js')).buildCommand(targets, opts);
    });
  cli
    .command('run', 'Build a target, then run its executable with the arguments after --')
    .option('--target <name>', 'Target to build and run (default: the default target)')
    .example('oxidize run -- --name world')
    .action((opts: GlobalOptions & { target?: string; '--'?: string[] }) => {
      action = async () => (await import('./commands/run.js')).runCommand(opts.target, opts['--'] ?? [], opts);
    });
  cli
    .command('init-config-file <dir>', 'Write a commented pyoxidizer.config.ts that builds a Python REPL')
    .action((dir: string) => {
      action = async () => (await import('./commands/init-config-file.js')).initConfigFileCommand(dir);
    });
  registerDistributionCommands(cli, (run) => {
    action = run;
  });
  registerCommands(cli, (run) => {
    action = run;
  });

  cli.help();
  cli.version(packageVersion());
  try {
    cli.parse(['node', 'oxidize', ...argv], { run: true });
    if (cli.options.help || cli.options.version) return 0;
    if (!action) {
      const given = cli.args[0] ?? argv[0];
      if (given !== undefined) {
        process.stderr.write(`oxidize: unknown command ${given}; run \`oxidize --help\` for the commands\n`);
      } else {
        cli.outputHelp();
      }
      return 2;
    }
    return await action();
  } catch (e) {
    return reportError(e, verbose);
  }
}
