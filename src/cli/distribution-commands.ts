/**
 * Registers the python-distribution-* commands (each in commands/<name>.ts,
 * imported when run).
 */
import type { CAC } from 'cac';
import { PYTHON_OPTION } from './command-table.js';
import type { GlobalOptions } from './main.js';

export function registerDistributionCommands(cli: CAC, setAction: (run: () => Promise<number>) => void): void {
  cli
    .command('python-distribution-create', 'Write the host interpreter as a python-build-standalone style archive')
    .option('--from-host <archive>', 'Output .tar.zst file (the host interpreter is --python or the default one)')
    .option(PYTHON_OPTION.flags, PYTHON_OPTION.description)
    .example('oxidize python-distribution-create --from-host cpython-host.tar.zst')
    .action((opts: GlobalOptions & { fromHost?: string }) => {
      setAction(async () => (await import('./commands/python-distribution-create.js')).pythonDistributionCreateCommand(opts));
    });
  cli
    .command('python-distribution-extract <archive> <dir>', 'Extract a distribution archive (.tar.zst) into a new directory')
    .action((archive: string, dir: string) => {
      setAction(async () => (await import('./commands/python-distribution-extract.js')).pythonDistributionExtractCommand(archive, dir));
    });
  cli
    .command('python-distribution-info <archive|host>', 'Describe a distribution: version, target, paths, link inputs')
    .option(PYTHON_OPTION.flags, PYTHON_OPTION.description)
    .action((which: string, opts: GlobalOptions) => {
      setAction(async () => (await import('./commands/python-distribution-info.js')).pythonDistributionInfoCommand(which, opts));
    });
  cli
    .command('python-distribution-licenses <archive|host>', 'List each extension module with the libraries it links and their licences')
    .option(PYTHON_OPTION.flags, PYTHON_OPTION.description)
    .action((which: string, opts: GlobalOptions) => {
      setAction(async () => (await import('./commands/python-distribution-licenses.js')).pythonDistributionLicensesCommand(which, opts));
    });
}
