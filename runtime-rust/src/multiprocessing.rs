//! Recognises the command lines multiprocessing uses to start helper
//! processes from `sys.executable`, and only those. Such a child must run
//! that code, like `python -c`, not the application's entry point. Since
//! this runs code taken from the command line, every form is matched
//! exactly as CPython 3.8-3.12 writes it:
//!
//! - spawn (`spawn.get_command_line`, used by `popen_spawn_posix`):
//!   `EXE [flags] -c "from multiprocessing.spawn import spawn_main;
//!   spawn_main(tracker_fd=5, pipe_handle=7)" --multiprocessing-fork`,
//!   each keyword an integer;
//! - forkserver (`forkserver.ensure_running`): `EXE [flags] -c "from
//!   multiprocessing.forkserver import main; main(3, 4, ['__main__'],
//!   **{'sys_path': [...], 'main_path': '...'})"`, the list and dict being
//!   `repr`s of strings;
//! - the resource tracker (`resource_tracker.ensure_running`, and 3.7's
//!   semaphore tracker): `EXE [flags] -c "from
//!   multiprocessing.resource_tracker import main;main(9)"`;
//! - a frozen application (`sys.frozen`): `EXE --multiprocessing-fork
//!   tracker_fd=5 pipe_handle=7`, run through `freeze_support()`.
//!
//! `[flags]` are those of `subprocess._args_from_interpreter_flags()`. A
//! command line that claims to be a child (`-c "from multiprocessing...`,
//! or `--multiprocessing-fork` first) but is not one of these forms is
//! refused: it would otherwise be a way to run any code.

/// How a multiprocessing child is to run.
#[derive(Debug, PartialEq, Eq)]
pub struct ChildInvocation {
    /// Code to run as `python -c` would.
    pub code: Vec<u8>,
    /// `sys.argv` for it: `-c` followed by the remaining arguments.
    pub argv: Vec<Vec<u8>>,
    /// Interpreter flags that came before `-c`, as setting changes.
    pub optimize: i32,
    pub dont_write_bytecode: bool,
    pub no_user_site: bool,
    pub ignore_environment: bool,
    pub isolated: bool,
    pub unbuffered: bool,
}

const CLAIM: &[u8] = b"from multiprocessing";
const FORK_FLAG: &[u8] = b"--multiprocessing-fork";
const FROZEN_CODE: &[u8] = b"from multiprocessing.spawn import freeze_support; freeze_support()";
const SPAWN_PREFIX: &[u8] = b"from multiprocessing.spawn import spawn_main; spawn_main(";
const SPAWN_KEYWORDS: &[&[u8]] = &[b"tracker_fd", b"pipe_handle", b"parent_pid"];
const FORKSERVER_PREFIX: &[u8] = b"from multiprocessing.forkserver import main; main(";
const FORKSERVER_KEYS: &[&[u8]] = &[b"sys_path", b"main_path"];
const TRACKER_PREFIXES: &[&[u8]] = &[
    b"from multiprocessing.resource_tracker import main;main(",
    b"from multiprocessing.semaphore_tracker import main;main(",
];

fn child(code: Vec<u8>, argv: Vec<Vec<u8>>) -> ChildInvocation {
    ChildInvocation {
        code,
        argv,
        optimize: 0,
        dont_write_bytecode: false,
        no_user_site: false,
        ignore_environment: false,
        isolated: false,
        unbuffered: false,
    }
}

/// What a command line is to the runtime.
#[derive(Debug, PartialEq, Eq)]
pub enum Detected {
    /// Not multiprocessing's: the application gets it.
    Application,
    Child(ChildInvocation),
}

