//! `cargo xtask build`: the wasm bundles and the loader, laid out as the
//! server expects them (ARCHITECTURE.md, "Built assets").
//!
//! Each app is built once in the `wasm-release` profile, run through
//! wasm-bindgen (as a library, so no separate CLI install has to match the
//! pinned version), given its stylesheet, and moved into a directory named by
//! the hash of its content. The hash names the directory rather than the
//! files because the wasm-bindgen glue finds its `.wasm` by a relative URL.
//! Compressed variants are written here so the server never compresses per
//! request.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use sha2::{Digest, Sha256};
use wasm_bindgen_cli_support::Bindgen;

use crate::{prereq, util};

const WASM_TARGET: &str = "wasm32-unknown-unknown";
const WASM_PROFILE: &str = "wasm-release";
/// Hex digits of the content hash kept in directory names: 48 bits is far
/// more than enough to tell builds apart and keeps URLs short.
const HASH_LEN: usize = 12;

/// One leptos app: its crate directory (for `style.css`) and artifact stem.
struct App {
    /// Directory name under `target/ahlan-assets/` and under the workspace.
    name: &'static str,
    package: &'static str,
    /// The cdylib's name, which is also the stem of the wasm-bindgen output.
    stem: &'static str,
}

const APPS: [App; 2] = [
    App {
        name: "widget",
        package: "ahlan-widget",
        stem: "ahlan_widget",
    },
    App {
        name: "dashboard",
        package: "ahlan-dashboard",
        stem: "ahlan_dashboard",
    },
];

/// Builds everything into `target/ahlan-assets/`, prints the weights and
/// returns them (the benchmark report carries them too).
pub fn build() -> Result<Vec<Weight>> {
    prereq::ensure_wasm_target()?;
    let root = util::workspace_root();
    let out = util::assets_dir();
    fs::create_dir_all(&out).with_context(|| format!("creating {}", out.display()))?;

    compile_wasm()?;

    let mut manifest = serde_json::Map::new();
    let mut weights = Vec::new();
    for app in &APPS {
        let dir = bundle(app, &root, &out)?;
        weights.extend(bundle_weights(app, &out.join(&dir))?);
        manifest.insert(app.name.to_owned(), dir.into());
    }

    // The host page's scripts: the loader first in the table, as every
    // page view fetches it; proactive.js only on sites with rules.
    for (at, script) in HOST_SCRIPTS.iter().enumerate() {
        let source_path = root.join("widget/loader").join(script);
        let served = out.join(script);
        let source = fs::read_to_string(&source_path)
            .with_context(|| format!("reading {}", source_path.display()))?;
        let minified = minify_host_script(script, &source)?;
        fs::write(&served, minified).with_context(|| format!("writing {}", served.display()))?;
        compress(&served)?;
        weights.insert(at, Weight::of(script, &served)?);
    }

    // Written last and atomically: a server starting mid-build sees either
    // the old complete manifest or the new one, never half of one.
    let manifest = serde_json::to_string_pretty(&serde_json::Value::Object(manifest))?;
    write_atomically(&out.join("manifest.json"), manifest.as_bytes())?;

    print_weights(&weights);
    println!("assets written to {}", out.display());
    Ok(weights)
}

/// The scripts a customer's page loads from us, served at
/// `/widget/<name>`, from `widget/loader/<name>`.
const HOST_SCRIPTS: [&str; 2] = ["loader.js", "proactive.js"];

/// A host script as served. Every page view of a customer's site downloads
/// the loader, so it is minified with oxc (names mangled, code compressed):
/// its comments, long names and indentation are for us, not for visitors.
/// The node test runs on this output too (`cargo xtask test`).
fn minify_host_script(name: &str, source: &str) -> Result<String> {
    use oxc_allocator::Allocator;
    use oxc_codegen::{Codegen, CodegenOptions};
    use oxc_minifier::{Minifier, MinifierOptions};
    use oxc_parser::Parser;
    use oxc_span::SourceType;

    let allocator = Allocator::default();
    let parsed = Parser::new(&allocator, source, SourceType::script()).parse();
    if let Some(error) = parsed.diagnostics.first() {
        anyhow::bail!("widget/loader/{name} does not parse: {error}");
    }
    let mut program = parsed.program;
    let minified = Minifier::new(MinifierOptions::default()).minify(&allocator, &mut program);
    Ok(Codegen::new()
        .with_options(CodegenOptions::minify())
        .with_scoping(minified.scoping)
        .build(&program)
        .code)
}

