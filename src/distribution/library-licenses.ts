/**
 * Licences of the libraries CPython's extension modules commonly link, by
 * library name (as in `-lname`). Used where a distribution does not state
 * them itself (the host interpreter); a library missing here is reported as
 * unknown rather than guessed.
 */
const GLIBC = 'LGPL-2.1-or-later';

const TABLE: Record<string, readonly string[]> = {
  // The C library and its parts (dynamic, part of every Linux system).
  c: [GLIBC],
  m: [GLIBC],
  dl: [GLIBC],
  pthread: [GLIBC],
  rt: [GLIBC],
  util: [GLIBC],
  'ld-linux-x86-64': [GLIBC],
  'ld-linux-aarch64': [GLIBC],
  crypt: [GLIBC],
  nsl: ['LGPL-2.1-or-later'],
  tirpc: ['BSD-3-Clause'],
  z: ['Zlib'],
  expat: ['MIT'],
  ssl: ['Apache-2.0'],
  crypto: ['Apache-2.0'],
  ffi: ['MIT'],
  bz2: ['bzip2-1.0.6'],
  lzma: ['0BSD'],
  sqlite3: ['blessing'],
  uuid: ['BSD-3-Clause'],
  mpdec: ['BSD-2-Clause'],
  readline: ['GPL-3.0-or-later'],
  edit: ['BSD-3-Clause'],
  ncursesw: ['X11'],
  ncurses: ['X11'],
  panelw: ['X11'],
  panel: ['X11'],
  tinfo: ['X11'],
  gdbm: ['GPL-3.0-or-later'],
  gdbm_compat: ['GPL-3.0-or-later'],
  db: ['Sleepycat'],
  'tcl8.6': ['TCL'],
  'tk8.6': ['TCL'],
  'tclstub8.6': ['TCL'],
  'tkstub8.6': ['TCL'],
  X11: ['X11'],
};

/** SPDX identifiers of a library's licence, or undefined when not known. */
export function libraryLicenses(name: string): readonly string[] | undefined {
  return TABLE[name];
}

/** Libraries of the C library itself: linked by everything, not an extension module's own dependency. */
export function isCLibrary(name: string): boolean {
  return TABLE[name]?.[0] === GLIBC && name !== 'crypt';
}
