//! LZ4 block decoding for blobs flagged `lz4` (extension modules and shared
//! libraries held in memory). Such a slot is the decoded length as a
//! little-endian u32, then one LZ4 block (lz4.org's block format), written by
//! `src/link/lz4.ts`. The runtime decodes it whenever the library is loaded,
//! so it must be cheap: a few instructions per byte, where zlib's inflate
//! costs about twenty.
//!
//! The slot passed its checksum before it gets here, so a block that does not
//! decode was written wrong; every read and write is still bounds-checked, so
//! it is an error, never a crash.

/// The decoded length a slot announces and its block, or None when the slot
/// is too short to hold the length.
pub fn split(slot: &[u8]) -> Option<(usize, &[u8])> {
    if slot.len() < 4 {
        return None;
    }
    let len = u32::from_le_bytes([slot[0], slot[1], slot[2], slot[3]]) as usize;
    Some((len, &slot[4..]))
}

/// Length of the fixed copies of the fast paths.
const WILD: usize = 16;

/// Copies 16 bytes as one unaligned load and store (a call to memcpy costs
/// more than the copy).
#[inline(always)]
unsafe fn copy16(from: *const u8, to: *mut u8) {
    std::ptr::write_unaligned(to as *mut u128, std::ptr::read_unaligned(from as *const u128));
}

/// A length whose 4-bit field is 15 continues in bytes up to one below 255.
fn long_length(src: &[u8], ip: &mut usize, mut n: usize) -> Result<usize, ()> {
    loop {
        let b = *src.get(*ip).ok_or(())?;
        *ip += 1;
        n = n.checked_add(b as usize).ok_or(())?;
        if b != 255 {
            return Ok(n);
        }
    }
}

/// Copies 8 bytes as one unaligned load and store.
#[inline(always)]
unsafe fn copy8(from: *const u8, to: *mut u8) {
    std::ptr::write_unaligned(to as *mut u64, std::ptr::read_unaligned(from as *const u64));
}

