//! The oxidize runtime as a library: payload format, reader and start-up
//! logic. `main.rs` only connects it to CPython.

pub mod config;
pub mod elf;
pub mod format;
pub mod hash;
pub mod image;
pub mod lz4;
pub mod multiprocessing;
pub mod payload;
pub mod plan;
pub mod run_config;

use format::{kind, slot};
use payload::{BlobError, Payload};
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

/// Name of the payload module the C glue executes first: it installs the finder.
pub const IMPORTER_MODULE: &[u8] = b"_oxidize_importer";

/// The marshalled code of the importer module, in the first bytecode slot
/// that holds any (the C glue runs it before any finder exists).
pub fn importer_code<'a>(payload: &Payload<'a>) -> Result<&'a [u8], String> {
    let importer = payload
        .find(kind::MODULE, IMPORTER_MODULE)
        .ok_or("the payload has no importer module (_oxidize_importer)")?;
    for s in [slot::BYTECODE, slot::BYTECODE_OPT1, slot::BYTECODE_OPT2] {
        match payload.blob(importer, s) {
            Ok(Some(b)) => return Ok(b),
            Ok(None) => {}
            Err(BlobError::Corrupt) => return Err("the payload is corrupted (the importer fails its checksum)".to_string()),
        }
    }
    Err("the importer module has no bytecode".to_string())
}
