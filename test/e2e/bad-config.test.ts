/**
 * Wrong configs, one per row: each is one error line naming the config file
 * and the key path, a non-zero exit, and nothing written under build/.
 * Rows marked `build` are judged during the build (with the distribution's
 * interpreter, or against what the executable carries); the rest at load or
 * at toPythonExecutable(), before anything runs.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { cliPath, projectDir } from '../helpers/cli.js';

interface Row {
  /** The config's `toPythonExecutable` options (a JS literal), or a whole config file when it starts with `export` or `import`. */
  readonly config: string;
  /** Must appear in the error line. */
  readonly error: RegExp;
  /** Judged during the build: progress precedes the error unless --quiet. */
  readonly build?: boolean;
  /** Files of the project beside the config. */
  readonly files?: Record<string, string>;
}

const exe = (options: string) => options;
/** A whole config whose executable gets `args` through addPythonResources. */
const withSource = (args: string) =>
  `import { pipInstall, readPackageRoot, readVirtualenv } from 'oxidize';\nexport default { targets: { exe: { build: (ctx: any) => ctx.defaultPythonDistribution().toPythonExecutable({ name: 'x' }).addPythonResources(${args}) } } };`;
const ROWS: Row[] = [
  // The config file itself.
  { config: "export default { pyhton: 'python3', targets: { exe: { build: () => 1 } } };", error: /pyoxidizer\.config\.ts: pyhton is not a known key; did you mean python\?/ },
  { config: "export default { python: 5, targets: { exe: { build: () => 1 } } };", error: /: python is number 5, expected a string/ },
  { config: "export default { python: ' ', targets: { exe: { build: () => 1 } } };", error: /: python is empty/ },
  { config: "export default { plugins: {}, targets: { exe: { build: () => 1 } } };", error: /: plugins is an object, expected an array/ },
  { config: "export default { plugins: [{ apply() {} }], targets: { exe: { build: () => 1 } } };", error: /: plugins\[0\]\.name is missing/ },
  { config: "export default { plugins: [{ name: 'p' }], targets: { exe: { build: () => 1 } } };", error: /: plugins\[0\]\.apply is missing/ },
  { config: "export default { plugins: [{ name: 'p', apply: 'x' }], targets: { exe: { build: () => 1 } } };", error: /: plugins\[0\]\.apply is the string "x", expected a function/ },
  { config: "export default { targets: { exe: { bild: () => 1 } } };", error: /: targets\.exe\.bild is not a known key; did you mean build\?/ },
  { config: "export default { targets: { exe: { build: 1 } } };", error: /: targets\.exe\.build is number 1, expected a function/ },
  { config: "export default { targets: { exe: { default: 'yes', build: () => 1 } } };", error: /: targets\.exe\.default is the string "yes", expected true or false/ },
  { config: "export default { targets: { exe: { depends: 'a', build: () => 1 } } };", error: /: targets\.exe\.depends is the string "a", expected an array/ },
  { config: "export default { targets: { exe: { depends: [1], build: () => 1 } } };", error: /: targets\.exe\.depends\[0\] is number 1, expected a string/ },
  { config: "export default { targets: { '../../../../escape': { build: () => 1 } } };", error: /: targets\["\.\.\/\.\.\/\.\.\/\.\.\/escape"\] is not a plain file name/ },
  { config: "export default { targets: { '.': { build: () => 1 } } };", error: /: targets\["\."\] is not a plain file name/ },
  { config: "export default { targets: { '..': { build: () => 1 } } };", error: /: targets\["\.\."\] is not a plain file name/ },
  { config: "export default { targets: { 'a/b': { build: () => 1 } } };", error: /: targets\["a\/b"\] is not a plain file name/ },
  // Misspelt keys with no `targets`: the key meant, not only "must export ... targets".
  { config: "export default { pyhton: 'python3', target: { exe: { build: () => 1 } } };", error: /: pyhton is not a known key; did you mean python\?/ },
  { config: "export default { target: { exe: { build: () => 1 } } };", error: /: target is not a known key; did you mean targets\?/ },
  // A build() that makes an executable and returns nothing (`return exe` forgotten).
  { config: "export default { targets: { exe: { build: (ctx: any) => { ctx.defaultPythonDistribution().toPythonExecutable({ name: 'x' }); } } } };", error: /: targets\.exe → build\(\) made an executable with toPythonExecutable\(\) but returned nothing.*; return the executable from build\(\)/ },
  // Arguments of the source functions and addPythonResources (a config is often not type-checked).
  { config: withSource("readPackageRoot('.', 'pkg')"), error: /: targets\.exe → readPackageRoot\(path, packages, options\): packages is the string "pkg", expected an array of strings; list the package names in brackets: readPackageRoot\("\.", \["pkg"\]\)/ },
  { config: withSource("readPackageRoot(['.'], ['pkg'])"), error: /: targets\.exe → readPackageRoot\(path, packages, options\): path is an array, expected a string/ },
  { config: withSource("readPackageRoot('.', ['pkg'], { followSymlinksOutside: 'yes' })"), error: /: targets\.exe → readPackageRoot\(path, packages, options\): followSymlinksOutside is the string "yes", expected true or false/ },
  { config: withSource("pipInstall('requests six')"), error: /: targets\.exe → pipInstall\(args, options\): args is the string "requests six", expected an array of strings; give pip's arguments as an array: pipInstall\(\["requests", "six"\]\)/ },
  { config: withSource("pipInstall(['six'], { extraEnv: { A: 1 } })"), error: /: targets\.exe → pipInstall\(args, options\): extraEnv\.A is number 1, expected a string/ },
  { config: withSource("readVirtualenv(['venv'])"), error: /: targets\.exe → readVirtualenv\(path\): path is an array, expected a string/ },
  { config: withSource("'pkg'"), error: /: targets\.exe → addPythonResources\(\): argument 1 is the string "pkg", not a resource source or resource; to pack the package pkg, pass a source: readPackageRoot/ },
  { config: withSource("readPackageRoot('.', ['pkg']), undefined"), error: /: targets\.exe → addPythonResources\(\): argument 2 is undefined, not a resource source or resource/ },
  { config: withSource("[{ name: 'a' }]"), error: /: targets\.exe → addPythonResources\(\): argument 1\[0\] is an object, not a resource source or resource/ },
  // toPythonExecutable(): the executable's name and options.
  { config: exe('{}'), error: /: targets\.exe → name is missing/ },
  { config: exe("{ name: '' }"), error: /: targets\.exe → name is not a plain file name/ },
  { config: exe("{ name: '.' }"), error: /: targets\.exe → name is not a plain file name/ },
  { config: exe("{ name: '..' }"), error: /: targets\.exe → name is not a plain file name/ },
  { config: exe("{ name: '../../../../escape' }"), error: /: targets\.exe → name is not a plain file name/ },
  { config: exe("{ name: 'bin/app' }"), error: /: targets\.exe → name is not a plain file name/ },
  { config: exe('{ name: 5 }'), error: /: targets\.exe → name is number 5, expected a string/ },
  { config: exe("{ name: 'x', packagingpolicy: {} }"), error: /: targets\.exe → packagingpolicy is not a known key; did you mean packagingPolicy\?/ },
  { config: exe("{ name: 'x', config: 'repl' }"), error: /: targets\.exe → config is the string "repl", expected an object/ },
  { config: exe("{ name: 'x', plugins: [{ name: 'p' }] }"), error: /: targets\.exe → plugins\[0\]\.apply is missing/ },
  // The interpreter config.
  { config: exe("{ name: 'x', config: { runModul: 'app' } }"), error: /: targets\.exe → config\.runModul is not a known key; did you mean runModule\?/ },
  { config: exe("{ name: 'x', config: { runmodule: 'app' } }"), error: /: targets\.exe → config\.runmodule is not a known key; did you mean runModule\?/ },
  { config: exe("{ name: 'x', config: { runMode: 'script' } }"), error: /: targets\.exe → config\.runMode is the string "script", expected one of "repl", "none"/ },
  { config: exe("{ name: 'x', config: { runModule: 'app', runCommand: 'pass' } }"), error: /: targets\.exe → config sets runModule and runCommand; an executable runs one thing/ },
  { config: exe("{ name: 'x', config: { runModule: 'app', runMode: 'repl' } }"), error: /: targets\.exe → config sets runModule and runMode/ },
  { config: exe("{ name: 'x', config: { runCommand: 'pass', runFilename: 'a.py' } }"), error: /: targets\.exe → config sets runCommand and runFilename/ },
  { config: exe("{ name: 'x', config: { runModule: 'my-app' } }"), error: /: targets\.exe → config\.runModule is "my-app", not a dotted module name/ },
  { config: exe("{ name: 'x', config: { runCommand: '' } }"), error: /: targets\.exe → config\.runCommand is empty/ },
  { config: exe("{ name: 'x', config: { hashSeed: -1 } }"), error: /: targets\.exe → config\.hashSeed is -1, outside 0\.\.4294967295/ },
  { config: exe("{ name: 'x', config: { hashSeed: 4294967296 } }"), error: /: targets\.exe → config\.hashSeed is 4294967296, outside 0\.\.4294967295/ },
  { config: exe("{ name: 'x', config: { hashSeed: 1.5 } }"), error: /: targets\.exe → config\.hashSeed is number 1\.5, expected an integer/ },
  { config: exe("{ name: 'x', config: { optimizeLevel: 3 } }"), error: /: targets\.exe → config\.optimizeLevel is number 3, expected one of 0, 1, 2/ },
  { config: exe("{ name: 'x', config: { bytesWarning: '1' } }"), error: /: targets\.exe → config\.bytesWarning is the string "1", expected one of 0, 1, 2/ },
  { config: exe("{ name: 'x', config: { verbose: true } }"), error: /: targets\.exe → config\.verbose is boolean true, expected one of 0, 1, 2/ },
  { config: exe("{ name: 'x', config: { sysPaths: '$ORIGIN' } }"), error: /: targets\.exe → config\.sysPaths is the string "\$ORIGIN", expected an array/ },
  { config: exe("{ name: 'x', config: { sysPaths: [1] } }"), error: /: targets\.exe → config\.sysPaths\[0\] is number 1, expected a string/ },
  { config: exe("{ name: 'x', config: { sysFrozen: 'true' } }"), error: /: targets\.exe → config\.sysFrozen is the string "true", expected true or false/ },
  { config: exe("{ name: 'x', config: { terminfoResolution: 'auto' } }"), error: /: targets\.exe → config\.terminfoResolution is the string "auto", expected one of "dynamic", "none", "static"/ },
  { config: exe("{ name: 'x', config: { terminfoResolution: 'static' } }"), error: /: targets\.exe → config sets terminfoResolution 'static' without terminfoDirs/ },
  { config: exe("{ name: 'x', config: { writeModulesDirectoryEnv: 'A B' } }"), error: /: targets\.exe → config\.writeModulesDirectoryEnv is "A B", not an environment variable name/ },
  // The packaging policy.
  { config: exe("{ name: 'x', packagingPolicy: { resourcePolicy: 'in-memory-only' } }"), error: /: targets\.exe → packagingPolicy\.resourcePolicy is not a known key; did you mean resourcesPolicy\?/ },
  { config: exe("{ name: 'x', packagingPolicy: { resourcesPolicy: 'in-memory' } }"), error: /: targets\.exe → packagingPolicy\.resourcesPolicy is "in-memory", not a resources policy/ },
  { config: exe("{ name: 'x', packagingPolicy: { resourcesPolicy: 'filesystem-relative-only:../out' } }"), error: /: targets\.exe → packagingPolicy\.resourcesPolicy has prefix "\.\.\/out", which leaves the output directory/ },
  { config: exe("{ name: 'x', packagingPolicy: { resourceLocations: { app: 'memory' } } }"), error: /: targets\.exe → packagingPolicy\.resourceLocations\.app is "memory", not a location/ },
  { config: exe("{ name: 'x', packagingPolicy: { resourceLocations: { app: 'filesystem-relative:/abs' } } }"), error: /: targets\.exe → packagingPolicy\.resourceLocations\.app has prefix "\/abs", which leaves the output directory/ },
  { config: exe("{ name: 'x', packagingPolicy: { bytecodeOptimizeLevels: [3] } }"), error: /: targets\.exe → packagingPolicy\.bytecodeOptimizeLevels\[0\] is number 3, expected one of 0, 1, 2/ },
  { config: exe("{ name: 'x', packagingPolicy: { includeSources: false, bytecodeOptimizeLevels: [] } }"), error: /: targets\.exe → packagingPolicy has includeSources false and no bytecodeOptimizeLevels/ },
  { config: exe("{ name: 'x', packagingPolicy: { includeTest: 1 } }"), error: /: targets\.exe → packagingPolicy\.includeTest is number 1, expected true or false/ },
  { config: exe("{ name: 'x', packagingPolicy: { extensionModuleFilter: 'some' } }"), error: /: targets\.exe → packagingPolicy\.extensionModuleFilter is the string "some", expected one of "all", "minimal", "no-libraries", "no-gpl"/ },
  { config: exe("{ name: 'x', packagingPolicy: { exclude: 'tkinter' } }"), error: /: targets\.exe → packagingPolicy\.exclude is the string "tkinter", expected an array/ },
  { config: exe("{ name: 'x', packagingPolicy: { licensesFile: '../COPYING' } }"), error: /: targets\.exe → packagingPolicy\.licensesFile is not a plain file name/ },
  { config: exe("{ name: 'x', packagingPolicy: { licensesFile: true } }"), error: /: targets\.exe → packagingPolicy\.licensesFile is boolean true, expected a string or false/ },
  { config: exe("{ name: 'x', config: { fastExit: 'yes' } }"), error: /: targets\.exe → config\.fastExit is the string "yes", expected true or false/ },
  // Judged during the build.
  { config: exe("{ name: 'x', config: { stdioEncoding: 'no-such-codec' } }"), error: /: targets\.exe → config\.stdioEncoding names encoding "no-such-codec", which Python 3\.\d+\.\d+ does not know/, build: true },
  { config: exe("{ name: 'x', config: { stdioEncoding: 'utf-8:no-such-handler' } }"), error: /: targets\.exe → config\.stdioEncoding names error handler "no-such-handler"/, build: true },
  { config: exe("{ name: 'x', config: { runModule: 'not_carried' } }"), error: /: targets\.exe → config\.runModule names module not_carried, which the executable does not carry/, build: true },
  // runModule written as a path or as an entry point.
  { config: exe("{ name: 'x', config: { runModule: 'myapp/cli.py' } }"), error: /: targets\.exe → config\.runModule is "myapp\/cli\.py", not a dotted module name or module:function; write it as a module name: "myapp\.cli"$/ },
  { config: exe("{ name: 'x', config: { runModule: 'myapp.cli:' } }"), error: /: targets\.exe → config\.runModule is "myapp\.cli:", not a dotted module name or module:function; use a module name such as "myapp" or "myapp\.cli", or "myapp\.cli:main" to call a function/ },
  { config: exe("{ name: 'x', config: { runModule: 'json' } }"), error: /: targets\.exe → config\.runModule names package json, which has no __main__ module; add a __main__\.py to it, or name the function to call as module:function \('json\.cli:main', say\)/, build: true },
  { config: exe("{ name: 'x', config: { runModule: 'not_carried:main' } }"), error: /: targets\.exe → config\.runModule names module not_carried, which the executable does not carry/, build: true },
  { config: exe("{ name: 'x', config: { runModule: 'jsonn.tool:main' } }"), error: /: targets\.exe → config\.runModule names module jsonn\.tool, which the executable does not carry; did you mean json\.tool:main\?$/, build: true },
  // runCommand is compiled by the distribution's interpreter during the build.
  { config: exe("{ name: 'x', config: { runCommand: 'import sys\\nprint(1 +)' } }"), error: /: targets\.exe → config\.runCommand does not compile: SyntaxError at line 2, column \d+: invalid syntax; fix the Python code of runCommand/, build: true },
  { config: exe("{ name: 'x', config: { runCommand: 'if 1:\\n  a\\n    b' } }"), error: /: targets\.exe → config\.runCommand does not compile: IndentationError at line 3, column \d+: unexpected indent/, build: true },
  // readPackageRoot names that are not there: what to write instead.
  { config: withSource("readPackageRoot('src/myapp', ['myapp'])"), files: { 'src/myapp/__init__.py': '' }, build: true, error: /: targets\.exe → readPackageRoot\("src\/myapp", \["myapp"\]\): no package, module or metadata directory named 'myapp' in .*; src\/myapp is the package itself: give the directory that holds it, readPackageRoot\("src", \["myapp"\]\)$/ },
  { config: withSource("readPackageRoot('d', ['six.py'])"), files: { 'd/six.py': '' }, build: true, error: /: targets\.exe → readPackageRoot\("d", \["six\.py"\]\): no package.* named 'six\.py' in .*; name the module without \.py: readPackageRoot\("d", \["six"\]\)$/ },
  { config: withSource("readPackageRoot('d', ['ruamel.yaml', 'six'])"), files: { 'd/ruamel/yaml/__init__.py': '', 'd/six.py': '' }, build: true, error: /: no package.* named 'ruamel\.yaml' in .*; readPackageRoot takes top-level names: readPackageRoot\("d", \["ruamel", "six"\]\) packs ruamel \(a namespace package\) with ruamel\.yaml and everything else under ruamel\/$/ },
  { config: withSource("readPackageRoot('scr', ['myapp'])"), files: { 'src/myapp/__init__.py': '' }, build: true, error: /: targets\.exe → readPackageRoot\("scr", \.\.\.\): \S+\/scr does not exist; did you mean readPackageRoot\("src", \.\.\.\)\?$/ },
  { config: withSource("readPackageRoot('.', ['src/myapp/'])"), files: { 'src/myapp/__init__.py': '' }, build: true, error: /: no package.* named 'src\/myapp\/' in .*; names are package or module names, not paths: readPackageRoot\("src", \["myapp"\]\), or readPackageRoot\("\.", \["src"\]\) if src is a namespace package$/ },
  { config: withSource("readPackageRoot('src', ['myap'])"), files: { 'src/myapp/__init__.py': '' }, build: true, error: /: no package.* named 'myap' in .*; did you mean readPackageRoot\("src", \["myapp"\]\)\?$/ },
  { config: withSource("'src/myapp'"), error: /: targets\.exe → addPythonResources\(\): argument 1 is the string "src\/myapp", not a resource source or resource; to pack the package myapp, pass a source: readPackageRoot\("src", \["myapp"\]\)/ },
  // A target that throws: the config file's line.
  { config: "export default { targets: { exe: { build: (ctx: any) => {\n  const o: any = null;\n  return o.name;\n} } } };", error: /^oxidize: error: pyoxidizer\.config\.ts:3: target exe threw: Cannot read properties of null \(reading 'name'\); fix the target in the config file$/ },
];

function configFile(row: Row): string {
  if (row.config.startsWith('export') || row.config.startsWith('import')) return `${row.config}\n`;
  return `export default { targets: { exe: { build: (ctx: any) => ctx.defaultPythonDistribution().toPythonExecutable(${row.config}) } } };\n`;
}

function oxidizeAsync(args: string[], cwd: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cliPath, ...args], { cwd, env: { ...process.env, PYOXIDIZER_CONFIG: '' } });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

