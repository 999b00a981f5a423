//! The oxidize runtime as a library: payload format, reader and start-up
//! logic. `main.rs` only connects it to CPython.

pub mod config;
pub mod format;
pub mod hash;
pub mod image;
pub mod multiprocessing;
pub mod payload;
pub mod run_config;

use std::path::PathBuf;

/// Everything the runtime knows before CPython starts.
pub struct Startup {
    pub exe: PathBuf,
    pub origin: PathBuf,
    pub payload: payload::Payload<'static>,
    pub config: config::InterpreterConfig,
}

/// Maps this executable and validates its payload. The error is a single
/// sentence meant for the user.
pub fn startup() -> Result<Startup, String> {
    let (exe, bytes) = image::map_self()?;
    let (payload_bytes, checksum) = payload::locate(bytes)?;
    let payload = payload::Payload::parse(payload_bytes, checksum)?;
    let config = config::parse(payload.config_bytes())?;
    let origin = exe.parent().map(|p| p.to_path_buf()).unwrap_or_else(|| PathBuf::from("/"));
    Ok(Startup { exe, origin, payload, config })
}
