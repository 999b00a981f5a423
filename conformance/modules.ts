/**
 * The CPython test modules the conformance harness runs, by area: all of
 * those about importing, inspection, tracebacks, the command line,
 * subprocesses and the interpreter, and a broad sample of the rest.
 *
 * Left out for time (each takes minutes on two cores and adds nothing the
 * others do not cover): test_asyncio, test_concurrent_futures and the fork
 * and forkserver variants of the multiprocessing tests (spawn, which starts
 * sys.executable, stays), and the slowest of the sample (test_io, test_ssl,
 * test_xmlrpc, test_logging, test_selectors, test_lzma, test_bz2,
 * test_zipfile, test_lib2to3, test_pickle). test_socket hangs under python3
 * itself here.
 */

export const MODULES: Readonly<Record<string, readonly string[]>> = {
  'importing': [
    'test_import', 'test_importlib', 'test_imp', 'test_pkg', 'test_pkgutil', 'test_runpy', 'test_zipimport',
    'test_zipimport_support', 'test_modulefinder', 'test_module', 'test_frozen', 'test_site', 'test___all__',
    'test_sundry', 'test_future', 'test_future3', 'test_future4', 'test_future5', 'test___future__',
    'test_source_encoding', 'test_utf8source', 'test_py_compile', 'test_compileall', 'test_zipapp',
    'test_sysconfig', 'test_getpath', 'test_support', 'test_script_helper', 'test_unicode_identifiers',
  ],
  'inspection': [
    'test_inspect', 'test_pydoc', 'test_pyclbr', 'test_dis', 'test_linecache', 'test_code',
    'test_code_module', 'test_codeop', 'test_frame', 'test_symtable', 'test_ast', 'test_tokenize',
    'test_tabnanny', 'test_doctest', 'test_doctest2', 'test_trace', 'test_pdb', 'test_bdb',
    'test_sys_settrace', 'test_sys_setprofile', 'test_cprofile', 'test_profile', 'test_pstats', 'test_timeit',
    'test_tracemalloc', 'test_gc', 'test_funcattrs', 'test_dataclasses', 'test_rlcompleter', 'test_keyword',
    'test_warnings', 'test_audit', 'test_reprlib',
  ],
  'tracebacks': [
    'test_traceback', 'test_exceptions', 'test_exception_group', 'test_except_star', 'test_baseexception',
    'test_exception_hierarchy', 'test_exception_variations', 'test_raise', 'test_faulthandler', 'test_cgitb',
    'test_syntax', 'test_eof', 'test_compile',
  ],
  'command line': [
    'test_cmd_line', 'test_cmd_line_script', 'test_repl', 'test_utf8_mode', 'test_c_locale_coercion',
    'test_argparse', 'test_optparse', 'test_getopt', 'test_regrtest', 'test_embed', 'test_unittest',
    'test_venv', 'test_ensurepip',
  ],
  'subprocesses': [
    'test_subprocess', 'test_os', 'test_posix', 'test_popen',
    'test_multiprocessing_spawn', 'test_multiprocessing_main_handling',
    'test_signal', 'test_threading', 'test_thread', 'test_fork1', 'test_wait3',
    'test_wait4', 'test_pty', 'test_openpty', 'test_eintr', 'test_threadsignals', 'test_atexit', 'test_pipes',
  ],
  'interpreter': [
    'test_sys', 'test__xxsubinterpreters', 'test_interpreters', 'test_builtin', 'test_platform',
    'test_locale', 'test_finalization', 'test_weakref', 'test_descr', 'test_dict_version', 'test_opcache',
    'test_structseq', 'test_time', 'test_ctypes', 'test_lltrace', 'test_threading_local', 'test_hash',
    'test_marshal', 'test_memoryview',
  ],
  'sample': [
    'test_json', 'test_re', 'test_string', 'test_unicode', 'test_bytes', 'test_int', 'test_float',
    'test_math', 'test_decimal', 'test_datetime', 'test_collections', 'test_itertools', 'test_functools',
    'test_operator', 'test_enum', 'test_contextlib', 'test_csv',
    'test_configparser', 'test_email', 'test_xml_etree', 'test_minidom', 'test_tarfile',
    'test_gzip', 'test_zlib', 'test_hashlib', 'test_hmac', 'test_base64',
    'test_binascii', 'test_struct', 'test_array', 'test_random', 'test_statistics', 'test_fractions',
    'test_pathlib', 'test_glob', 'test_fnmatch', 'test_tempfile', 'test_fileinput', 'test_fileio',
    'test_select', 'test_http_cookies', 'test_httplib',
    'test_urllib', 'test_urlparse', 'test_mimetypes', 'test_gettext', 'test_calendar', 'test_textwrap',
    'test_difflib', 'test_pprint', 'test_shlex', 'test_queue', 'test_heapq', 'test_bisect', 'test_copy',
    'test_abc', 'test_types', 'test_class', 'test_scope', 'test_generators', 'test_coroutines',
    'test_grammar', 'test_fstring', 'test_patma', 'test_codecs', 'test_unicodedata', 'test_uuid',
    'test_ipaddress', 'test_zoneinfo', 'test_wsgiref', 'test_sax', 'test_plistlib',
    'test_shelve', 'test_dbm', 'test_secrets', 'test_sched', 'test_stat', 'test_posixpath',
    'test_genericpath', 'test_netrc', 'test_robotparser', 'test_shutil', 'test_typing',
  ],
};

/** Area of each module. */
export function areaOf(): Map<string, string> {
  return new Map(Object.entries(MODULES).flatMap(([area, mods]) => mods.map((m) => [m, area] as [string, string])));
}

/** Every module, in area order. */
export function allModules(): string[] {
  return Object.values(MODULES).flat();
}

/**
 * The few-minute subset `npm test` runs: quick modules from the areas where
 * executables used to differ most (importing, tracebacks, inspection, the
 * command line), each of which loses nothing today.
 */
export const SUBSET: readonly string[] = [
  'test_inspect', 'test_traceback', 'test_exceptions', 'test_code', 'test_dis', 'test_modulefinder', 'test_pyclbr',
  'test_frozen', 'test_runpy', 'test_cmd_line_script', 'test_pkgutil', 'test_zipimport',
];