test(`${ROWS.length} wrong configs: one line each naming file and key, non-zero exit, nothing written`, async () => {
  assert.ok(ROWS.length >= 40);
  const failures: string[] = [];
  const queue = [...ROWS.entries()];
  // A few at a time: most rows fail before a distribution is even resolved.
  await Promise.all(
    Array.from({ length: 4 }, async () => {
      for (let next = queue.shift(); next; next = queue.shift()) {
        const [i, row] = next;
        const dir = projectDir({ ...row.files, 'pyoxidizer.config.ts': configFile(row) }, 'oxidize-bad-config-');
        const r = await oxidizeAsync(['build', ...(row.build ? ['--quiet'] : [])], dir);
        const lines = r.stderr.trimEnd().split('\n');
        const problem =
          r.code === 0 ? 'exit 0'
          : lines.length !== 1 ? `${lines.length} lines`
          : !/^oxidize: error: pyoxidizer\.config\.ts(:\d+)?: /.test(lines[0]) ? 'does not start by naming the file'
          : !row.error.test(lines[0]) ? `does not match ${row.error}`
          : r.stdout !== '' ? 'printed on stdout'
          : existsSync(path.join(dir, 'build')) ? 'wrote build/'
          : undefined;
        if (problem) failures.push(`row ${i} (${row.config}): ${problem}\n  ${r.stderr.trimEnd().split('\n').join('\n  ')}`);
      }
    }),
  );
  assert.deepEqual(failures, []);
});
