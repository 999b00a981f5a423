/**
 * A small distribution description for pipeline tests: a standard library
 * of a few files on disk (with test packages and a lib-dynload extension),
 * enough for every collect, filter and place tap; nothing here links.
 */
import type { PythonDistribution } from '../../src/distribution/types.js';
import { projectDir } from './cli.js';

export const SUFFIX = '.cpython-311-x86_64-linux-gnu.so';

export function smallDistribution(): PythonDistribution {
  const root = projectDir({
    'lib/json/__init__.py': 'STDLIB = True\n',
    'lib/json/decoder.py': '',
    'lib/os.py': '',
    'lib/test/__init__.py': '',
    'lib/test/test_json.py': '',
    'lib/unittest/__init__.py': '',
    'lib/unittest/test/__init__.py': '',
    'lib/site-packages/thirdparty.py': '',
    // Debian's site hook, a link to /etc/python3.X/sitecustomize.py there.
    'lib/sitecustomize.py': 'import apport_python_hook\n',
    'lib/usercustomize.py': '',
    [`lib/lib-dynload/_speedups${SUFFIX}`]: '\x7fELF',
  }, 'oxidize-dist-');
  return {
    id: 'small-test-distribution',
    origin: { kind: 'host', location: '/nonexistent/python3' },
    python: '/nonexistent/python3',
    pythonEnv: {},
    version: '3.11.2',
    versionShort: '3.11',
    cacheTag: 'cpython-311',
    magic: 'a70d0d0a',
    stdlibDir: `${root}/lib`,
    dynloadDir: `${root}/lib/lib-dynload`,
    includeDir: `${root}/include`,
    link: { staticLibrary: `${root}/libpython3.11.a`, objects: [], args: [] },
    extensionSuffixes: [SUFFIX, '.abi3.so', '.so'],
    builtinModules: ['sys', '_io'],
    targetTriple: 'x86_64-unknown-linux-gnu',
    licenses: ['Python-2.0'],
    extensionModules: async () => [],
  };
}
