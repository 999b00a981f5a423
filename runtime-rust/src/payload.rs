//! Reader of the payload: validates the layout once, then answers lookups
//! with slices borrowed from the mapped executable (zero copy).

use crate::format::*;
use crate::hash::crc32c;

#[derive(Debug)]
pub struct Payload<'a> {
    bytes: &'a [u8],
    count: usize,
    config: &'a [u8],
    index: &'a [u8],
    strings: &'a [u8],
    blobs: &'a [u8],
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Entry<'a> {
    pub kind: u8,
    pub flags: u8,
    pub name: &'a [u8],
}

/// Why a blob could not be served.
#[derive(Debug, PartialEq, Eq)]
pub enum BlobError {
    Corrupt,
}

fn u32_at(b: &[u8], at: usize) -> u32 {
    u32::from_le_bytes([b[at], b[at + 1], b[at + 2], b[at + 3]])
}

fn u64_at(b: &[u8], at: usize) -> u64 {
    let mut a = [0u8; 8];
    a.copy_from_slice(&b[at..at + 8]);
    u64::from_le_bytes(a)
}

fn section<'a>(bytes: &'a [u8], off: u64, len: u64, what: &str) -> Result<&'a [u8], String> {
    let end = off.checked_add(len).ok_or_else(|| format!("{} section overflows", what))?;
    if end > bytes.len() as u64 {
        return Err(format!("{} section lies outside the payload (truncated file?)", what));
    }
    Ok(&bytes[off as usize..end as usize])
}

/// Finds the payload described by the trailer at the end of `file`, or, when
/// the file does not end with one (`strip` rewrote it), at the end of its ELF
/// section `.oxidize`, where the payload starts at the section's start.
pub fn locate(file: &[u8]) -> Result<(&[u8], u32), String> {
    let ends_with_trailer = file.len() >= TRAILER_LEN && &file[file.len() - TRAILER_LEN..][24..32] == TRAILER_MAGIC;
    if !ends_with_trailer {
        if let Some(s) = crate::elf::section(file, PAYLOAD_SECTION) {
            if s.len() >= TRAILER_LEN && &s[s.len() - TRAILER_LEN..][24..32] == TRAILER_MAGIC {
                return locate_in_section(s);
            }
        }
    }
    if file.len() < TRAILER_LEN {
        return Err("no payload: the file is too short".to_string());
    }
    let t = &file[file.len() - TRAILER_LEN..];
    if &t[24..32] != TRAILER_MAGIC {
        return Err("no payload: the file does not end with an oxidize trailer (truncated or not built by oxidize)".to_string());
    }
    let version = u32_at(t, 20);
    if version != FORMAT_VERSION {
        return Err(format!("payload format {} is not supported by this runtime (it reads {})", version, FORMAT_VERSION));
    }
    let off = u64_at(t, 0);
    let len = u64_at(t, 8);
    let limit = (file.len() - TRAILER_LEN) as u64;
    match off.checked_add(len) {
        Some(end) if end == limit => {}
        _ => return Err("payload bounds in the trailer do not match the file size (truncated or appended to?)".to_string()),
    }
    Ok((&file[off as usize..(off + len) as usize], u32_at(t, 16)))
}

/// The payload in section contents `s` (payload + trailer); the trailer's
/// file offset is ignored, as the section may have moved.
fn locate_in_section(s: &[u8]) -> Result<(&[u8], u32), String> {
    let t = &s[s.len() - TRAILER_LEN..];
    let version = u32_at(t, 20);
    if version != FORMAT_VERSION {
        return Err(format!("payload format {} is not supported by this runtime (it reads {})", version, FORMAT_VERSION));
    }
    if u64_at(t, 8) != (s.len() - TRAILER_LEN) as u64 {
        return Err("payload length in the trailer does not match its ELF section (damaged file?)".to_string());
    }
    Ok((&s[..s.len() - TRAILER_LEN], u32_at(t, 16)))
}

