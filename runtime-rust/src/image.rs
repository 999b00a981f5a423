//! Maps the running executable read-only, so payload data can be served as
//! views into the mapping: nothing is read until it is used.

use std::ffi::{CStr, OsStr};
use std::fs::File;
use std::os::raw::{c_char, c_int, c_long, c_ulong, c_void};
use std::os::unix::ffi::OsStrExt;
use std::os::unix::io::AsRawFd;
use std::path::PathBuf;

extern "C" {
    fn mmap(addr: *mut c_void, len: usize, prot: c_int, flags: c_int, fd: c_int, off: c_long) -> *mut c_void;
    fn getauxval(kind: c_ulong) -> c_ulong;
}
/// The auxiliary vector's entry naming the file execve ran.
const AT_EXECFN: c_ulong = 31;

/// The file the kernel executed, as execve was given it (AT_EXECFN), made
/// absolute: what a process without /proc (a chroot, a bare container) can
/// still learn of itself. Unlike argv[0], the caller cannot choose it.
fn executed_file() -> Option<PathBuf> {
    let name = unsafe { getauxval(AT_EXECFN) } as *const c_char;
    if name.is_null() {
        return None;
    }
    let path = PathBuf::from(OsStr::from_bytes(unsafe { CStr::from_ptr(name) }.to_bytes()));
    let path = if path.is_absolute() { path } else { std::env::current_dir().ok()?.join(path) };
    Some(std::fs::canonicalize(&path).unwrap_or(path))
}
const PROT_READ: c_int = 1;
const MAP_PRIVATE: c_int = 2;
const MAP_FAILED: *mut c_void = !0usize as *mut c_void;

/// The executable's path (symlinks resolved) and its bytes, mapped for the
/// life of the process.
pub fn map_self() -> Result<(PathBuf, &'static [u8]), String> {
    let exe = std::fs::read_link("/proc/self/exe")
        .ok()
        .or_else(executed_file)
        .ok_or_else(|| "cannot find this executable: /proc/self/exe is not available (is /proc mounted?) and the kernel did not name the file it ran".to_string())?;
    // Open through /proc so a replaced or renamed file still maps the running image.
    let file = File::open("/proc/self/exe").or_else(|_| File::open(&exe)).map_err(|e| {
        if e.kind() == std::io::ErrorKind::PermissionDenied {
            // Execute permission alone runs a program but does not let it read itself.
            format!(
                "cannot read its own file (permission denied): an oxidize executable must be readable as well as executable; run `chmod a+r {}`",
                exe.display()
            )
        } else {
            format!("cannot open {}: {}", exe.display(), e)
        }
    })?;
    let len = file.metadata().map_err(|e| format!("cannot stat {}: {}", exe.display(), e))?.len() as usize;
    if len == 0 {
        return Err(format!("{} is empty", exe.display()));
    }
    let ptr = unsafe { mmap(std::ptr::null_mut(), len, PROT_READ, MAP_PRIVATE, file.as_raw_fd(), 0) };
    if ptr == MAP_FAILED {
        return Err(format!("cannot map {}: {}", exe.display(), std::io::Error::last_os_error()));
    }
    // The mapping outlives the file descriptor and is never unmapped.
    Ok((exe, unsafe { std::slice::from_raw_parts(ptr as *const u8, len) }))
}