/// `args` excludes argv[0]. The error is one sentence for the user.
pub fn detect(args: &[Vec<u8>]) -> Result<Detected, String> {
    let first = match args.first() {
        Some(f) => f,
        None => return Ok(Detected::Application),
    };
    if first.as_slice() == FORK_FLAG {
        // freeze_support() reads the key=value arguments from sys.argv[2:].
        if !args[1..].iter().all(|a| frozen_keyword(a)) {
            return Err(refusal());
        }
        let mut argv = vec![b"-c".to_vec()];
        argv.extend(args.iter().cloned());
        return Ok(Detected::Child(child(FROZEN_CODE.to_vec(), argv)));
    }
    let mut c = child(Vec::new(), Vec::new());
    let mut i = 0;
    while i < args.len() {
        let a = args[i].as_slice();
        if a == b"-c" {
            let code = match args.get(i + 1) {
                Some(code) => code,
                None => return Ok(Detected::Application),
            };
            if !code.starts_with(CLAIM) {
                return Ok(Detected::Application);
            }
            let rest = &args[i + 2..];
            let exact = (spawn_code(code) && rest.len() == 1 && rest[0].as_slice() == FORK_FLAG)
                || (rest.is_empty() && (forkserver_code(code) || tracker_code(code)));
            if !exact {
                return Err(refusal());
            }
            c.code = code.clone();
            c.argv = vec![b"-c".to_vec()];
            c.argv.extend(rest.iter().cloned());
            return Ok(Detected::Child(c));
        }
        if !interpreter_flag(a, &mut c) {
            return Ok(Detected::Application);
        }
        // `-X` takes its value as the next argument.
        if a == b"-X" {
            i += 1;
        }
        i += 1;
    }
    Ok(Detected::Application)
}

fn refusal() -> String {
    "refusing a command line that claims to start a multiprocessing child but is not one multiprocessing writes".to_string()
}

/// A flag `_args_from_interpreter_flags()` writes; records the ones that change settings.
fn interpreter_flag(a: &[u8], c: &mut ChildInvocation) -> bool {
    if a.len() >= 2 && a[0] == b'-' && a[1..].iter().all(|&b| b == a[1]) {
        // Repeatable single letters: -O, -OO, -v, -vv, -b, -bb, -d.
        let n = (a.len() - 1) as i32;
        match a[1] {
            b'O' => c.optimize = n.min(2),
            b'v' | b'b' | b'd' => {}
            _ if n > 1 => return false,
            b'B' => c.dont_write_bytecode = true,
            b's' => c.no_user_site = true,
            b'E' => c.ignore_environment = true,
            b'I' => c.isolated = true,
            b'u' => c.unbuffered = true,
            b'S' | b'q' | b'P' | b'X' => {}
            _ => return false,
        }
        return true;
    }
    // -W options come joined (`-Wignore::DeprecationWarning`).
    a.len() > 2 && a.starts_with(b"-W")
}

fn frozen_keyword(a: &[u8]) -> bool {
    let eq = match a.iter().position(|&b| b == b'=') {
        Some(eq) => eq,
        None => return false,
    };
    let (name, value) = (&a[..eq], &a[eq + 1..]);
    SPAWN_KEYWORDS.contains(&name) && (value == b"None" || is_int(value))
}

fn is_int(v: &[u8]) -> bool {
    let digits = v.strip_prefix(b"-").unwrap_or(v);
    !digits.is_empty() && digits.len() <= 20 && digits.iter().all(u8::is_ascii_digit)
}

/// `spawn_main(k=1, k=2)` with known keywords and integer values.
fn spawn_code(code: &[u8]) -> bool {
    let inner = match code.strip_prefix(SPAWN_PREFIX).and_then(|r| r.strip_suffix(b")")) {
        Some(inner) => inner,
        None => return false,
    };
    !inner.is_empty()
        && split(inner, b", ").iter().all(|kw| {
            let eq = kw.iter().position(|&b| b == b'=');
            eq.map_or(false, |eq| SPAWN_KEYWORDS.contains(&&kw[..eq]) && (is_int(&kw[eq + 1..]) || &kw[eq + 1..] == b"None"))
        })
}

/// `main;main(9)`: the tracker's pipe.
fn tracker_code(code: &[u8]) -> bool {
    TRACKER_PREFIXES.iter().any(|p| code.strip_prefix(*p).and_then(|r| r.strip_suffix(b")")).map_or(false, is_int))
}

