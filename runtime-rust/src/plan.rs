//! Start-up planning: from the payload's interpreter configuration, the
//! command line and the executable's directory, what the interpreter is to
//! run and with which settings. Pure, so `cargo test` covers every case;
//! `ffi.rs` only turns the plan into C strings.

use crate::config::{expand_origin, InterpreterConfig};
use crate::format::{run_mode, setting};
use crate::multiprocessing;

/// What the interpreter runs and how it is configured.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    pub run_mode: u8,
    /// Module name, code or file name (empty for the REPL and none).
    pub run_arg: Vec<u8>,
    /// `sys.argv` (argv[0] included).
    pub argv: Vec<Vec<u8>>,
    /// `sys.path` entries with `$ORIGIN` expanded.
    pub sys_paths: Vec<Vec<u8>>,
    /// Integer settings, one per id, in the order first given.
    pub settings: Vec<(u16, i32)>,
    pub string_settings: Vec<(u16, Vec<u8>)>,
}

impl Plan {
    /// The value of an integer setting, if the plan has one.
    pub fn setting(&self, id: u16) -> Option<i32> {
        self.settings.iter().find(|s| s.0 == id).map(|s| s.1)
    }

    /// Sets a setting, replacing an earlier value of the same id.
    fn set(&mut self, id: u16, value: i32) {
        match self.settings.iter_mut().find(|s| s.0 == id) {
            Some(s) => s.1 = value,
            None => self.settings.push((id, value)),
        }
    }
}

/// Plans start-up. `args` is the process's argv (argv[0] first); `origin`
/// is the executable's directory. The error is one sentence for the user:
/// the C side needs NUL-terminated strings, so a NUL inside any of them is
/// refused here rather than truncated.
pub fn plan(config: &InterpreterConfig, args: &[Vec<u8>], origin: &[u8]) -> Result<Plan, String> {
    let mut p = Plan {
        run_mode: config.run_mode,
        run_arg: config.run_arg.clone(),
        argv: args.to_vec(),
        sys_paths: config.sys_paths.iter().map(|s| expand_origin(s, origin)).collect(),
        settings: Vec::new(),
        string_settings: config.string_settings.clone(),
    };
    // Later records of one id win, as they would field by field in PyConfig.
    for &(id, value) in &config.settings {
        p.set(id, value);
    }
    if config.run_mode == run_mode::PYTHON || args.first().map_or(false, |a| named_python(a)) {
        // The `python` command: CPython parses the command line and the
        // environment, from python3's defaults. The application's interpreter
        // settings do not apply; the importer's do, and sys.path is searched
        // as python3 searches it.
        p.run_mode = run_mode::PYTHON;
        p.run_arg = Vec::new();
        p.settings.retain(|s| s.0 >= FIRST_IMPORTER_SETTING);
        p.string_settings.retain(|s| s.0 >= FIRST_IMPORTER_SETTING);
        p.set(setting::FILESYSTEM_IMPORTER, 1);
    } else if let multiprocessing::Detected::Child(child) = multiprocessing::detect(args.get(1..).unwrap_or(&[]))? {
        // A helper process started by multiprocessing runs its code, not the application.
        p.run_mode = run_mode::EVAL;
        p.run_arg = child.code;
        // "-c" and the rest, as `python -c` has them.
        p.argv = child.argv;
        if child.optimize > 0 {
            p.set(setting::OPTIMIZATION_LEVEL, child.optimize);
        }
        if child.dont_write_bytecode {
            p.set(setting::WRITE_BYTECODE, 0);
        }
        if child.no_user_site {
            p.set(setting::USER_SITE_DIRECTORY, 0);
        }
        if child.ignore_environment {
            p.set(setting::USE_ENVIRONMENT, 0);
        }
        if child.isolated {
            p.set(setting::ISOLATED, 1);
        }
        if child.unbuffered {
            p.set(setting::BUFFERED_STDIO, 0);
        }
    }
    check_nul(&p.run_arg, "the run argument")?;
    for a in &p.argv {
        check_nul(a, "an argument")?;
    }
    for s in &p.sys_paths {
        check_nul(s, "a sys.path entry")?;
    }
    for (_, s) in &p.string_settings {
        check_nul(s, "a string setting")?;
    }
    Ok(p)
}

