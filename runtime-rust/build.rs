//! Compiles the CPython glue and links the stub against a static libpython.
//!
//! The distribution is described by environment variables, set by
//! `oxidize build` from the distribution it resolved:
//!   OXIDIZE_PYTHON_INCLUDE     directory holding Python.h
//!   OXIDIZE_PYTHON_STATIC_LIB  path of libpython3.X(-pic).a, or empty when
//!                              the core comes as object files instead
//!   OXIDIZE_PYTHON_OBJECTS     object files of the core (a python-build-standalone
//!                              archive without a static library), one per line
//!   OXIDIZE_PYTHON_LINK_ARGS   linker arguments it needs (-lm -lz ...), space separated
//! Without them only the library and the payload dump tool can be built.

use std::env;
use std::path::{Path, PathBuf};
use std::process::Command;

const STUB: &str = "oxidize-stub";
/// The CPython side of the runtime: start-up and the _oxidize module; fastExit.
const C_SOURCES: [&str; 3] = ["c/oxidize_glue.c", "c/oxidize_fast_exit.c", "c/oxidize_c_files.c"];

fn main() {
    for v in ["OXIDIZE_PYTHON_INCLUDE", "OXIDIZE_PYTHON_STATIC_LIB", "OXIDIZE_PYTHON_OBJECTS", "OXIDIZE_PYTHON_LINK_ARGS", "CC"] {
        println!("cargo:rerun-if-env-changed={}", v);
    }
    for c in C_SOURCES {
        println!("cargo:rerun-if-changed={}", c);
    }
    println!("cargo:rerun-if-changed=c/oxidize_glue.h");
    println!("cargo:rerun-if-changed=c/oxidize_format.h");
    println!("cargo:rerun-if-changed=c/oxidize_path_guard.h");

    let set = |name: &str| env::var(name).ok().filter(|v| !v.is_empty());
    let include = set("OXIDIZE_PYTHON_INCLUDE");
    let lib = set("OXIDIZE_PYTHON_STATIC_LIB");
    let objects: Vec<String> = env::var("OXIDIZE_PYTHON_OBJECTS")
        .unwrap_or_default()
        .lines()
        .filter(|l| !l.is_empty())
        .map(|l| l.to_string())
        .collect();
    let include = match include {
        Some(i) if lib.is_some() || !objects.is_empty() => i,
        _ => {
            println!("cargo:warning=OXIDIZE_PYTHON_INCLUDE and OXIDIZE_PYTHON_STATIC_LIB (or OXIDIZE_PYTHON_OBJECTS) unset: the {} binary cannot be linked (build it through `oxidize build`)", STUB);
            return;
        }
    };
    let out = PathBuf::from(env::var("OUT_DIR").expect("cargo sets OUT_DIR"));
    let cc = env::var("CC").unwrap_or_else(|_| "cc".to_string());
    let mut objects_c = Vec::new();
    for source in C_SOURCES {
        let stem = Path::new(source).file_stem().and_then(|s| s.to_str()).expect("C sources have UTF-8 names");
        let object = out.join(format!("{}.o", stem));
        let status = Command::new(&cc)
            .args(["-c", "-O2", "-fPIC", "-Wall", "-Werror=implicit-function-declaration"])
            .arg(format!("-I{}", include))
            .arg(source)
            .arg("-o")
            .arg(&object)
            .status()
            .unwrap_or_else(|e| panic!("cannot run the C compiler `{}`: {}", cc, e));
        assert!(status.success(), "compiling {} failed", source);
        objects_c.push(object);
    }

    let arg = |a: &str| println!("cargo:rustc-link-arg-bin={}={}", STUB, a);
    for object in &objects_c {
        arg(object.to_str().expect("OUT_DIR is UTF-8"));
    }
    // Every object of libpython, not only those the stub calls: extension
    // modules loaded at run time need the whole C API, exported.
    // Object files are linked whole anyway; an archive needs --whole-archive.
    for o in &objects {
        arg(o);
    }
    if let Some(lib) = &lib {
        arg("-Wl,--whole-archive");
        arg(lib);
        arg("-Wl,--no-whole-archive");
    }
    arg("-Wl,--export-dynamic");
    for a in env::var("OXIDIZE_PYTHON_LINK_ARGS").unwrap_or_default().split_whitespace() {
        arg(a);
    }
}
