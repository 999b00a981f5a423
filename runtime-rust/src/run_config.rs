//! The run configuration the Rust runtime hands to the C glue
//! (`oxidize_python_main`); `c/oxidize_format.h` declares the same structs
//! and both sides assert the layout below. Generated from schemas/payload-format.json by `npm run generate:format`; do not edit.

use std::os::raw::{c_char, c_int};

/// An integer setting: a setting id of the format and its value.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Setting {
    pub id: c_int,
    pub value: c_int,
}

/// A string setting: a string setting id and a NUL-terminated UTF-8 value.
#[repr(C)]
pub struct StringSetting {
    pub id: c_int,
    pub value: *const c_char,
}

#[repr(C)]
pub struct RunConfig {
    /// absolute path of this executable
    pub exe: *const c_char,
    /// its directory
    pub origin: *const c_char,
    /// a run mode of the format
    pub run_mode: c_int,
    /// module name, code or file name
    pub run_arg: *const c_char,
    /// number of argv entries
    pub argc: c_int,
    /// sys.argv, NULL-terminated
    pub argv: *mut *mut c_char,
    /// number of sys_paths
    pub sys_path_count: c_int,
    /// sys.path entries, $ORIGIN expanded
    pub sys_paths: *const *const c_char,
    /// number of settings
    pub setting_count: c_int,
    /// integer settings
    pub settings: *const Setting,
    /// number of string settings
    pub string_setting_count: c_int,
    /// string settings
    pub string_settings: *const StringSetting,
    /// marshalled code of the importer module
    pub bootstrap: *const u8,
    /// its length
    pub bootstrap_len: usize,
}

/// Size of `RunConfig` on LP64 Linux, as the C side asserts too.
#[cfg(target_pointer_width = "64")]
pub const RUN_CONFIG_SIZE: usize = 112;

#[cfg(target_pointer_width = "64")]
const _: () = assert!(std::mem::size_of::<RunConfig>() == RUN_CONFIG_SIZE);
#[cfg(target_pointer_width = "64")]
const _: () = assert!(std::mem::size_of::<StringSetting>() == 16);
const _: () = assert!(std::mem::size_of::<Setting>() == 8);

#[cfg(all(test, target_pointer_width = "64"))]
mod tests {
    use super::*;
    use std::ptr::addr_of;

    #[test]
    fn layout_matches_the_c_declaration() {
        let c = std::mem::MaybeUninit::<RunConfig>::uninit();
        let p = c.as_ptr();
        let base = p as usize;
        assert_eq!(unsafe { addr_of!((*p).exe) } as usize - base, 0, "offset of exe");
        assert_eq!(unsafe { addr_of!((*p).origin) } as usize - base, 8, "offset of origin");
        assert_eq!(unsafe { addr_of!((*p).run_mode) } as usize - base, 16, "offset of run_mode");
        assert_eq!(unsafe { addr_of!((*p).run_arg) } as usize - base, 24, "offset of run_arg");
        assert_eq!(unsafe { addr_of!((*p).argc) } as usize - base, 32, "offset of argc");
        assert_eq!(unsafe { addr_of!((*p).argv) } as usize - base, 40, "offset of argv");
        assert_eq!(unsafe { addr_of!((*p).sys_path_count) } as usize - base, 48, "offset of sys_path_count");
        assert_eq!(unsafe { addr_of!((*p).sys_paths) } as usize - base, 56, "offset of sys_paths");
        assert_eq!(unsafe { addr_of!((*p).setting_count) } as usize - base, 64, "offset of setting_count");
        assert_eq!(unsafe { addr_of!((*p).settings) } as usize - base, 72, "offset of settings");
        assert_eq!(unsafe { addr_of!((*p).string_setting_count) } as usize - base, 80, "offset of string_setting_count");
        assert_eq!(unsafe { addr_of!((*p).string_settings) } as usize - base, 88, "offset of string_settings");
        assert_eq!(unsafe { addr_of!((*p).bootstrap) } as usize - base, 96, "offset of bootstrap");
        assert_eq!(unsafe { addr_of!((*p).bootstrap_len) } as usize - base, 104, "offset of bootstrap_len");
    }
}
