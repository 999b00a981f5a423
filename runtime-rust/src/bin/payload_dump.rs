//! Prints a payload's index and config as text lines. Used by the tests that
//! round-trip the TypeScript writer through this reader, and for debugging.
//! Usage: oxidize-payload-dump FILE

use oxidize_runtime::format::SLOTS;
use oxidize_runtime::payload::{locate, Payload};

fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{:02x}", x)).collect()
}

fn main() {
    let path = match std::env::args_os().nth(1) {
        Some(p) => p,
        None => {
            eprintln!("usage: oxidize-payload-dump FILE");
            std::process::exit(2);
        }
    };
    let file = match std::fs::read(&path) {
        Ok(f) => f,
        Err(e) => {
            eprintln!("oxidize-payload-dump: {}", e);
            std::process::exit(2);
        }
    };
    let result = locate(&file).and_then(|(b, sum)| Payload::parse(b, sum));
    let p = match result {
        Ok(p) => p,
        Err(e) => {
            println!("error {}", e);
            std::process::exit(1);
        }
    };
    let c = match oxidize_runtime::config::parse(p.config_bytes()) {
        Ok(c) => c,
        Err(e) => {
            println!("error {}", e);
            std::process::exit(1);
        }
    };
    println!("run_mode {}", c.run_mode);
    println!("run_arg {}", String::from_utf8_lossy(&c.run_arg));
    for sp in &c.sys_paths {
        println!("sys_path {}", String::from_utf8_lossy(sp));
    }
    for (id, v) in &c.settings {
        println!("setting {} {}", id, v);
    }
    for (id, v) in &c.string_settings {
        println!("string_setting {} {}", id, String::from_utf8_lossy(v));
    }
    for i in 0..p.len() {
        let e = p.entry(i).unwrap();
        let mut slots = Vec::new();
        for s in 0..SLOTS {
            slots.push(match p.blob(i, s) {
                Ok(Some(b)) => hex(b),
                Ok(None) => "-".to_string(),
                Err(_) => "CORRUPT".to_string(),
            });
        }
        println!("entry {} {} {} {}", e.kind, e.flags, String::from_utf8_lossy(e.name), slots.join(" "));
    }
}
