//! Connects the library to the CPython glue in `c/oxidize_glue.c`: turns the
//! start-up plan (`plan.rs`) into the C run configuration, and exports the
//! payload lookups the glue calls. No decisions are made here.

use oxidize_runtime::payload::{BlobError, Payload};
use oxidize_runtime::plan::plan;
use oxidize_runtime::run_config::{RunConfig, Setting, StringSetting};
use oxidize_runtime::{importer_code, startup};
use std::ffi::{CString, OsString};
use std::os::raw::{c_char, c_int, c_long};
use std::os::unix::ffi::{OsStrExt, OsStringExt};
use std::sync::atomic::{AtomicPtr, Ordering};

/// Exit status for a broken executable (EX_SOFTWARE), distinct from Python's.
const EXIT_BROKEN: i32 = 70;

extern "C" {
    fn oxidize_python_main(config: *const RunConfig) -> c_int;
}

static PAYLOAD: AtomicPtr<Payload<'static>> = AtomicPtr::new(std::ptr::null_mut());
static EXE: AtomicPtr<String> = AtomicPtr::new(std::ptr::null_mut());

fn payload() -> &'static Payload<'static> {
    // Set once in `run` before CPython starts, never freed.
    unsafe { &*PAYLOAD.load(Ordering::Acquire) }
}

fn cstring(bytes: Vec<u8>, what: &str) -> Result<CString, String> {
    CString::new(bytes).map_err(|_| format!("{} contains a NUL byte", what))
}

fn broken(exe: &str, message: &str) -> i32 {
    eprintln!("oxidize: {}: {}", exe, message);
    EXIT_BROKEN
}

pub fn run() -> i32 {
    let argv0 = std::env::args_os().next().map(|a| a.to_string_lossy().into_owned()).unwrap_or_default();
    let s = match startup() {
        Ok(s) => s,
        Err(e) => return broken(&argv0, &e),
    };
    let exe_display = s.exe.display().to_string();
    EXE.store(Box::into_raw(Box::new(exe_display.clone())), Ordering::Release);
    match launch(s) {
        Ok(code) => code,
        Err(e) => broken(&exe_display, &e),
    }
}

fn launch(s: oxidize_runtime::Startup) -> Result<i32, String> {
    let payload: &'static Payload<'static> = Box::leak(Box::new(s.payload));
    PAYLOAD.store(payload as *const _ as *mut _, Ordering::Release);
    let bootstrap = importer_code(payload)?;

    let origin = s.origin.as_os_str().as_bytes().to_vec();
    let args: Vec<Vec<u8>> = std::env::args_os().map(|a: OsString| a.into_vec()).collect();
    let p = plan(&s.config, &args, &origin)?;

    // C strings of the plan (plan() has refused NUL bytes inside them).
    let exe = cstring(s.exe.as_os_str().as_bytes().to_vec(), "the executable path")?;
    let origin_c = cstring(origin, "the executable directory")?;
    let run_arg = cstring(p.run_arg, "the run argument")?;
    let argv_c: Vec<CString> = p.argv.into_iter().map(|a| cstring(a, "an argument")).collect::<Result<_, _>>()?;
    let mut argv: Vec<*mut c_char> = argv_c.iter().map(|a| a.as_ptr() as *mut c_char).collect();
    argv.push(std::ptr::null_mut());
    let paths: Vec<CString> = p.sys_paths.into_iter().map(|a| cstring(a, "a sys.path entry")).collect::<Result<_, _>>()?;
    let path_ptrs: Vec<*const c_char> = paths.iter().map(|p| p.as_ptr()).collect();
    let settings: Vec<Setting> = p.settings.iter().map(|&(id, value)| Setting { id: id as c_int, value }).collect();
    let string_values: Vec<(u16, CString)> =
        p.string_settings.into_iter().map(|(id, v)| cstring(v, "a string setting").map(|c| (id, c))).collect::<Result<_, _>>()?;
    let string_settings: Vec<StringSetting> =
        string_values.iter().map(|(id, v)| StringSetting { id: *id as c_int, value: v.as_ptr() }).collect();

    let rc = RunConfig {
        exe: exe.as_ptr(),
        origin: origin_c.as_ptr(),
        run_mode: p.run_mode as c_int,
        run_arg: run_arg.as_ptr(),
        argc: argv_c.len() as c_int,
        argv: argv.as_mut_ptr(),
        sys_path_count: path_ptrs.len() as c_int,
        sys_paths: path_ptrs.as_ptr(),
        setting_count: settings.len() as c_int,
        settings: settings.as_ptr(),
        string_setting_count: string_settings.len() as c_int,
        string_settings: string_settings.as_ptr(),
        bootstrap: bootstrap.as_ptr(),
        bootstrap_len: bootstrap.len(),
    };
    Ok(unsafe { oxidize_python_main(&rc) })
}