/// `main(3, 4, ['__main__'], **{'sys_path': ['...'], 'main_path': '...'})`.
fn forkserver_code(code: &[u8]) -> bool {
    let inner = match code.strip_prefix(FORKSERVER_PREFIX).and_then(|r| r.strip_suffix(b")")) {
        Some(inner) => inner,
        None => return false,
    };
    let mut p = Literal { s: inner, i: 0 };
    p.int() && p.eat(b", ") && p.int() && p.eat(b", ") && p.str_list() && p.eat(b", **") && p.keyword_dict() && p.i == inner.len()
}

fn split<'a>(s: &'a [u8], sep: &[u8]) -> Vec<&'a [u8]> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while i + sep.len() <= s.len() {
        if &s[i..i + sep.len()] == sep {
            out.push(&s[start..i]);
            i += sep.len();
            start = i;
        } else {
            i += 1;
        }
    }
    out.push(&s[start..]);
    out
}

/// A reader of the few Python literals `repr` writes in a forkserver command
/// line: integers, strings, lists of strings and a dict of known keys.
struct Literal<'a> {
    s: &'a [u8],
    i: usize,
}

impl Literal<'_> {
    fn eat(&mut self, t: &[u8]) -> bool {
        if self.s[self.i..].starts_with(t) {
            self.i += t.len();
            true
        } else {
            false
        }
    }

    fn int(&mut self) -> bool {
        let start = self.i;
        while self.i < self.s.len() && self.s[self.i].is_ascii_digit() {
            self.i += 1;
        }
        self.i > start && self.i - start <= 20
    }

    /// A string as `repr` writes it: one kind of quote, backslash escapes, no newline.
    fn string(&mut self) -> bool {
        let quote = match self.s.get(self.i) {
            Some(&q) if q == b'\'' || q == b'"' => q,
            _ => return false,
        };
        self.i += 1;
        while let Some(&b) = self.s.get(self.i) {
            self.i += 1;
            match b {
                b'\\' => {
                    if self.s.get(self.i).map_or(true, |&n| n == b'\n') {
                        return false;
                    }
                    self.i += 1;
                }
                b'\n' | b'\r' => return false,
                _ if b == quote => return true,
                _ => {}
            }
        }
        false
    }

    fn str_list(&mut self) -> bool {
        if !self.eat(b"[") {
            return false;
        }
        if self.eat(b"]") {
            return true;
        }
        loop {
            if !self.string() {
                return false;
            }
            if self.eat(b"]") {
                return true;
            }
            if !self.eat(b", ") {
                return false;
            }
        }
    }

    fn keyword_dict(&mut self) -> bool {
        if !self.eat(b"{") {
            return false;
        }
        if self.eat(b"}") {
            return true;
        }
        loop {
            let known = FORKSERVER_KEYS.iter().any(|k| {
                let single = [&b"'"[..], k, &b"': "[..]].concat();
                let double = [&b"\""[..], k, &b"\": "[..]].concat();
                self.eat(&single) || self.eat(&double)
            });
            if !known {
                return false;
            }
            let value = if self.s.get(self.i) == Some(&b'[') { self.str_list() } else { self.string() };
            if !value {
                return false;
            }
            if self.eat(b"}") {
                return true;
            }
            if !self.eat(b", ") {
                return false;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(a: &[&str]) -> Vec<Vec<u8>> {
        a.iter().map(|s| s.as_bytes().to_vec()).collect()
    }

    fn child_of(a: &[&str]) -> ChildInvocation {
        match detect(&args(a)) {
            Ok(Detected::Child(c)) => c,
            other => panic!("{:?}: {:?}", a, other),
        }
    }

    fn is_application(a: &[&str]) -> bool {
        detect(&args(a)) == Ok(Detected::Application)
    }

    fn is_refused(a: &[&str]) -> bool {
        detect(&args(a)).is_err()
    }

    const SPAWN: &str = "from multiprocessing.spawn import spawn_main; spawn_main(tracker_fd=5, pipe_handle=7)";

    #[test]
    fn spawn_child_with_flags() {
        let c = child_of(&["-OO", "-B", "-X", "dev", "-Wdefault", "-c", SPAWN, "--multiprocessing-fork"]);
        assert_eq!(c.code, SPAWN.as_bytes());
        assert_eq!(c.argv, args(&["-c", "--multiprocessing-fork"]));
        assert_eq!(c.optimize, 2);
        assert!(c.dont_write_bytecode);
        let c = child_of(&["-I", "-s", "-E", "-vv", "-bb", "-q", "-c", SPAWN, "--multiprocessing-fork"]);
        assert!(c.isolated && c.no_user_site && c.ignore_environment);
    }

    #[test]
    fn forkserver_and_resource_tracker() {
        let f = "from multiprocessing.forkserver import main; main(3, 4, ['__main__'], **{})";
        assert_eq!(child_of(&["-c", f]).argv, args(&["-c"]));
        let f = "from multiprocessing.forkserver import main; main(11, 12, ['__main__', 'json'], **{'sys_path': ['/opt/x', \"it's\", '\\\\n\\''], 'main_path': '/tmp/a b.py'})";
        assert_eq!(child_of(&["-s", "-c", f]).code, f.as_bytes());
        let r = "from multiprocessing.resource_tracker import main;main(9)";
        assert!(child_of(&["-s", "-c", r]).no_user_site);
        assert_eq!(child_of(&["-c", "from multiprocessing.semaphore_tracker import main;main(4)"]).argv, args(&["-c"]));
    }

    #[test]
    fn frozen_fork() {
        let c = child_of(&["--multiprocessing-fork", "tracker_fd=5", "pipe_handle=7"]);
        assert_eq!(c.code, FROZEN_CODE);
        assert_eq!(c.argv, args(&["-c", "--multiprocessing-fork", "tracker_fd=5", "pipe_handle=7"]));
        assert!(is_refused(&["--multiprocessing-fork", "tracker_fd=__import__('os')"]));
        assert!(is_refused(&["--multiprocessing-fork", "evil=1"]));
    }

    #[test]
    fn crafted_code_is_refused() {
        assert!(is_refused(&["-c", "from multiprocessing.spawn import x; print('pwned')"]));
        assert!(is_refused(&["-c", "from multiprocessing.spawn import spawn_main; spawn_main(tracker_fd=5, pipe_handle=7); print(1)", "--multiprocessing-fork"]));
        assert!(is_refused(&["-c", "from multiprocessing.spawn import spawn_main; spawn_main(tracker_fd=__import__('os').getpid())", "--multiprocessing-fork"]));
        assert!(is_refused(&["-c", SPAWN]), "spawn without its --multiprocessing-fork");
        assert!(is_refused(&["-c", SPAWN, "--multiprocessing-fork", "extra"]));
        assert!(is_refused(&["-c", "from multiprocessing.resource_tracker import main;main(9);print(1)"]));
        assert!(is_refused(&["-c", "from multiprocessing.resource_tracker import main;main(9)", "x"]));
        assert!(is_refused(&["-c", "from multiprocessing.forkserver import main; main(3, 4, [__import__('os')], **{})"]));
        assert!(is_refused(&["-c", "from multiprocessing.forkserver import main; main(3, 4, ['a'], **{'sys_path': 'x', 'evil': 1})"]));
        assert!(is_refused(&["-c", "from multiprocessing.forkserver import main; main(3, 4, ['a'], **{'main_path': 'x'}); import os"]));
        assert!(is_refused(&["-c", "from multiprocessing.forkserver import main; main(3, 4, ['a\\'], **{})"]));
        assert!(is_refused(&["-c", "from multiprocessing import x"]));
    }

    #[test]
    fn application_arguments_are_left_alone() {
        assert!(is_application(&[]));
        assert!(is_application(&["--name", "x"]));
        assert!(is_application(&["-c", "config.toml"]));
        assert!(is_application(&["-c", "print(1)"]));
        assert!(is_application(&["-c"]));
        assert!(is_application(&["-O", "script.py"]));
        assert!(is_application(&["-x", "-c", SPAWN, "--multiprocessing-fork"]));
    }
}
