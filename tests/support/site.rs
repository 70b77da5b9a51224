//! The Jekyll site that `tests/jekyll.rs` and `tests/browser.rs` check: every generated docs
//! page of `connectors/` and `tests/fixtures/valid/` plus the catalogue index, in the minimal
//! site of `tests/jekyll-site/` (a config and a layout, no theme), with a small PNG for every
//! `./images/*.png` the pages show, built by the real `jekyll`.
//!
//! Each test crate that includes this module (`#[path = "support/site.rs"] mod site;`) builds
//! its own copy, once per run, under Cargo's temporary directory. The build needs `jekyll` on
//! the PATH (`apt-get install jekyll`; `.ci/run` installs it). Without it the build is skipped
//! and that is said once on stderr, unless `CI` is set: under CI a missing Jekyll is a
//! failure. `CONNECTOR_GEN_SKIP_JEKYLL=1` skips the build on purpose, outside CI only.

use std::fs;
use std::io::{ErrorKind, Write};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use connector_gen::Generator;

#[path = "imported.rs"]
mod imported;

const INSTALL: &str = "`apt-get install jekyll`";

/// Builds the site once per test run and returns its output directory, or `None` when the
/// build is skipped, which is said once per run.
pub fn build_site() -> Option<PathBuf> {
    static SITE: OnceLock<Option<PathBuf>> = OnceLock::new();
    SITE.get_or_init(|| match jekyll_runs() {
        Ok(()) => Some(build()),
        Err(reason) => {
            // Straight to the process's stderr: the harness captures `eprintln!` in a test
            // that passes and never shows it.
            let _ = writeln!(
                std::io::stderr().lock(),
                "skipped: the Jekyll build of the generated pages ({reason}; with CI set this is a failure)"
            );
            None
        }
    })
    .clone()
}

/// Whether the Jekyll build can run: `Err` says why it is skipped. Under CI (`CI` set and not
/// empty) nothing is skipped: a missing Jekyll, or `CONNECTOR_GEN_SKIP_JEKYLL`, panics.
fn jekyll_runs() -> Result<(), String> {
    let ci = std::env::var_os("CI").is_some_and(|value| !value.is_empty());
    if std::env::var_os("CONNECTOR_GEN_SKIP_JEKYLL").is_some() {
        assert!(
            !ci,
            "CONNECTOR_GEN_SKIP_JEKYLL is set, but so is CI, and CI never skips the Jekyll build \
             of the generated pages: install jekyll with {INSTALL} and unset CONNECTOR_GEN_SKIP_JEKYLL"
        );
        return Err("CONNECTOR_GEN_SKIP_JEKYLL is set".to_owned());
    }
    match Command::new("jekyll").arg("--version").output() {
        Ok(output) if output.status.success() => Ok(()),
        Ok(output) => panic!(
            "jekyll is on the PATH but `jekyll --version` failed ({}):\n{}\n{}\nreinstall it with {INSTALL}",
            output.status,
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        ),
        Err(e) if e.kind() == ErrorKind::NotFound => {
            assert!(
                !ci,
                "jekyll is not installed (`jekyll --version`: {e}) and CI is set, so the Jekyll \
                 build of the generated pages cannot be skipped: install it with {INSTALL}"
            );
            Err(format!("jekyll is not installed; {INSTALL} to run it"))
        }
        Err(e) => panic!("cannot run `jekyll --version` ({e}); install jekyll with {INSTALL}"),
    }
}

/// Every generated docs page of `connectors/`, `tests/fixtures/valid/` and the definitions
/// imported from `tests/fixtures/openapi/`, as (file name, contents).
pub fn docs_pages() -> Vec<(String, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut generator = Generator::new()
        .input(root.join("connectors"))
        .input(root.join("tests/fixtures/valid"));
    let imported = imported::imported_definitions();
    for (name, text) in &imported {
        generator = generator.source(name, text);
    }
    let run = generator.generate();
    assert!(!run.has_errors(), "{:#?}", run.diagnostics);
    let pages: Vec<(String, String)> = run
        .files
        .iter()
        .filter(|f| f.path.starts_with("docs"))
        .map(|f| {
            let name = f.path.file_name().unwrap().to_str().unwrap().to_owned();
            (name, f.contents.clone())
        })
        .collect();
    let definitions = ["connectors", "tests/fixtures/valid"]
        .iter()
        .flat_map(|dir| fs::read_dir(root.join(dir)).unwrap())
        .filter(|entry| entry.as_ref().unwrap().path().extension() == Some("yaml".as_ref()))
        .count();
    assert_eq!(
        pages.len(),
        definitions + imported.len(),
        "one page per definition"
    );
    pages
}