/// Decodes `block` into `dst`, which it must fill exactly.
///
/// This runs over every byte of every extension module loaded (machine code
/// compresses into sequences of about 4 literals and an 11-byte match), so
/// the cost per sequence is what counts. Copies go through raw pointers;
/// each is preceded by the check that keeps it inside `block` and `dst`.
pub fn decompress(block: &[u8], dst: &mut [u8]) -> Result<(), ()> {
    let (src_len, dst_len) = (block.len(), dst.len());
    let s = block.as_ptr();
    let d = dst.as_mut_ptr();
    let mut ip = 0usize;
    let mut op = 0usize;
    loop {
        if ip >= src_len {
            return Err(());
        }
        let token = block[ip] as usize;
        ip += 1;
        let (offset, len);
        if token < 0xf0 && token & 15 != 15 && src_len - ip >= WILD + 2 && dst_len - op >= 3 * WILD {
            // The common sequence, checked once: fewer than 15 literals and
            // a match of at most 18 bytes, far from the end of the block
            // and of `dst`. The literals go as one fixed copy (they and the
            // offset after them lie in the 18 bytes known to be there); a
            // match that starts 16 or more bytes back as two (those read
            // only bytes already written: the first copy wrote the next
            // 16). Bytes written past the sequence are overwritten by the
            // next ones.
            let lit = token >> 4;
            unsafe { copy16(s.add(ip), d.add(op)) };
            ip += lit;
            op += lit;
            let o = unsafe { *s.add(ip) as usize | (*s.add(ip + 1) as usize) << 8 };
            ip += 2;
            let l = (token & 15) + 4;
            if o >= WILD && o <= op {
                unsafe {
                    copy16(d.add(op - o), d.add(op));
                    copy16(d.add(op - o + WILD), d.add(op + WILD));
                }
                op += l;
                continue;
            }
            offset = o;
            len = l;
        } else {
            let mut lit = token >> 4;
            if lit == 15 {
                lit = long_length(block, &mut ip, lit)?;
            }
            if lit <= WILD && src_len - ip >= WILD && dst_len - op >= WILD {
                // Most runs are short: copy a fixed 16 bytes (two loads and
                // stores), of which the next sequence overwrites those past the run.
                unsafe { copy16(s.add(ip), d.add(op)) };
            } else {
                if lit > src_len - ip || lit > dst_len - op {
                    return Err(());
                }
                unsafe { std::ptr::copy_nonoverlapping(s.add(ip), d.add(op), lit) };
            }
            ip += lit;
            op += lit;
            if ip == src_len {
                return if op == dst_len { Ok(()) } else { Err(()) };
            }
            if src_len - ip < 2 {
                return Err(());
            }
            offset = block[ip] as usize | (block[ip + 1] as usize) << 8;
            ip += 2;
            let mut l = token & 15;
            if l == 15 {
                l = long_length(block, &mut ip, l)?;
            }
            len = l + 4;
        }
        if offset == 0 || offset > op || len > dst_len - op {
            return Err(());
        }
        let from = op - offset;
        if offset >= 8 && dst_len - op - len >= WILD - 1 {
            // Far enough back that each chunk reads bytes already written:
            // whole chunks (of 16 bytes when it starts 16 or more back, else
            // of 8), the last one spilling past the match.
            let mut k = 0;
            if offset >= WILD {
                while k < len {
                    unsafe { copy16(d.add(from + k), d.add(op + k)) };
                    k += WILD;
                }
            } else {
                while k < len {
                    unsafe { copy8(d.add(from + k), d.add(op + k)) };
                    k += 8;
                }
            }
            op += len;
            continue;
        }
        // A match may overlap its own output (offset < length): it repeats
        // the `offset` bytes before it. A short one byte by byte, in order;
        // a long one in runs that read only bytes already written, each run
        // doubling what the next may copy.
        if len <= 32 {
            for k in 0..len {
                unsafe { *d.add(op + k) = *d.add(from + k) };
            }
            op += len;
            continue;
        }
        let mut remaining = len;
        while remaining > 0 {
            let run = remaining.min(op - from);
            unsafe { std::ptr::copy_nonoverlapping(d.add(from), d.add(op), run) };
            op += run;
            remaining -= run;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode(block: &[u8], len: usize) -> Result<Vec<u8>, ()> {
        let mut out = vec![0u8; len];
        decompress(block, &mut out).map(|_| out)
    }

    #[test]
    fn literals_only() {
        assert_eq!(decode(&[0x50, b'h', b'e', b'l', b'l', b'o'], 5).unwrap(), b"hello");
        assert_eq!(decode(&[0x00], 0).unwrap(), b"");
    }

    #[test]
    fn overlapping_match_repeats_its_pattern() {
        // "ab", then a match of 8 at offset 2 ("abababab"), then 5 literals.
        let block = [0x24, b'a', b'b', 2, 0, 0x50, b'x', b'y', b'z', b'w', b'v'];
        assert_eq!(decode(&block, 15).unwrap(), b"ababababab".iter().chain(b"xyzwv").copied().collect::<Vec<_>>());
        // Offset 1: a run of one byte.
        let block = [0x1f, b'z', 1, 0, 10, 0x10, b'.'];
        assert_eq!(decode(&block, 1 + 29 + 1).unwrap(), [b"z".repeat(30), b".".to_vec()].concat());
    }

    #[test]
    fn fast_paths_agree_with_the_exact_ones() {
        // 20 distinct bytes, a match of 30 at offset 20 (chunks of 16, the
        // last past its end), one literal and a match of 6 at offset 17 (one
        // chunk each), then 40 literals that leave room for those copies.
        let lits: Vec<u8> = (0u8..20).collect();
        let mut block = vec![0xff, 5];
        block.extend(&lits);
        block.extend([20, 0, 11]);
        block.extend([0x12, 0xaa, 17, 0, 0xf0, 40 - 15]);
        let tail: Vec<u8> = (100u8..140).collect();
        block.extend(&tail);
        let mut expected = lits.clone();
        for _ in 0..30 {
            expected.push(expected[expected.len() - 20]);
        }
        expected.push(0xaa);
        for _ in 0..6 {
            expected.push(expected[expected.len() - 17]);
        }
        expected.extend(&tail);
        assert_eq!(decode(&block, expected.len()).unwrap(), expected);
        // The same output with room to spare is refused: the block must fill it.
        assert!(decode(&block, expected.len() + 16).is_err());
    }

    #[test]
    fn long_literal_length() {
        let mut block = vec![0xf0, 255, 10];
        block.extend(std::iter::repeat(7u8).take(15 + 255 + 10));
        assert_eq!(decode(&block, 280).unwrap(), vec![7u8; 280]);
    }

    #[test]
    fn damaged_blocks_are_errors() {
        assert!(decode(&[], 0).is_err());
        assert!(decode(&[0x50, b'h'], 5).is_err()); // literals past the end
        assert!(decode(&[0x10, b'a', 5, 0, 0x00], 10).is_err()); // offset before the start
        assert!(decode(&[0x10, b'a', 0, 0, 0x00], 10).is_err()); // offset 0
        assert!(decode(&[0x1f, b'a', 1, 0, 255], 400).is_err()); // length runs off the block
        assert!(decode(&[0x50, b'h', b'e', b'l', b'l', b'o'], 4).is_err()); // more than announced
        assert!(decode(&[0x50, b'h', b'e', b'l', b'l', b'o'], 6).is_err()); // less than announced
        assert!(decode(&[0x14, b'a', 1, 0], 9).is_err()); // no last literals
    }

    #[test]
    fn split_reads_the_length() {
        assert_eq!(split(&[3, 0, 0, 0, 0x30, 1, 2, 3]), Some((3, &[0x30, 1, 2, 3][..])));
        assert_eq!(split(&[3, 0, 0]), None);
    }

    /// A plain LZ4 encoder for the tests: greedy matches of at least 4 bytes.
    fn encode(data: &[u8]) -> Vec<u8> {
        fn length(out: &mut Vec<u8>, mut n: usize) {
            while n >= 255 {
                out.push(255);
                n -= 255;
            }
            out.push(n as u8);
        }
        let mut out = Vec::new();
        let (mut i, mut lit_start) = (0, 0);
        while i + 12 <= data.len() {
            let best = (1..=i.min(65535))
                .map(|off| (off, (0..data.len() - 5 - i).take_while(|&k| data[i + k] == data[i + k - off]).count()))
                .max_by_key(|&(off, n)| (n, std::cmp::Reverse(off)));
            match best {
                Some((off, n)) if n >= 4 => {
                    let lit = i - lit_start;
                    out.push(((lit.min(15) as u8) << 4) | (n - 4).min(15) as u8);
                    if lit >= 15 {
                        length(&mut out, lit - 15);
                    }
                    out.extend(&data[lit_start..i]);
                    out.extend((off as u16).to_le_bytes());
                    if n - 4 >= 15 {
                        length(&mut out, n - 4 - 15);
                    }
                    i += n;
                    lit_start = i;
                }
                _ => i += 1,
            }
        }
        let lit = data.len() - lit_start;
        out.push((lit.min(15) as u8) << 4);
        if lit >= 15 {
            length(&mut out, lit - 15);
        }
        out.extend(&data[lit_start..]);
        out
    }

    #[test]
    fn every_kind_of_sequence_round_trips() {
        // Machine-code-like bytes (short literals, short matches from far
        // back), runs with every period from 1 to 20 (matches from close
        // behind, overlapping themselves), long runs and long literals.
        let mut data: Vec<u8> = Vec::new();
        let mut x = 12345u32;
        for k in 0..3000u32 {
            x = x.wrapping_mul(1103515245).wrapping_add(12345);
            data.push(if k % 7 < 3 { (x >> 24) as u8 } else { (k % 61) as u8 });
        }
        for period in 1..=20usize {
            let start = data.len();
            for k in 0..(period * 3 + 23) {
                data.push(if k < period { (k * 37 + period) as u8 } else { data[start + k - period] });
            }
            data.extend((0..5).map(|k| (k * 91 + period) as u8));
        }
        data.extend(std::iter::repeat(0).take(700));
        for k in 0..400u32 {
            x = x.wrapping_mul(1103515245).wrapping_add(12345);
            data.push((x >> 16) as u8 ^ k as u8);
        }
        data.extend_from_within(100..1500);
        for cut in [data.len(), 2000, 200, 40, 13] {
            let part = &data[..cut];
            let block = encode(part);
            assert_eq!(decode(&block, cut).unwrap(), part, "first {} bytes", cut);
            assert!(decode(&block, cut + 1).is_err());
            assert!(decode(&block[..block.len() - 1], cut).is_err());
        }
    }
}
