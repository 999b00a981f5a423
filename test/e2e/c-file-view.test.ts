/**
 * C code reads packed files from memory: a database next to a module opened
 * by sqlite3, a document parsed by libxml2 through lxml (with Debian's
 * python3-lxml), and the C library's open, fopen, stat and access called
 * through ctypes, all on paths under the executable that only the payload
 * holds. Writing is refused (sqlite3 opens read-only), and paths outside the
 * executable behave as before.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { buildProject, projectDir, run } from '../helpers/cli.js';

const CONFIG = (extra: string) => `
import { defineConfig, readPackageRoot } from 'oxidize';
export default defineConfig({
  targets: {
    exe: {
      build: (ctx) =>
        ctx.defaultPythonDistribution()
          .toPythonExecutable({ name: 'capp', config: { runModule: 'capp' } })
          .addPythonResources(readPackageRoot('.', ['capp']))${extra},
    },
  },
});
`;

const MAIN = `
import ctypes, errno, os, sqlite3, sys, tempfile
import capp

here = os.path.dirname(capp.__file__)
db = os.path.join(here, "data.db")
assert db.startswith(sys.executable + "/"), db

if sys.argv[1:] == ["threads"]:
    # One connection shared by threads: sqlite3 checks for a hot journal (access of <db>-journal) holding
    # the connection's mutex, which a thread holding the GIL may wait for. Answered without the GIL.
    from concurrent.futures import ThreadPoolExecutor
    shared = sqlite3.connect(db, check_same_thread=False)
    with ThreadPoolExecutor(8) as pool:
        counts = set(pool.map(lambda i: shared.execute("select count(*) from t where x > ?", (i % 3,)).fetchone()[0], range(500)))
    print("threads", sorted(counts))
    sys.exit(0)


connection = sqlite3.connect(db)
print("rows", connection.execute("select x from t").fetchall())
try:
    connection.execute("insert into t values (1)")
    connection.commit()
except sqlite3.OperationalError as e:
    print("write", e)

libc = ctypes.CDLL(None, use_errno=True)
libc.fopen.restype = ctypes.c_void_p
libc.fopen.argtypes = [ctypes.c_char_p, ctypes.c_char_p]
libc.fread.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_size_t, ctypes.c_void_p]
libc.fclose.argtypes = [ctypes.c_void_p]
f = libc.fopen(os.fsencode(os.path.join(here, "note.txt")), b"r")
buf = ctypes.create_string_buffer(64)
n = libc.fread(buf, 1, 63, f)
libc.fclose(f)
print("fopen", buf.raw[:n])
print("fopen w", libc.fopen(os.fsencode(os.path.join(here, "note.txt")), b"w"), errno.errorcode[ctypes.get_errno()])
print("open missing", libc.open(os.fsencode(os.path.join(here, "missing.txt")), os.O_RDONLY), errno.errorcode[ctypes.get_errno()])
print("access", libc.access(os.fsencode(db), os.R_OK), libc.access(os.fsencode(db), os.W_OK), errno.errorcode[ctypes.get_errno()])


class Stat(ctypes.Structure):
    # struct stat on x86_64 Linux, up to st_size.
    _fields_ = [("dev", ctypes.c_ulong), ("ino", ctypes.c_ulong), ("nlink", ctypes.c_ulong), ("mode", ctypes.c_uint),
                ("uid", ctypes.c_uint), ("gid", ctypes.c_uint), ("pad", ctypes.c_int), ("rdev", ctypes.c_ulong),
                ("size", ctypes.c_long), ("rest", ctypes.c_char * 128)]


st = Stat()
print("stat", libc.stat(os.fsencode(db), ctypes.byref(st)), oct(st.mode), st.size == os.path.getsize(db) > 0)
print("stat dir", libc.stat(os.fsencode(here), ctypes.byref(st)), oct(st.mode))

# Outside the executable nothing changed: a database in a temporary directory is written.
with tempfile.TemporaryDirectory() as tmp:
    other = sqlite3.connect(os.path.join(tmp, "w.db"))
    other.execute("create table u(y)")
    other.execute("insert into u values (7)")
    other.commit()
    print("elsewhere", other.execute("select y from u").fetchall())
    other.close()

if len(sys.argv) > 1:
    from lxml import etree
    print("lxml", etree.parse(os.path.join(here, "doc.xml")).getroot().findtext("a"))
`;

function project(extra = ''): string {
  const dir = projectDir(
    { 'pyoxidizer.config.ts': CONFIG(extra), 'capp/__init__.py': '', 'capp/__main__.py': MAIN, 'capp/note.txt': 'a packed note\n', 'capp/doc.xml': '<r><a>parsed</a></r>\n' },
    'oxidize-cfiles-',
  );
  const made = spawnSync('python3', ['-c', 'import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); c.execute("create table t(x)"); c.execute("insert into t values (42)"); c.commit()', path.join(dir, 'capp/data.db')], { encoding: 'utf8' });
  assert.equal(made.status, 0, made.stderr);
  return dir;
}

const EXPECTED = [
  'rows [(42,)]',
  'write attempt to write a readonly database',
  "fopen b'a packed note\\n'",
  'fopen w None EROFS',
  'open missing -1 ENOENT',
  'access 0 -1 EROFS',
  'stat 0 0o100644 True',
  'stat dir 0 0o40755',
  'elsewhere [(7,)]',
];

test('C code opens, reads and stats packed files in memory; writing is refused; other paths are untouched', () => {
  const dir = project();
  const [exe] = buildProject(dir);
  const r = run(exe, [], { cwd: dir });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, EXPECTED.join('\n') + '\n');
  // Threads sharing a connection to the packed database: no deadlock between sqlite's mutex and the GIL.
  for (let i = 0; i < 3; i++) {
    const t = spawnSync(exe, ['threads'], { cwd: dir, encoding: 'utf8', timeout: 60_000 });
    assert.equal(t.signal, null, `run ${i} hung (killed by ${t.signal})`);
    assert.equal(t.status, 0, t.stderr);
    assert.equal(t.stdout, 'threads [1]\n');
  }
});

const LXML = '/usr/lib/python3/dist-packages/lxml';
test('lxml parses a packed document by its path (Debian python3-lxml)', { skip: !existsSync(LXML) && "needs Debian's python3-lxml" }, () => {
  const dir = project(`.addPythonResources(readPackageRoot('${path.dirname(LXML)}', ['lxml']))`);
  const [exe] = buildProject(dir, ['--python', '/usr/bin/python3.11']);
  const r = run(exe, ['lxml'], { cwd: dir });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, [...EXPECTED, 'lxml parsed'].join('\n') + '\n');
});
