/**
 * Reads the JUnit-style XML regrtest writes with `--junit-xml`: one
 * `<testcase name="test.test_x.Class.test_y">` per test, holding `<skipped>`,
 * `<failure>` or `<error>` when it did not pass (`<output>` marks an expected
 * failure, which counts as a pass). A test whose only failures were in
 * `subTest`s is written as a nameless `<testcase />`: it is left out, so it
 * shows up as missing.
 */

export type Outcome = 'pass' | 'fail' | 'skip';

export interface TestResult {
  readonly outcome: Outcome;
  /** The skip reason, or the failure's message and traceback. */
  readonly detail: string;
}

const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

function unescape(s: string): string {
  return s.replace(/&(#x[0-9a-fA-F]+|#\d+|\w+);/g, (all, e: string) => {
    if (e.startsWith('#x')) return String.fromCodePoint(parseInt(e.slice(2), 16));
    if (e.startsWith('#')) return String.fromCodePoint(parseInt(e.slice(1), 10));
    return ENTITIES[e] ?? all;
  });
}

function attributes(s: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of s.matchAll(/([\w:-]+)="([^"]*)"/g)) out.set(m[1], unescape(m[2]));
  return out;
}

/** The first child element `tag` of a testcase body: its attributes and text. */
function child(body: string, tag: string): { attrs: Map<string, string>; text: string } | undefined {
  const m = new RegExp(`<${tag}\\b([^>]*?)(?:/>|>([\\s\\S]*?)</${tag}>)`).exec(body);
  return m ? { attrs: attributes(m[1]), text: unescape(m[2] ?? '') } : undefined;
}

/** Test id -> result, for every named test case in the document. */
export function parseJunit(xml: string): Map<string, TestResult> {
  const out = new Map<string, TestResult>();
  for (const m of xml.matchAll(/<testcase\b([^>]*?)(?:\/>|>([\s\S]*?)<\/testcase>)/g)) {
    const name = attributes(m[1]).get('name');
    if (!name) continue;
    const body = m[2] ?? '';
    const failed = child(body, 'error') ?? child(body, 'failure');
    const skipped = child(body, 'skipped');
    let result: TestResult;
    if (failed) result = { outcome: 'fail', detail: failed.text || failed.attrs.get('message') || '' };
    else if (skipped) result = { outcome: 'skip', detail: skipped.text || skipped.attrs.get('message') || '' };
    else result = { outcome: 'pass', detail: '' };
    // A test id seen twice keeps its worst outcome.
    const prev = out.get(name);
    if (!prev || prev.outcome === 'pass' || (prev.outcome === 'skip' && result.outcome === 'fail')) out.set(name, result);
  }
  return out;
}
