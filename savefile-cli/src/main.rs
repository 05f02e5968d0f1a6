//! `savefile`: look into any file saved with savefile (or savefile 0.20) without the
//! program that wrote it, using the schema every such file carries.
//!
//! Exit codes: 0 success; 1 an invalid or unreadable file (or, for `diff-schema`,
//! schemas that differ, as `diff` does); 2 wrong usage.

use std::fs::File;
use std::io::{self, BufReader, BufWriter, IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use savefile::{
    load_dynamic_exact, load_dynamic_from_mem_with, load_dynamic_schema, schema_differences,
    visit_dynamic_exact, visit_dynamic_from_mem, Dynamic, DynamicError, FileSchema, LoadOptions,
    Value, Visit, VisitError,
};
use savefile_cli::render::{self, Json, Style, Text};
use savefile_cli::schema_tree;

/// Inspect savefiles without their program's types: header, schema and values.
///
/// Every FILE may be `-` for standard input. Files saved without a schema (by the
/// `*_noschema` functions) cannot be decoded: nothing in them says what their bytes are.
#[derive(Parser)]
#[command(name = "savefile", version)]
struct Cli {
    #[command(subcommand)]
    command: Command,
    /// The most memory a load may use, in bytes (savefile's LoadOptions::max_bytes); also
    /// the largest file `dump` and `check` read.
    #[arg(long, global = true, default_value_t = savefile::DEFAULT_MAX_BYTES)]
    max_bytes: u64,
}

#[derive(Subcommand)]
enum Command {
    /// The header (format version, data version, compression), a summary of the schema
    /// and the sizes; reads only the header and the schema.
    Info {
        /// The file, or `-` for standard input.
        file: PathBuf,
    },
    /// The schema, as an indented tree of Rust-like type names.
    Schema {
        /// The file, or `-` for standard input.
        file: PathBuf,
    },
    /// The saved values, as an indented tree or as JSON.
    Dump {
        /// The file, or `-` for standard input.
        file: PathBuf,
        /// Write JSON instead of the tree.
        #[arg(long)]
        json: bool,
        /// Only the value at this path: field names, variant field names and element
        /// indices from the root, as in `./players/3/name`.
        #[arg(long)]
        path: Option<String>,
        /// Elements of each sequence, array or map to write before eliding the rest
        /// (default: 32 for the tree, all for JSON).
        #[arg(long)]
        limit: Option<usize>,
    },
    /// Every difference between the schemas of two files, in the words of a load's
    /// error: A is taken as the program's schema, B as the file's. Exit code 1 when
    /// they differ.
    DiffSchema {
        /// The file whose schema plays the program's part.
        a: PathBuf,
        /// The file whose schema plays the file's part.
        b: PathBuf,
    },
    /// Decodes the whole file; exit code 0 if it is valid, 1 with the error, the path of
    /// the value and the byte offset if not.
    Check {
        /// The file, or `-` for standard input.
        file: PathBuf,
    },
}

/// What a command failed with.
enum Failure {
    /// The input is invalid or unreadable: exit code 1.
    Invalid(String),
    /// Schemas differ (diff-schema): exit code 1, the differences already written.
    Differs,
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        // `--help` and `--version` are "errors" that exit 0; usage errors exit 2.
        Err(e) => e.exit(),
    };
    let options = LoadOptions::default().max_bytes(cli.max_bytes);
    match run(cli.command, &options) {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure::Differs) => ExitCode::from(1),
        Err(Failure::Invalid(message)) => {
            eprintln!("savefile: {message}");
            ExitCode::from(1)
        }
    }
}