impl<'a> Payload<'a> {
    /// Parses and checks the header, the index and its names. Blob checksums
    /// are checked lazily by `blob`, so start-up cost does not grow with the
    /// size of what is packed.
    pub fn parse(bytes: &'a [u8], meta_checksum: u32) -> Result<Payload<'a>, String> {
        if bytes.len() < HEADER_LEN || &bytes[0..8] != HEADER_MAGIC {
            return Err("payload header is missing or damaged".to_string());
        }
        if u32_at(bytes, 8) != FORMAT_VERSION {
            return Err("payload header has an unsupported version".to_string());
        }
        let count = u32_at(bytes, 12) as usize;
        let blobs_off = u64_at(bytes, 56);
        let meta = section(bytes, 0, blobs_off, "metadata")?;
        if crc32c(meta) != meta_checksum {
            return Err("payload metadata fails its checksum (the file is corrupted)".to_string());
        }
        let config = section(bytes, u64_at(bytes, 16), u64_at(bytes, 24), "config")?;
        let index_len = (count as u64).checked_mul(ENTRY_LEN as u64).ok_or("index too large")?;
        let index = section(bytes, u64_at(bytes, 32), index_len, "index")?;
        let strings = section(bytes, u64_at(bytes, 40), u64_at(bytes, 48), "strings")?;
        let blobs = section(bytes, blobs_off, u64_at(bytes, 64), "blobs")?;
        let p = Payload { bytes, count, config, index, strings, blobs };
        p.check_index()?;
        Ok(p)
    }

    fn check_index(&self) -> Result<(), String> {
        let mut prev: Option<(u8, &[u8])> = None;
        for i in 0..self.count {
            let e = &self.index[i * ENTRY_LEN..(i + 1) * ENTRY_LEN];
            let kind = e[8];
            if kind == 0 || kind > kind::MAX {
                return Err(format!("index entry {} has unknown kind {}", i, kind));
            }
            let (no, nl) = (u32_at(e, 0) as usize, u32_at(e, 4) as usize);
            if no.checked_add(nl).map_or(true, |end| end > self.strings.len()) {
                return Err(format!("index entry {} names a string outside the table", i));
            }
            for s in 0..SLOTS {
                let (off, len) = (u32_at(e, 16 + s * 12), u32_at(e, 20 + s * 12));
                if off == SLOT_ABSENT {
                    continue;
                }
                if (off as usize).checked_add(len as usize).map_or(true, |end| end > self.blobs.len()) {
                    return Err(format!("index entry {} points outside the blobs", i));
                }
            }
            let key = (kind, &self.strings[no..no + nl]);
            if let Some(p) = prev {
                if p >= key {
                    return Err("index is not sorted".to_string());
                }
            }
            prev = Some(key);
        }
        Ok(())
    }

    pub fn len(&self) -> usize {
        self.count
    }

    pub fn is_empty(&self) -> bool {
        self.count == 0
    }

    pub fn config_bytes(&self) -> &'a [u8] {
        self.config
    }

    pub fn total_len(&self) -> usize {
        self.bytes.len()
    }

    fn raw(&self, i: usize) -> &'a [u8] {
        &self.index[i * ENTRY_LEN..(i + 1) * ENTRY_LEN]
    }

    pub fn entry(&self, i: usize) -> Option<Entry<'a>> {
        if i >= self.count {
            return None;
        }
        let e = self.raw(i);
        let (no, nl) = (u32_at(e, 0) as usize, u32_at(e, 4) as usize);
        Some(Entry { kind: e[8], flags: e[9], name: &self.strings[no..no + nl] })
    }

    fn key(&self, i: usize) -> (u8, &'a [u8]) {
        let e = self.raw(i);
        let (no, nl) = (u32_at(e, 0) as usize, u32_at(e, 4) as usize);
        (e[8], &self.strings[no..no + nl])
    }

    /// First index whose key is not less than (kind, name).
    fn lower_bound(&self, kind: u8, name: &[u8]) -> usize {
        let (mut lo, mut hi) = (0usize, self.count);
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            if self.key(mid) < (kind, name) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        lo
    }

    pub fn find(&self, kind: u8, name: &[u8]) -> Option<usize> {
        let i = self.lower_bound(kind, name);
        if i < self.count && self.key(i) == (kind, name) {
            Some(i)
        } else {
            None
        }
    }

    /// Index range [lo, hi) of the entries of `kind` whose name starts with `prefix`.
    pub fn prefix_range(&self, kind: u8, prefix: &[u8]) -> (usize, usize) {
        let lo = self.lower_bound(kind, prefix);
        let mut hi = lo;
        while hi < self.count {
            let (k, n) = self.key(hi);
            if k != kind || !n.starts_with(prefix) {
                break;
            }
            hi += 1;
        }
        (lo, hi)
    }

    /// The bytes of slot `s` of entry `i`, checked against their checksum.
    /// `Ok(None)` when the slot is empty.
    pub fn blob(&self, i: usize, s: usize) -> Result<Option<&'a [u8]>, BlobError> {
        if i >= self.count || s >= SLOTS {
            return Ok(None);
        }
        let e = self.raw(i);
        let (off, len, sum) = (u32_at(e, 16 + s * 12), u32_at(e, 20 + s * 12), u32_at(e, 24 + s * 12));
        if off == SLOT_ABSENT {
            return Ok(None);
        }
        let data = &self.blobs[off as usize..off as usize + len as usize];
        if crc32c(data) != sum {
            return Err(BlobError::Corrupt);
        }
        Ok(Some(data))
    }
}
