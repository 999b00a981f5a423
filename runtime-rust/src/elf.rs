//! Finds a section of a 64-bit little-endian ELF file by name. The payload
//! lives in the section `.oxidize` so that `strip` keeps it; after `strip`
//! the file no longer ends with the trailer and the runtime looks here.

fn u16_at(b: &[u8], at: usize) -> Option<usize> {
    b.get(at..at + 2).map(|s| u16::from_le_bytes([s[0], s[1]]) as usize)
}

fn u32_at(b: &[u8], at: usize) -> Option<usize> {
    b.get(at..at + 4).map(|s| u32::from_le_bytes([s[0], s[1], s[2], s[3]]) as usize)
}

fn u64_at(b: &[u8], at: usize) -> Option<usize> {
    let s = b.get(at..at + 8)?;
    let mut a = [0u8; 8];
    a.copy_from_slice(s);
    usize::try_from(u64::from_le_bytes(a)).ok()
}

fn range(file: &[u8], off: usize, len: usize) -> Option<&[u8]> {
    file.get(off..off.checked_add(len)?)
}

/// The contents of the section called `name`, if `file` is a 64-bit
/// little-endian ELF file that has one (its bounds inside the file).
pub fn section<'a>(file: &'a [u8], name: &[u8]) -> Option<&'a [u8]> {
    if file.len() < 64 || &file[0..4] != b"\x7fELF" || file[4] != 2 || file[5] != 1 {
        return None;
    }
    let shoff = u64_at(file, 0x28)?;
    let shentsize = u16_at(file, 0x3a)?;
    let shnum = u16_at(file, 0x3c)?;
    let shstrndx = u16_at(file, 0x3e)?;
    if shentsize != 64 || shstrndx >= shnum {
        return None;
    }
    let headers = range(file, shoff, shnum.checked_mul(64)?)?;
    let header = |i: usize| &headers[i * 64..(i + 1) * 64];
    let names_header = header(shstrndx);
    let names = range(file, u64_at(names_header, 0x18)?, u64_at(names_header, 0x20)?)?;
    for i in 0..shnum {
        let h = header(i);
        let start = u32_at(h, 0)?;
        let this = match names.get(start..) {
            Some(rest) => rest.split(|&c| c == 0).next().unwrap_or(&[]),
            None => continue,
        };
        // SHT_NOBITS (8) occupies no file bytes.
        if this == name && u32_at(h, 4)? != 8 {
            return range(file, u64_at(h, 0x18)?, u64_at(h, 0x20)?);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::section;

    /// An ELF file with a name table and one section "hello" holding `data`.
    fn elf(data: &[u8]) -> Vec<u8> {
        let names = b"\0.shstrtab\0hello\0";
        let mut f = vec![0u8; 64];
        f[0..4].copy_from_slice(b"\x7fELF");
        f[4] = 2;
        f[5] = 1;
        let names_off = f.len();
        f.extend_from_slice(names);
        let data_off = f.len();
        f.extend_from_slice(data);
        let shoff = f.len();
        let sh = |name: u32, ty: u32, off: usize, len: usize| {
            let mut h = [0u8; 64];
            h[0..4].copy_from_slice(&name.to_le_bytes());
            h[4..8].copy_from_slice(&ty.to_le_bytes());
            h[0x18..0x20].copy_from_slice(&(off as u64).to_le_bytes());
            h[0x20..0x28].copy_from_slice(&(len as u64).to_le_bytes());
            h
        };
        let headers = [sh(0, 0, 0, 0), sh(1, 3, names_off, names.len()), sh(11, 1, data_off, data.len())];
        for h in headers.iter() {
            f.extend_from_slice(h);
        }
        f[0x28..0x30].copy_from_slice(&(shoff as u64).to_le_bytes());
        f[0x3a..0x3c].copy_from_slice(&64u16.to_le_bytes());
        f[0x3c..0x3e].copy_from_slice(&3u16.to_le_bytes());
        f[0x3e..0x40].copy_from_slice(&1u16.to_le_bytes());
        f
    }

    #[test]
    fn finds_a_section_by_name() {
        let f = elf(b"payload bytes");
        assert_eq!(section(&f, b"hello"), Some(&b"payload bytes"[..]));
        assert_eq!(section(&f, b"hell"), None);
        assert_eq!(section(&f, b".oxidize"), None);
    }

    #[test]
    fn damaged_headers_find_nothing() {
        let f = elf(b"payload bytes");
        assert_eq!(section(&f[..f.len() - 1], b"hello"), None);
        let mut g = f.clone();
        g[0x28] = 0xff; // section headers outside the file
        assert_eq!(section(&g, b"hello"), None);
        let mut h = f.clone();
        let last = h.len() - 64;
        h[last + 0x20] = 0xff; // section longer than the file
        assert_eq!(section(&h, b"hello"), None);
        assert_eq!(section(b"not an elf file at all, but long enough to have a header.........", b"hello"), None);
    }
}