/// Settings with ids from here on are read by the importer, not by PyConfig
/// (schemas/payload-format.md).
const FIRST_IMPORTER_SETTING: u16 = 100;

/// Whether `argv0` names the `python` command: `python`, `python3` or
/// `python3.X`, the names a symlink to the executable takes to make it one.
pub fn named_python(argv0: &[u8]) -> bool {
    let base = argv0.rsplit(|&b| b == b'/').next().unwrap_or(argv0);
    let rest = match base.strip_prefix(b"python") {
        Some(r) => r,
        None => return false,
    };
    if rest.is_empty() || rest == b"3" {
        return true;
    }
    match rest.strip_prefix(b"3.") {
        Some(minor) => !minor.is_empty() && minor.iter().all(|b| b.is_ascii_digit()),
        None => false,
    }
}

fn check_nul(b: &[u8], what: &str) -> Result<(), String> {
    if b.contains(&0) {
        return Err(format!("{} contains a NUL byte", what));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::format::string_setting;

    fn args(a: &[&str]) -> Vec<Vec<u8>> {
        a.iter().map(|s| s.as_bytes().to_vec()).collect()
    }

    fn app() -> InterpreterConfig {
        InterpreterConfig {
            run_mode: run_mode::MODULE,
            run_arg: b"app.main".to_vec(),
            sys_paths: vec![b"$ORIGIN/lib".to_vec(), b"/opt/x".to_vec()],
            settings: vec![(setting::OPTIMIZATION_LEVEL, 0), (setting::WRITE_BYTECODE, 0), (setting::ISOLATED, 0)],
            string_settings: vec![(string_setting::STDIO_ENCODING, b"utf-8".to_vec())],
        }
    }

    #[test]
    fn runs_the_configured_mode_with_the_arguments() {
        let p = plan(&app(), &args(&["/opt/app/exe", "--name", "-c", "x"]), b"/opt/app").unwrap();
        assert_eq!(p.run_mode, run_mode::MODULE);
        assert_eq!(p.run_arg, b"app.main");
        assert_eq!(p.argv, args(&["/opt/app/exe", "--name", "-c", "x"]));
        assert_eq!(p.sys_paths, args(&["/opt/app/lib", "/opt/x"]));
        assert_eq!(p.settings, app().settings);
        assert_eq!(p.string_settings, app().string_settings);
    }

    #[test]
    fn a_later_record_of_one_setting_wins() {
        let mut c = app();
        c.settings.push((setting::OPTIMIZATION_LEVEL, 2));
        let p = plan(&c, &args(&["exe"]), b"/").unwrap();
        assert_eq!(p.setting(setting::OPTIMIZATION_LEVEL), Some(2));
        assert_eq!(p.settings.len(), 3);
    }

    #[test]
    fn a_multiprocessing_child_runs_its_code_with_its_flags() {
        let code = "from multiprocessing.spawn import spawn_main; spawn_main(tracker_fd=5, pipe_handle=7)";
        let p = plan(&app(), &args(&["/opt/app/exe", "-OO", "-I", "-u", "-B", "-s", "-E", "-c", code, "--multiprocessing-fork"]), b"/opt/app").unwrap();
        assert_eq!(p.run_mode, run_mode::EVAL);
        assert_eq!(p.run_arg, code.as_bytes());
        assert_eq!(p.argv, args(&["-c", "--multiprocessing-fork"]));
        // The child's flags replace the application's values of the same settings.
        assert_eq!(p.setting(setting::OPTIMIZATION_LEVEL), Some(2));
        assert_eq!(p.setting(setting::ISOLATED), Some(1));
        assert_eq!(p.setting(setting::BUFFERED_STDIO), Some(0));
        assert_eq!(p.setting(setting::WRITE_BYTECODE), Some(0));
        assert_eq!(p.setting(setting::USER_SITE_DIRECTORY), Some(0));
        assert_eq!(p.setting(setting::USE_ENVIRONMENT), Some(0));
        assert_eq!(p.settings.iter().filter(|s| s.0 == setting::ISOLATED).count(), 1);
        // The rest of the application's configuration stays.
        assert_eq!(p.sys_paths, args(&["/opt/app/lib", "/opt/x"]));
    }

    #[test]
    fn a_frozen_fork_child_runs_freeze_support() {
        let p = plan(&app(), &args(&["exe", "--multiprocessing-fork", "tracker_fd=5"]), b"/").unwrap();
        assert_eq!(p.run_mode, run_mode::EVAL);
        assert!(p.run_arg.starts_with(b"from multiprocessing.spawn import freeze_support"));
        assert_eq!(p.argv, args(&["-c", "--multiprocessing-fork", "tracker_fd=5"]));
        assert_eq!(p.settings, app().settings);
    }

    #[test]
    fn an_application_command_line_is_not_a_child() {
        for a in [&["exe", "-c", "print(1)"][..], &["exe", "-O", "script.py"], &["exe"], &[]] {
            let p = plan(&app(), &args(a), b"/").unwrap();
            assert_eq!(p.run_mode, run_mode::MODULE, "{:?}", a);
            assert_eq!(p.argv, args(a));
        }
    }

    #[test]
    fn the_python_names_make_the_python_command() {
        for name in ["python", "python3", "python3.11", "/usr/local/bin/python3.9", "./python"] {
            assert!(named_python(name.as_bytes()), "{}", name);
        }
        for name in ["python2", "python3.", "python3.x", "pythonista", "ipython3", "/opt/python3/app", "app", ""] {
            assert!(!named_python(name.as_bytes()), "{}", name);
        }
    }

    #[test]
    fn the_python_command_keeps_only_the_importer_settings() {
        let mut c = app();
        c.settings.push((setting::IN_MEMORY_MODULE_FILE, 1));
        c.string_settings.push((string_setting::TERMINFO_DIRS, b"/x".to_vec()));
        let argv = args(&["/opt/app/python3", "-OO", "-c", "from multiprocessing.spawn import spawn_main; spawn_main()"]);
        let p = plan(&c, &argv, b"/opt/app").unwrap();
        assert_eq!(p.run_mode, run_mode::PYTHON);
        assert_eq!(p.run_arg, b"");
        // CPython parses the whole command line, flags and all.
        assert_eq!(p.argv, argv);
        assert_eq!(p.settings, vec![(setting::IN_MEMORY_MODULE_FILE, 1), (setting::FILESYSTEM_IMPORTER, 1)]);
        assert_eq!(p.string_settings, vec![(string_setting::TERMINFO_DIRS, b"/x".to_vec())]);
        assert_eq!(p.sys_paths, args(&["/opt/app/lib", "/opt/x"]));
        // Configured, whatever the name.
        c.run_mode = run_mode::PYTHON;
        assert_eq!(plan(&c, &args(&["/opt/app/app", "-V"]), b"/opt/app").unwrap().run_mode, run_mode::PYTHON);
    }

    #[test]
    fn refuses_nul_bytes_with_one_sentence() {
        let bad_arg = vec![b"exe".to_vec(), b"a\0b".to_vec()];
        assert_eq!(plan(&app(), &bad_arg, b"/").unwrap_err(), "an argument contains a NUL byte");
        let mut c = app();
        c.sys_paths.push(b"x\0".to_vec());
        assert_eq!(plan(&c, &args(&["exe"]), b"/").unwrap_err(), "a sys.path entry contains a NUL byte");
        let mut c = app();
        c.run_arg = b"\0".to_vec();
        assert!(plan(&c, &args(&["exe"]), b"/").is_err());
    }
}