/// One cargo call for both apps, so shared dependencies compile once.
fn compile_wasm() -> Result<()> {
    let mut cmd = util::cargo();
    cmd.args(["build", "--target", WASM_TARGET, "--profile", WASM_PROFILE]);
    for app in &APPS {
        cmd.args(["-p", app.package]);
    }
    util::run(&mut cmd)
}

/// Produces `<out>/<app>/<hash>/` and returns `"<app>/<hash>"`.
fn bundle(app: &App, root: &Path, out: &Path) -> Result<String> {
    let wasm = util::cargo_target_dir()
        .join(WASM_TARGET)
        .join(WASM_PROFILE)
        .join(format!("{}.wasm", app.stem));
    let app_out = out.join(app.name);
    let staging = app_out.join(".staging");
    remove_if_present(&staging)?;
    fs::create_dir_all(&staging).with_context(|| format!("creating {}", staging.display()))?;

    bindgen(&wasm, &staging, false)?;

    let style_src = root.join(app.name).join("style.css");
    fs::copy(&style_src, staging.join("style.css"))
        .with_context(|| format!("copying {}", style_src.display()))?;

    let files = files_under(&staging)?;
    let hash = content_hash(&staging, &files)?;
    let paths: Vec<PathBuf> = files.iter().map(|file| staging.join(file)).collect();
    compress_all(&paths)?;

    // Replace rather than reuse an existing directory of the same hash: a
    // build interrupted after the rename but before compression finished
    // cannot have left it incomplete this way.
    let final_dir = app_out.join(&hash);
    remove_if_present(&final_dir)?;
    fs::rename(&staging, &final_dir)
        .with_context(|| format!("moving {} to {}", staging.display(), final_dir.display()))?;
    remove_stale(&app_out, &hash)?;
    Ok(format!("{}/{hash}", app.name))
}

/// Runs wasm-bindgen on `wasm` into `dir`, dropping the function names
/// unless `keep_names`.
fn bindgen(wasm: &Path, dir: &Path, keep_names: bool) -> Result<()> {
    Bindgen::new()
        .input_path(wasm)
        .web(true)?
        .typescript(false)
        // Without this the generated `init()` has no default URL for the
        // wasm file and the page's `init()` call would need to pass one.
        .omit_default_module_path(false)
        // `strip = false` in the wasm profile (needed for the
        // target-features section) leaves the function-name section in,
        // and it is as big as the code itself (~1 MB for a 1 MB widget).
        // It only names frames in devtools stack traces; visitors should
        // not download it.
        .remove_name_section(!keep_names)
        .remove_producers_section(true)
        .generate(dir)
        .with_context(|| format!("wasm-bindgen on {}", wasm.display()))
}

/// The widget's wasm as served but with its function names, written under
/// `dir` (after [`build`]), for the bench's breakdown of where its bytes go.
pub fn widget_with_names(dir: &Path) -> Result<PathBuf> {
    let app = &APPS[0];
    let wasm = util::cargo_target_dir()
        .join(WASM_TARGET)
        .join(WASM_PROFILE)
        .join(format!("{}.wasm", app.stem));
    remove_if_present(dir)?;
    fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    bindgen(&wasm, dir, true)?;
    Ok(dir.join(format!("{}_bg.wasm", app.stem)))
}

/// Every file below `dir`, relative and sorted so the hash is stable.
/// wasm-bindgen may add a `snippets/` tree for inline JS, hence recursion.
fn files_under(dir: &Path) -> Result<Vec<PathBuf>> {
    fn walk(base: &Path, dir: &Path, files: &mut Vec<PathBuf>) -> Result<()> {
        for entry in fs::read_dir(dir).with_context(|| format!("reading {}", dir.display()))? {
            let path = entry?.path();
            if path.is_dir() {
                walk(base, &path, files)?;
            } else {
                files.push(path.strip_prefix(base)?.to_path_buf());
            }
        }
        Ok(())
    }
    let mut files = Vec::new();
    walk(dir, dir, &mut files)?;
    files.sort();
    Ok(files)
}