fn run(command: Command, options: &LoadOptions) -> Result<(), Failure> {
    let stdout = io::stdout();
    let mut out = BufWriter::with_capacity(1 << 16, stdout.lock());
    let written = match command {
        Command::Info { file } => {
            let found = schema_of(&file, options)?;
            info(&mut out, &file, &found)
        }
        Command::Schema { file } => {
            let found = schema_of(&file, options)?;
            schema_tree::write_tree(&mut out, &found.schema)
        }
        Command::Dump {
            file,
            json,
            path,
            limit,
        } => {
            let style = Style {
                limit: limit.unwrap_or(if json { usize::MAX } else { 32 }),
            };
            match &path {
                // Written as it is decoded, without a tree.
                None if json => {
                    let mut json = Json::new(&mut out, style);
                    visit(&file, options, &mut json)?.and_then(|_| json.finish().map(drop))
                }
                None => {
                    let mut text = Text::new(&mut out, style);
                    visit(&file, options, &mut text)?.and_then(|_| text.finish().map(drop))
                }
                Some(path) => {
                    let dynamic = load(&file, options)?;
                    let value = find(&dynamic.value, path)?;
                    let written = if json {
                        render::json(&mut out, &value, style)
                    } else {
                        render::text(&mut out, &value, style)
                    };
                    // The process ends right after: giving a tree of millions of blocks
                    // back to the allocator one by one takes longer than the system
                    // takes to reclaim the memory when the process exits.
                    std::mem::forget(dynamic);
                    written
                }
            }
        }
        Command::DiffSchema { a, b } => {
            let program = schema_of(&a, options)?.schema;
            let file = schema_of(&b, options)?.schema;
            let differences = schema_differences(&program, &file);
            let written = (|| {
                if differences.is_empty() {
                    return writeln!(
                        out,
                        "the schemas match: {} loads as {}",
                        b.display(),
                        a.display()
                    );
                }
                for difference in &differences {
                    writeln!(out, "at `{}`: {}", difference.path, difference.difference)?;
                }
                out.flush()
            })();
            written.map_err(|e| Failure::Invalid(format!("writing the output: {e}")))?;
            return match differences.is_empty() {
                true => Ok(()),
                false => Err(Failure::Differs),
            };
        }
        Command::Check { file } => {
            let found = match visit(&file, options, &mut Nothing)? {
                Ok(found) => found,
                Err(never) => match never {},
            };
            writeln!(
                out,
                "{}: valid, data version {}, {}",
                file.display(),
                found.header.data_version,
                schema_tree::type_name(&found.schema)
            )
        }
    };
    match written.and_then(|()| out.flush()) {
        Ok(()) => Ok(()),
        // A closed pipe (`savefile dump big.sav | head`) is not an error of the file.
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(Failure::Invalid(format!("writing the output: {e}"))),
    }
}

/// The message for `error` in `file`.
fn invalid(file: &Path, error: impl std::fmt::Display) -> Failure {
    Failure::Invalid(format!("{}: {error}", name(file)))
}

fn name(file: &Path) -> String {
    match is_stdin(file) {
        true => "standard input".to_string(),
        false => file.display().to_string(),
    }
}

fn is_stdin(file: &Path) -> bool {
    file.as_os_str() == "-"
}

/// The header and schema of `file`, reading no further.
fn schema_of(file: &Path, options: &LoadOptions) -> Result<FileSchema, Failure> {
    let found = if is_stdin(file) {
        load_dynamic_schema(&mut io::stdin().lock(), options)
    } else {
        let opened = File::open(file).map_err(|e| invalid(file, e))?;
        load_dynamic_schema(&mut BufReader::with_capacity(1 << 14, opened), options)
    };
    found.map_err(|e| invalid(file, e))
}

fn info(out: &mut impl Write, file: &Path, found: &FileSchema) -> io::Result<()> {
    let size = (!is_stdin(file))
        .then(|| std::fs::metadata(file).ok().map(|m| m.len()))
        .flatten();
    let header = found.header;
    writeln!(out, "file:            {}", name(file))?;
    if let Some(size) = size {
        writeln!(out, "size:            {size} bytes")?;
    }
    writeln!(out, "format version:  {}", header.format_version)?;
    writeln!(out, "data version:    {}", header.data_version)?;
    let compression = if header.compressed { "bzip2" } else { "none" };
    writeln!(out, "compression:     {compression}")?;
    writeln!(
        out,
        "type:            {}",
        schema_tree::type_name(&found.schema)
    )?;
    writeln!(
        out,
        "schema:          {} nodes, {} bytes{}",
        schema_tree::node_count(&found.schema),
        found.schema_len,
        if header.compressed {
            " decompressed"
        } else {
            ""
        }
    )?;
    match size {
        Some(size) if !header.compressed => {
            let data = size.saturating_sub(16 + found.schema_len);
            writeln!(out, "data:            {data} bytes")?;
        }
        Some(size) => writeln!(out, "compressed body: {} bytes", size.saturating_sub(16))?,
        None => {}
    }
    Ok(())
}

