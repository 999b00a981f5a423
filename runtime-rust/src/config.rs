//! Interpreter configuration records of the payload (see `format::config_key`).

use crate::format::config_key;

#[derive(Debug, Default, PartialEq, Eq)]
pub struct InterpreterConfig {
    pub run_mode: u8,
    pub run_arg: Vec<u8>,
    pub sys_paths: Vec<Vec<u8>>,
    pub settings: Vec<(u16, i32)>,
    pub string_settings: Vec<(u16, Vec<u8>)>,
}

fn u16_at(b: &[u8], at: usize) -> u16 {
    u16::from_le_bytes([b[at], b[at + 1]])
}

pub fn parse(mut b: &[u8]) -> Result<InterpreterConfig, String> {
    let mut c = InterpreterConfig::default();
    while !b.is_empty() {
        if b.len() < 8 {
            return Err("config record header is truncated".to_string());
        }
        let key = u16_at(b, 0);
        let len = u32::from_le_bytes([b[4], b[5], b[6], b[7]]) as usize;
        if b.len() - 8 < len {
            return Err("config record is truncated".to_string());
        }
        let v = &b[8..8 + len];
        match key {
            config_key::RUN_MODE if len == 1 => c.run_mode = v[0],
            config_key::RUN_ARG => c.run_arg = v.to_vec(),
            config_key::SYS_PATH => c.sys_paths.push(v.to_vec()),
            config_key::SETTING if len == 6 => {
                c.settings.push((u16_at(v, 0), i32::from_le_bytes([v[2], v[3], v[4], v[5]])))
            }
            config_key::STRING_SETTING if len >= 2 => c.string_settings.push((u16_at(v, 0), v[2..].to_vec())),
            // Unknown keys are skipped so newer writers stay readable.
            config_key::RUN_MODE | config_key::SETTING | config_key::STRING_SETTING => {
                return Err(format!("config record {} has a bad length", key))
            }
            _ => {}
        }
        b = &b[8 + len..];
    }
    Ok(c)
}

/// Replaces `$ORIGIN` with the executable's directory.
pub fn expand_origin(path: &[u8], origin: &[u8]) -> Vec<u8> {
    let token = b"$ORIGIN";
    let mut out = Vec::with_capacity(path.len() + origin.len());
    let mut i = 0;
    while i < path.len() {
        if path[i..].starts_with(token) {
            out.extend_from_slice(origin);
            i += token.len();
        } else {
            out.push(path[i]);
            i += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(key: u16, v: &[u8]) -> Vec<u8> {
        let mut r = key.to_le_bytes().to_vec();
        r.extend_from_slice(&[0, 0]);
        r.extend_from_slice(&(v.len() as u32).to_le_bytes());
        r.extend_from_slice(v);
        r
    }

    #[test]
    fn parses_records_and_skips_unknown_keys() {
        let mut b = record(config_key::RUN_MODE, &[2]);
        b.extend(record(config_key::RUN_ARG, b"app.main"));
        b.extend(record(99, b"future"));
        b.extend(record(config_key::SYS_PATH, b"$ORIGIN/lib"));
        let mut s = 5u16.to_le_bytes().to_vec();
        s.extend_from_slice(&(-1i32).to_le_bytes());
        b.extend(record(config_key::SETTING, &s));
        let c = parse(&b).unwrap();
        assert_eq!(c.run_mode, 2);
        assert_eq!(c.run_arg, b"app.main");
        assert_eq!(c.sys_paths, vec![b"$ORIGIN/lib".to_vec()]);
        assert_eq!(c.settings, vec![(5, -1)]);
    }

    #[test]
    fn rejects_truncated_records() {
        let b = record(config_key::RUN_ARG, b"abc");
        assert!(parse(&b[..b.len() - 1]).is_err());
        assert!(parse(&b[..5]).is_err());
    }

    #[test]
    fn expands_origin() {
        assert_eq!(expand_origin(b"$ORIGIN/lib:$ORIGIN", b"/opt/app"), b"/opt/app/lib:/opt/app".to_vec());
        assert_eq!(expand_origin(b"/plain", b"/x"), b"/plain".to_vec());
    }
}
