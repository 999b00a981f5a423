//! CRC32C (Castagnoli), the checksum of the payload format.
//!
//! Every blob is checked on first use, so the check runs on the import path:
//! on x86-64 it uses the SSE4.2 `crc32` instruction (one instruction per
//! 8 bytes), chosen at run time, with a portable slicing-by-8 table for
//! other CPUs. Both give the same value as the TypeScript writer
//! (`src/payload/hash.ts`). It catches accidental corruption; it is not a
//! cryptographic hash: the payload is not a security boundary.

/// The reflected Castagnoli polynomial.
const POLY: u32 = 0x82f6_3b78;

/// `TABLES[k][b]`: the CRC of byte `b` followed by `k` zero bytes.
static TABLES: [[u32; 256]; 8] = make_tables();

const fn make_tables() -> [[u32; 256]; 8] {
    let mut t = [[0u32; 256]; 8];
    let mut b = 0;
    while b < 256 {
        let mut c = b as u32;
        let mut bit = 0;
        while bit < 8 {
            c = if c & 1 != 0 { (c >> 1) ^ POLY } else { c >> 1 };
            bit += 1;
        }
        t[0][b] = c;
        b += 1;
    }
    let mut k = 1;
    while k < 8 {
        let mut b = 0;
        while b < 256 {
            let prev = t[k - 1][b];
            t[k][b] = (prev >> 8) ^ t[0][(prev & 0xff) as usize];
            b += 1;
        }
        k += 1;
    }
    t
}

/// CRC32C of `data`.
pub fn crc32c(data: &[u8]) -> u32 {
    #[cfg(target_arch = "x86_64")]
    {
        if std::is_x86_feature_detected!("sse4.2") {
            // Safety: the CPU was just found to support SSE4.2.
            return unsafe { !crc32c_sse42(!0, data) };
        }
    }
    !crc32c_table(!0, data)
}

/// Portable CRC32C on the raw register (no pre/post inversion).
pub fn crc32c_table(mut crc: u32, data: &[u8]) -> u32 {
    let t = &TABLES;
    let mut chunks = data.chunks_exact(8);
    for c in &mut chunks {
        let lo = crc ^ u32::from_le_bytes([c[0], c[1], c[2], c[3]]);
        crc = t[7][(lo & 0xff) as usize]
            ^ t[6][((lo >> 8) & 0xff) as usize]
            ^ t[5][((lo >> 16) & 0xff) as usize]
            ^ t[4][(lo >> 24) as usize]
            ^ t[3][c[4] as usize]
            ^ t[2][c[5] as usize]
            ^ t[1][c[6] as usize]
            ^ t[0][c[7] as usize];
    }
    for &b in chunks.remainder() {
        crc = (crc >> 8) ^ t[0][((crc ^ b as u32) & 0xff) as usize];
    }
    crc
}

/// CRC32C with the SSE4.2 instruction, on the raw register.
///
/// # Safety
/// The CPU must support SSE4.2.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "sse4.2")]
pub unsafe fn crc32c_sse42(crc: u32, data: &[u8]) -> u32 {
    use core::arch::x86_64::{_mm_crc32_u64, _mm_crc32_u8};
    let mut c = crc as u64;
    // Four words per iteration: the loop overhead is paid once per 32 bytes.
    let mut blocks = data.chunks_exact(32);
    for b in &mut blocks {
        let p = b.as_ptr() as *const u64;
        c = _mm_crc32_u64(c, u64::from_le(p.read_unaligned()));
        c = _mm_crc32_u64(c, u64::from_le(p.add(1).read_unaligned()));
        c = _mm_crc32_u64(c, u64::from_le(p.add(2).read_unaligned()));
        c = _mm_crc32_u64(c, u64::from_le(p.add(3).read_unaligned()));
    }
    let mut words = blocks.remainder().chunks_exact(8);
    for w in &mut words {
        c = _mm_crc32_u64(c, u64::from_le((w.as_ptr() as *const u64).read_unaligned()));
    }
    let mut c = c as u32;
    for &b in words.remainder() {
        c = _mm_crc32_u8(c, b);
    }
    c
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_vectors() {
        // Check values of CRC-32C (iSCSI); the TypeScript tests use the same.
        assert_eq!(crc32c(b""), 0);
        assert_eq!(crc32c(b"123456789"), 0xe306_9283);
        assert_eq!(crc32c(b"The quick brown fox jumps over the lazy dog"), 0x2262_0404);
        assert_eq!(crc32c(&[0u8; 32]), 0x8a91_36aa);
        assert_eq!(crc32c(&[0xffu8; 32]), 0x62a8_ab43);
    }

    #[test]
    fn instruction_and_table_agree_at_every_length_and_alignment() {
        let data: Vec<u8> = (0..600u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8).collect();
        for start in 0..9 {
            for len in 0..(data.len() - start) {
                let d = &data[start..start + len];
                let table = !crc32c_table(!0, d);
                assert_eq!(crc32c(d), table, "start {} len {}", start, len);
                #[cfg(target_arch = "x86_64")]
                {
                    if std::is_x86_feature_detected!("sse4.2") {
                        assert_eq!(unsafe { !crc32c_sse42(!0, d) }, table, "start {} len {}", start, len);
                    }
                }
            }
        }
    }

    #[test]
    fn one_flipped_bit_changes_the_value() {
        let mut d = vec![7u8; 1000];
        let clean = crc32c(&d);
        for i in [0usize, 1, 31, 32, 500, 999] {
            d[i] ^= 0x10;
            assert_ne!(crc32c(&d), clean, "byte {}", i);
            d[i] ^= 0x10;
        }
    }
}
