/**
 * The commands registered from a table: each entry says its usage, options
 * and examples once, and the same entry feeds cac (parsing and --help), the
 * generated docs/cli.md and the test that runs every example. The work of
 * each command lives in commands/<name>.ts and is imported only when run.
 */
import type { CAC } from 'cac';

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

export const COMMANDS: readonly CommandDef[] = [
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
      setAction(() => def.run(args, options));
    });
  }
}
