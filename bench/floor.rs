//! The floor of issue 6's benchmark: the least any pipeline must do. Reads and parses every
//! definition (saphyr's event stream, to the end, no tree) and writes the same number of
//! bytes to the same number of files as a real run, on one thread, nothing else.
//!
//!     floor DEFINITIONS MANIFEST OUT
//!
//! MANIFEST lists the files of a real run's output, one `<bytes>\t<relative path>` per line
//! (bench/run.py writes it). Built as an example so that it shares connector-gen's parser
//! and build profile: `cargo build --release --example floor`.

use std::fs;
use std::path::Path;

use saphyr_parser::{Event, Parser};

fn main() -> std::io::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [definitions, manifest, out] = args.as_slice() else {
        eprintln!("usage: floor DEFINITIONS MANIFEST OUT");
        std::process::exit(2);
    };

    let mut paths: Vec<_> = fs::read_dir(definitions)?
        .map(|entry| entry.map(|e| e.path()))
        .collect::<Result<_, _>>()?;
    paths.retain(|path| path.extension().is_some_and(|e| e == "yaml"));
    paths.sort();
    let mut scalars = 0usize;
    for path in &paths {
        let text = fs::read_to_string(path)?;
        for event in Parser::new_from_str(&text) {
            match event {
                Ok((Event::Scalar(..), _)) => scalars += 1,
                Ok(_) => {}
                Err(error) => {
                    eprintln!("{}: {error}", path.display());
                    std::process::exit(1);
                }
            }
        }
    }

    let manifest = fs::read_to_string(manifest)?;
    let mut bytes = Vec::new();
    let mut files = 0usize;
    for line in manifest.lines() {
        let Some((size, relative)) = line.split_once('\t') else {
            continue;
        };
        let size: usize = size.parse().map_err(std::io::Error::other)?;
        bytes.resize(size.max(bytes.len()), b'x');
        let path = Path::new(out).join(relative);
        if let Some(dir) = path.parent() {
            fs::create_dir_all(dir)?;
        }
        fs::write(&path, &bytes[..size])?;
        files += 1;
    }
    println!(
        "{} definitions ({scalars} scalars) parsed, {files} files written",
        paths.len()
    );
    Ok(())
}