/// sha256 over each file's relative path, length and bytes; the first
/// `HASH_LEN` hex digits.
fn content_hash(dir: &Path, files: &[PathBuf]) -> Result<String> {
    let mut hasher = Sha256::new();
    for file in files {
        let bytes =
            fs::read(dir.join(file)).with_context(|| format!("reading {}", file.display()))?;
        hasher.update(file.to_string_lossy().as_bytes());
        hasher.update([0]);
        hasher.update((bytes.len() as u64).to_le_bytes());
        hasher.update(&bytes);
    }
    let digest = hasher.finalize();
    let hex: String = digest.iter().map(|byte| format!("{byte:02x}")).collect();
    Ok(hex[..HASH_LEN].to_owned())
}

/// Compresses files in parallel: brotli at quality 11 takes seconds on a
/// wasm file, and the machines have more than one core.
fn compress_all(files: &[PathBuf]) -> Result<()> {
    std::thread::scope(|scope| {
        let tasks: Vec<_> = files
            .iter()
            .map(|file| scope.spawn(move || compress(file)))
            .collect();
        tasks
            .into_iter()
            .try_for_each(|task| task.join().expect("compression does not panic"))
    })
}

/// Writes `<file>.gz` (gzip level 9) and `<file>.br` (brotli quality 11,
/// window 22) beside `file`.
fn compress(file: &Path) -> Result<()> {
    let raw = fs::read(file).with_context(|| format!("reading {}", file.display()))?;

    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::new(9));
    gz.write_all(&raw)?;
    fs::write(with_suffix(file, "gz"), gz.finish()?)?;

    let params = brotli::enc::BrotliEncoderParams {
        quality: 11,
        lgwin: 22,
        ..Default::default()
    };
    let mut br = Vec::new();
    brotli::BrotliCompress(&mut raw.as_slice(), &mut br, &params)?;
    fs::write(with_suffix(file, "br"), br)?;
    Ok(())
}

/// `style.css` → `style.css.gz`: the suffix is appended, not substituted.
fn with_suffix(file: &Path, suffix: &str) -> PathBuf {
    let mut name = file.as_os_str().to_owned();
    name.push(".");
    name.push(suffix);
    PathBuf::from(name)
}

/// Old hash directories would otherwise pile up with every build.
fn remove_stale(app_out: &Path, keep: &str) -> Result<()> {
    for entry in fs::read_dir(app_out)? {
        let entry = entry?;
        if entry.file_name() != keep && entry.path().is_dir() {
            remove_if_present(&entry.path())?;
        }
    }
    Ok(())
}

fn remove_if_present(dir: &Path) -> Result<()> {
    match fs::remove_dir_all(dir) {
        Err(err) if err.kind() != std::io::ErrorKind::NotFound => {
            Err(err).with_context(|| format!("removing {}", dir.display()))
        }
        _ => Ok(()),
    }
}

fn write_atomically(path: &Path, bytes: &[u8]) -> Result<()> {
    let tmp = with_suffix(path, "tmp");
    fs::write(&tmp, bytes).with_context(|| format!("writing {}", tmp.display()))?;
    fs::rename(&tmp, path).with_context(|| format!("writing {}", path.display()))
}

/// One row of the weight table, in bytes.
pub struct Weight {
    pub label: String,
    pub raw: u64,
    pub gzip: u64,
    pub brotli: u64,
}

impl Weight {
    /// What a visitor downloads before the launcher shows: the loader plus
    /// the whole widget bundle.
    pub fn counts_for_widget(&self) -> bool {
        self.label == "loader.js" || self.label.starts_with("widget ")
    }
}