/// The whole of `file`, decoded.
fn load(file: &Path, options: &LoadOptions) -> Result<Dynamic, Failure> {
    let loaded = if is_stdin(file) {
        let bytes = read_stdin(file, options)?;
        load_dynamic_from_mem_with(&bytes, options)
    } else {
        let opened = File::open(file).and_then(|f| Ok((f.metadata()?.len(), f)));
        let (len, opened) = opened.map_err(|e| invalid(file, e))?;
        let reader = Progress::new(opened, len, &name(file));
        load_dynamic_exact(reader, len, options)
    };
    loaded.map_err(|e: DynamicError| invalid(file, e))
}

/// A visitor that is told everything and keeps nothing: `check` decodes for the errors.
struct Nothing;

impl Visit for Nothing {
    type Error = std::convert::Infallible;
}

/// Tells the whole of `file` to `visitor`, decoding as it is read; `Err` for an invalid
/// or unreadable file, `Ok(Err)` for the visitor's own error.
fn visit<V: Visit>(
    file: &Path,
    options: &LoadOptions,
    visitor: &mut V,
) -> Result<Result<FileSchema, V::Error>, Failure> {
    let visited = if is_stdin(file) {
        let bytes = read_stdin(file, options)?;
        visit_dynamic_from_mem(&bytes, options, visitor)
    } else {
        let opened = File::open(file).and_then(|f| Ok((f.metadata()?.len(), f)));
        let (len, opened) = opened.map_err(|e| invalid(file, e))?;
        let reader = Progress::new(opened, len, &name(file));
        visit_dynamic_exact(reader, len, options, visitor)
    };
    match visited {
        Ok(found) => Ok(Ok(found)),
        Err(VisitError::Visitor(error)) => Ok(Err(error)),
        Err(VisitError::Load(error)) => Err(invalid(file, error)),
    }
}

/// All of standard input, up to one byte more than the load may take.
fn read_stdin(file: &Path, options: &LoadOptions) -> Result<Vec<u8>, Failure> {
    let mut bytes = Vec::new();
    let limit = options.max_bytes.saturating_add(1);
    io::stdin()
        .lock()
        .take(limit)
        .read_to_end(&mut bytes)
        .map_err(|e| invalid(file, e))?;
    Ok(bytes)
}

/// The value at `path` inside `root`.
fn find(root: &Value, path: &str) -> Result<Value, Failure> {
    let mut at = savefile::ValueRef::Value(root);
    let mut walked = String::from(".");
    for step in path.split('/').filter(|s| !s.is_empty() && *s != ".") {
        let savefile::ValueRef::Value(value) = at else {
            return Err(Failure::Invalid(format!("no `{step}` inside `{walked}`")));
        };
        at = value
            .get(step)
            .ok_or_else(|| Failure::Invalid(format!("no `{step}` inside `{walked}`")))?;
        walked.push('/');
        walked.push_str(step);
    }
    Ok(at.to_value())
}

/// A file being read, with its progress on standard error when that is a terminal and
/// the file is large.
struct Progress {
    file: File,
    len: u64,
    read: u64,
    shown: u64,
    name: String,
    active: bool,
}

impl Progress {
    /// Files smaller than this load too fast for progress to help.
    const WORTH_SHOWING: u64 = 32 << 20;

    fn new(file: File, len: u64, name: &str) -> Progress {
        Progress {
            file,
            len,
            read: 0,
            shown: 0,
            name: name.to_string(),
            active: len >= Self::WORTH_SHOWING && io::stderr().is_terminal(),
        }
    }
}

impl Read for Progress {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.file.read(buf)?;
        self.read += n as u64;
        if self.active {
            let percent = self.read.saturating_mul(100) / self.len.max(1);
            if percent > self.shown || n == 0 {
                self.shown = percent;
                eprint!("\rreading {}: {percent}%", self.name);
                if self.read >= self.len || n == 0 {
                    eprint!("\r\x1b[K");
                }
            }
        }
        Ok(n)
    }
}
