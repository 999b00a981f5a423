//! The runtime stub: an oxidize executable is this program with a payload
//! appended. All logic lives in the library and in `ffi`.

mod ffi;

fn main() {
    std::process::exit(ffi::run());
}