// ---- lookups called by the glue ---------------------------------------------

fn bytes<'a>(ptr: *const c_char, len: usize) -> &'a [u8] {
    if len == 0 {
        return &[];
    }
    unsafe { std::slice::from_raw_parts(ptr as *const u8, len) }
}

#[no_mangle]
pub extern "C" fn oxr_count() -> c_long {
    payload().len() as c_long
}

#[no_mangle]
pub extern "C" fn oxr_find(k: c_int, name: *const c_char, len: usize) -> c_long {
    match payload().find(k as u8, bytes(name, len)) {
        Some(i) => i as c_long,
        None => -1,
    }
}

#[no_mangle]
pub extern "C" fn oxr_entry(i: usize, k: *mut c_int, flags: *mut c_int, name: *mut *const c_char, len: *mut usize) -> c_int {
    match payload().entry(i) {
        Some(e) => unsafe {
            *k = e.kind as c_int;
            *flags = e.flags as c_int;
            *name = e.name.as_ptr() as *const c_char;
            *len = e.name.len();
            0
        },
        None => -1,
    }
}

#[no_mangle]
pub extern "C" fn oxr_blob(i: usize, s: c_int, data: *mut *const u8, len: *mut usize) -> c_int {
    match payload().blob(i, s as usize) {
        Ok(Some(b)) => unsafe {
            *data = b.as_ptr();
            *len = b.len();
            1
        },
        Ok(None) => 0,
        Err(BlobError::Corrupt) => -1,
    }
}

/// The decoded length of an `lz4`-flagged slot, or -1 when it has none.
#[no_mangle]
pub extern "C" fn oxr_lz4_len(data: *const u8, len: usize) -> c_long {
    match oxidize_runtime::lz4::split(bytes(data as *const c_char, len)) {
        Some((n, _)) if n <= c_long::MAX as usize => n as c_long,
        _ => -1,
    }
}

/// Decodes an `lz4`-flagged slot into `dst` (`dst_len` bytes, its decoded
/// length): 0, or -1 when the block does not decode to exactly that.
#[no_mangle]
pub extern "C" fn oxr_lz4_decode(data: *const u8, len: usize, dst: *mut u8, dst_len: usize) -> c_int {
    let slot = bytes(data as *const c_char, len);
    let out = if dst_len == 0 { &mut [][..] } else { unsafe { std::slice::from_raw_parts_mut(dst, dst_len) } };
    match oxidize_runtime::lz4::split(slot) {
        Some((n, block)) if n == dst_len && oxidize_runtime::lz4::decompress(block, out).is_ok() => 0,
        _ => -1,
    }
}

#[no_mangle]
pub extern "C" fn oxr_prefix_range(k: c_int, prefix: *const c_char, len: usize, lo: *mut usize, hi: *mut usize) {
    let (l, h) = payload().prefix_range(k as u8, bytes(prefix, len));
    unsafe {
        *lo = l;
        *hi = h;
    }
}

/// A resource failed its checksum: the file was damaged after it was built.
/// Continuing could run garbage, so stop with one line.
#[no_mangle]
pub extern "C" fn oxr_fatal_corrupt(i: usize) {
    let name = payload().entry(i).map(|e| String::from_utf8_lossy(e.name).into_owned()).unwrap_or_default();
    let exe = unsafe { EXE.load(Ordering::Acquire).as_ref() }.cloned().unwrap_or_default();
    eprintln!("oxidize: {}: the payload is corrupted (resource '{}' fails its checksum); rebuild the executable", exe, name);
    std::process::exit(EXIT_BROKEN);
}
