//! Recognises the command lines multiprocessing uses to start helper
//! processes from `sys.executable`: the spawn and forkserver start methods
//! and the resource tracker run `EXE [interpreter flags] -c "from
//! multiprocessing... import ..." [args]`, and a frozen application is
//! started as `EXE --multiprocessing-fork key=value...`. Such a child must run
//! that code, like `python -c`, not the application's entry point.

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

const CODE_PREFIX: &[u8] = b"from multiprocessing.";
const FROZEN_FORK: &[u8] = b"--multiprocessing-fork";
const FROZEN_CODE: &[u8] = b"from multiprocessing.spawn import freeze_support; freeze_support()";

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

/// `args` excludes argv[0].
pub fn detect(args: &[Vec<u8>]) -> Option<ChildInvocation> {
    let first = args.first()?;
    if first.as_slice() == FROZEN_FORK {
        // freeze_support() reads the key=value arguments from sys.argv[2:].
        let mut argv = vec![b"-c".to_vec()];
        argv.extend(args.iter().cloned());
        return Some(child(FROZEN_CODE.to_vec(), argv));
    }
    let mut c = child(Vec::new(), Vec::new());
    let mut i = 0;
    while i < args.len() {
        let a = args[i].as_slice();
        match a {
            b"-c" => {
                let code = args.get(i + 1)?;
                if !code.starts_with(CODE_PREFIX) {
                    return None;
                }
                c.code = code.clone();
                c.argv = vec![b"-c".to_vec()];
                c.argv.extend(args[i + 2..].iter().cloned());
                return Some(c);
            }
            // Flags of util._args_from_interpreter_flags(); the ones with a
            // value take the next argument.
            b"-X" | b"-W" => i += 1,
            b"-O" => c.optimize = c.optimize.max(1),
            b"-OO" => c.optimize = 2,
            b"-B" => c.dont_write_bytecode = true,
            b"-s" => c.no_user_site = true,
            b"-E" => c.ignore_environment = true,
            b"-I" => c.isolated = true,
            b"-u" => c.unbuffered = true,
            b"-S" | b"-d" | b"-b" | b"-bb" | b"-q" | b"-v" | b"-vv" | b"-P" => {}
            _ => return None,
        }
        i += 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(a: &[&str]) -> Vec<Vec<u8>> {
        a.iter().map(|s| s.as_bytes().to_vec()).collect()
    }

    #[test]
    fn spawn_child_with_flags() {
        let code = "from multiprocessing.spawn import spawn_main; spawn_main(tracker_fd=5, pipe_handle=7)";
        let c = detect(&args(&["-OO", "-B", "-X", "dev", "-c", code, "--multiprocessing-fork"])).unwrap();
        assert_eq!(c.code, code.as_bytes());
        assert_eq!(c.argv, args(&["-c", "--multiprocessing-fork"]));
        assert_eq!(c.optimize, 2);
        assert!(c.dont_write_bytecode);
    }

    #[test]
    fn forkserver_and_resource_tracker() {
        let f = "from multiprocessing.forkserver import main; main(3, 4, ['__main__'], **{})";
        assert_eq!(detect(&args(&["-c", f])).unwrap().argv, args(&["-c"]));
        let r = "from multiprocessing.resource_tracker import main;main(9)";
        assert!(detect(&args(&["-s", "-c", r])).unwrap().no_user_site);
    }

    #[test]
    fn frozen_fork() {
        let c = detect(&args(&["--multiprocessing-fork", "tracker_fd=5", "pipe_handle=7"])).unwrap();
        assert_eq!(c.code, FROZEN_CODE);
        assert_eq!(c.argv, args(&["-c", "--multiprocessing-fork", "tracker_fd=5", "pipe_handle=7"]));
    }

    #[test]
    fn application_arguments_are_left_alone() {
        assert_eq!(detect(&args(&[])), None);
        assert_eq!(detect(&args(&["--name", "x"])), None);
        assert_eq!(detect(&args(&["-c", "config.toml"])), None);
        assert_eq!(detect(&args(&["-c", "print(1)"])), None);
        assert_eq!(detect(&args(&["-c"])), None);
        assert_eq!(detect(&args(&["-O", "script.py"])), None);
    }
}