/// The catalogue index of `connectors/`.
pub fn catalogue_page() -> String {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let catalogue = Generator::new().input(root.join("connectors")).catalogue();
    let index = catalogue
        .files
        .iter()
        .find(|f| f.path.ends_with("catalogue.md"))
        .unwrap();
    index.contents.clone()
}

fn build() -> PathBuf {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    // One site per test crate, so that two test binaries run at once do not share it.
    let site = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join(concat!("jekyll-site-", env!("CARGO_CRATE_NAME")));
    let _ = fs::remove_dir_all(&site);
    fs::create_dir_all(site.join("_layouts")).unwrap();
    for file in ["_config.yml", "_layouts/default.html"] {
        fs::copy(root.join("tests/jekyll-site").join(file), site.join(file)).unwrap();
    }
    let mut pages = docs_pages();
    pages.push(("catalogue.md".to_owned(), catalogue_page()));
    for (name, contents) in &pages {
        fs::write(site.join(name), contents).unwrap();
        for image in site_images(contents) {
            fs::create_dir_all(site.join("images")).unwrap();
            fs::write(
                site.join("images").join(image),
                png(48, 32, [0x2b, 0x6c, 0xb0]),
            )
            .unwrap();
        }
    }
    let output = Command::new("jekyll")
        .args(["build", "--quiet", "--source"])
        .arg(&site)
        .arg("--destination")
        .arg(site.join("_site"))
        .output()
        .unwrap_or_else(|e| panic!("cannot run jekyll ({e}); install it with {INSTALL}"));
    assert!(
        output.status.success(),
        "jekyll build failed:\n{}\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    site.join("_site")
}

/// The file names of the site's own images a page links: every `](./images/NAME.png)` in its
/// Markdown, NAME a plain file name. Anything else it shows is left for the checks to find.
fn site_images(page: &str) -> Vec<&str> {
    page.match_indices("](./images/")
        .filter_map(|(at, prefix)| {
            let rest = &page[at + prefix.len()..];
            let name = &rest[..rest.find(')')?];
            let plain = name
                .strip_suffix(".png")?
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
            (plain && name.len() > ".png".len()).then_some(name)
        })
        .collect()
}

/// A valid PNG of `width` x `height` pixels in one colour: 8-bit RGB, the image data in
/// stored (uncompressed) deflate blocks.
pub fn png(width: u32, height: u32, rgb: [u8; 3]) -> Vec<u8> {
    fn crc32(bytes: &[u8]) -> u32 {
        let mut crc = 0xffff_ffff_u32;
        for &byte in bytes {
            crc ^= u32::from(byte);
            for _ in 0..8 {
                crc = if crc & 1 == 1 {
                    (crc >> 1) ^ 0xedb8_8320
                } else {
                    crc >> 1
                };
            }
        }
        !crc
    }
    fn chunk(png: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
        png.extend_from_slice(&u32::try_from(data.len()).unwrap().to_be_bytes());
        let start = png.len();
        png.extend_from_slice(kind);
        png.extend_from_slice(data);
        let crc = crc32(&png[start..]);
        png.extend_from_slice(&crc.to_be_bytes());
    }
    // Each row: filter type 0 (none), then the pixels.
    let row: Vec<u8> = std::iter::once(0)
        .chain(rgb.repeat(usize::try_from(width).unwrap()))
        .collect();
    let pixels = row.repeat(usize::try_from(height).unwrap());
    let mut zlib = vec![0x78, 0x01];
    let blocks: Vec<&[u8]> = pixels.chunks(0xffff).collect();
    for (i, block) in blocks.iter().enumerate() {
        let len = u16::try_from(block.len()).unwrap();
        zlib.push(u8::from(i + 1 == blocks.len()));
        zlib.extend_from_slice(&len.to_le_bytes());
        zlib.extend_from_slice(&(!len).to_le_bytes());
        zlib.extend_from_slice(block);
    }
    let (mut a, mut b) = (1_u32, 0_u32);
    for &byte in &pixels {
        a = (a + u32::from(byte)) % 65521;
        b = (b + a) % 65521;
    }
    zlib.extend_from_slice(&((b << 16) | a).to_be_bytes());

    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut header = Vec::new();
    header.extend_from_slice(&width.to_be_bytes());
    header.extend_from_slice(&height.to_be_bytes());
    // Bit depth 8, colour type 2 (RGB), deflate, adaptive filtering, no interlace.
    header.extend_from_slice(&[8, 2, 0, 0, 0]);
    chunk(&mut png, b"IHDR", &header);
    chunk(&mut png, b"IDAT", &zlib);
    chunk(&mut png, b"IEND", &[]);
    png
}
