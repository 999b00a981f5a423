//! The runtime stub: an oxidize executable is this program with a payload
//! appended. All logic lives in the library and in `ffi`.
//!
//! `main` is C's, not Rust's: Rust's start-up reopens a closed stdin, stdout
//! or stderr on /dev/null, and Python must find them closed, as it does under
//! python3 (sys.stdin is then None). Arguments still come through
//! `std::env::args_os`, which glibc hands to Rust at load time.
#![no_main]

mod ffi;

#[no_mangle]
pub extern "C" fn main(_argc: std::os::raw::c_int, _argv: *const *const std::os::raw::c_char) -> std::os::raw::c_int {
    std::process::exit(ffi::run());
}
