import { promises as fsp } from 'node:fs';
import { analyzeFile } from '../../analyze/analyze.js';
import { renderReport } from '../../analyze/render.js';
import { OxidizeError } from '../../errors.js';

export interface AnalyzeOptions {
  json?: boolean;
}

/** `oxidize analyze <file>`: libraries, glibc floor, and an oxidize executable's payload. */
export async function analyzeCommand(file: string, opts: AnalyzeOptions): Promise<number> {
  if (!(await fsp.stat(file).then((s) => s.isFile(), () => false))) {
    throw new OxidizeError('ANALYZE_NO_FILE', `${file} is not a file`, 'give the path of an executable or shared library');
  }
  let report;
  try {
    report = await analyzeFile(file);
  } catch (e) {
    throw new OxidizeError('ANALYZE_FAILED', `${file}: ${e instanceof Error ? e.message : String(e)}`, 'analyze reads ELF files and oxidize executables');
  }
  process.stdout.write(opts.json ? `${JSON.stringify(report, null, 2)}\n` : renderReport(report));
  // A payload whose checksums do not match is reported and fails the command, so scripts notice.
  const sums = report.payload?.checksums;
  return sums && (!sums.metadata || sums.blobsFailed.length > 0) ? 1 : 0;
}
