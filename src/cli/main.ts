/**
 * Command-line parsing only: each command lives in commands/<name>.ts and is
 * imported when run. Errors end here as one line and an exit code.
 */
import { cac, type CAC } from 'cac';
import { registerDistributionCommands } from './distribution-commands.js';
import { registerCommands } from './command-table.js';
import { installInterruptHandlers } from '../util/interrupt.js';
import { reportError } from './report-error.js';
import { packageVersion } from './version.js';

export interface GlobalOptions {
  path?: string;
  release?: boolean;
  verbose?: boolean;
  quiet?: boolean;
  python?: string;
}

/** The CLI definition: every command and option; `setAction` receives the parsed command's work. */
export function createCli(setAction: (run: () => Promise<number>) => void): CAC {
  const cli = cac('oxidize');
  // Options that apply to some commands only are declared on those commands (command-table.ts).
  cli.option('--verbose', 'Show details, cargo and pip output, and stack traces');
  registerCommands(cli, setAction);
  registerDistributionCommands(cli, setAction);
  cli.help();
  cli.version(packageVersion());
  return cli;
}

/**
 * argv with every boolean option written in kebab case (`--strict-imports`)
 * given in the camel case cac stores it under. cac tells its argument parser
 * the camel-case names of boolean options only, so `--strict-imports jinja`
 * took `jinja` as the option's value and built the default target. Nothing
 * after `--` (the program's own arguments) is touched.
 */
export function normalizeBooleanFlags(cli: CAC, argv: readonly string[]): string[] {
  const renames = new Map<string, string>();
  for (const command of [cli.globalCommand, ...cli.commands]) {
    for (const option of command.options) {
      const flag = option.rawName.split(',').map((f) => f.trim()).find((f) => /^--[a-z0-9]+(-[a-z0-9]+)+$/.test(f));
      if (option.isBoolean && !option.negated && flag) renames.set(flag, `--${option.names[0]}`);
    }
  }
  const end = argv.indexOf('--');
  return argv.map((a, i) => (end >= 0 && i > end ? a : (renames.get(a) ?? a)));
}

/** Parses argv and runs the command; resolves to the exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  // Ctrl-C and SIGTERM stop child processes and remove temporaries (src/util/interrupt.ts).
  installInterruptHandlers();
  let action: (() => Promise<number>) | undefined;
  const verbose = argv.includes('--verbose');
  const cli = createCli((run) => {
    action = run;
  });
  try {
    cli.parse(['node', 'oxidize', ...normalizeBooleanFlags(cli, argv)], { run: true });
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