impl Weight {
    fn of(label: &str, file: &Path) -> Result<Self> {
        let size = |path: &Path| {
            fs::metadata(path)
                .map(|meta| meta.len())
                .with_context(|| format!("reading the size of {}", path.display()))
        };
        Ok(Self {
            label: label.to_owned(),
            raw: size(file)?,
            gzip: size(&with_suffix(file, "gz"))?,
            brotli: size(&with_suffix(file, "br"))?,
        })
    }
}

/// The rows of one bundle: wasm, glue and CSS by name, anything else
/// wasm-bindgen added (snippets) under its path.
fn bundle_weights(app: &App, dir: &Path) -> Result<Vec<Weight>> {
    let known = [
        (format!("{}_bg.wasm", app.stem), "wasm"),
        (format!("{}.js", app.stem), "JS glue"),
        ("style.css".to_owned(), "CSS"),
    ];
    let mut rows = Vec::new();
    for (file, what) in &known {
        rows.push(Weight::of(
            &format!("{} {what}", app.name),
            &dir.join(file),
        )?);
    }
    for file in files_under(dir)? {
        let name = file.to_string_lossy();
        let is_variant = name.ends_with(".gz") || name.ends_with(".br");
        if !is_variant && !known.iter().any(|(known, _)| *known == name) {
            rows.push(Weight::of(
                &format!("{} {name}", app.name),
                &dir.join(&file),
            )?);
        }
    }
    if rows.is_empty() {
        bail!("{} produced no files", app.name);
    }
    Ok(rows)
}

fn print_weights(rows: &[Weight]) {
    let kb = |bytes: u64| format!("{:.1}", bytes as f64 / 1024.0);
    println!();
    println!(
        "{:<24} {:>10} {:>10} {:>10}",
        "asset (KB)", "raw", "gzip", "brotli"
    );
    for row in rows {
        println!(
            "{:<24} {:>10} {:>10} {:>10}",
            row.label,
            kb(row.raw),
            kb(row.gzip),
            kb(row.brotli)
        );
    }
    let widget: Vec<&Weight> = rows.iter().filter(|row| row.counts_for_widget()).collect();
    println!(
        "{:<24} {:>10} {:>10} {:>10}",
        "widget total",
        kb(widget.iter().map(|row| row.raw).sum()),
        kb(widget.iter().map(|row| row.gzip).sum()),
        kb(widget.iter().map(|row| row.brotli).sum())
    );
    println!();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suffix_is_appended() {
        assert_eq!(
            with_suffix(Path::new("a/style.css"), "br"),
            PathBuf::from("a/style.css.br")
        );
    }

    #[test]
    fn hash_follows_content_and_names() {
        let dir = std::env::temp_dir().join(format!("xtask-hash-{}", std::process::id()));
        fs::create_dir_all(&dir).unwrap();
        fs::write(dir.join("a.js"), "one").unwrap();
        let files = files_under(&dir).unwrap();
        let first = content_hash(&dir, &files).unwrap();
        assert_eq!(first.len(), HASH_LEN);
        assert_eq!(first, content_hash(&dir, &files).unwrap());

        fs::write(dir.join("a.js"), "two").unwrap();
        assert_ne!(first, content_hash(&dir, &files).unwrap());
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn compressed_variants_round_trip() {
        use std::io::Read;
        let dir = std::env::temp_dir().join(format!("xtask-compress-{}", std::process::id()));
        fs::create_dir_all(&dir).unwrap();
        let file = dir.join("loader.js");
        let text = "window.Ahlan = {};\n".repeat(100);
        fs::write(&file, &text).unwrap();
        compress(&file).unwrap();

        let mut gunzipped = String::new();
        flate2::read::GzDecoder::new(fs::File::open(with_suffix(&file, "gz")).unwrap())
            .read_to_string(&mut gunzipped)
            .unwrap();
        assert_eq!(gunzipped, text);

        let mut unbrotlied = String::new();
        brotli::Decompressor::new(fs::File::open(with_suffix(&file, "br")).unwrap(), 4096)
            .read_to_string(&mut unbrotlied)
            .unwrap();
        assert_eq!(unbrotlied, text);
        fs::remove_dir_all(&dir).unwrap();
    }
}
