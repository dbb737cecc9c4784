//! The layering of ARCHITECTURE.md, checked on the source.
//!
//! Every non-test Rust file under `src/` is read; every path it names inside
//! the crate (`use crate::…` trees, `super::…`, and inline `crate::a::b`
//! paths) becomes an edge from its module to the deepest module the path
//! reaches. Three rules are checked on that graph:
//!
//! 1. **Layers.** Each top-level module is a layer with a list of the layers
//!    it may use ([`LAYERS`]); a top-level module missing from the list fails
//!    too, so a new module has to take its place in the architecture.
//! 2. **No cycles.** No module reaches itself through other modules. A child
//!    naming its own ancestors (`super::Error`) and a parent re-exporting its
//!    children is Rust's ordinary module structure and is not an edge here;
//!    siblings and cousins importing each other are.
//! 3. **Purity.** `compute/` does no IO and no floating point; `model/` and
//!    `params/` are plain data; the exporters (`render/`) and the document
//!    model (`document/`) never call the engine.
//!
//! `each_rule_can_fail` feeds the checker sources that break each rule, so
//! a checker that can never fail fails there.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::Path;

/// Each layer and the layers it may use (itself always allowed).
///
/// From the bottom: plain data and parameter tables; formatting and name
/// matching shared by messages and exporters; diagnostics; the workbook
/// schema; ingest; the engine; the document; the exporters; the commands.
const LAYERS: &[(&str, &[&str])] = &[
    ("model", &["names"]),
    ("params", &["model", "names"]),
    ("names", &[]),
    ("format", &["model"]),
    ("diag", &["model", "names", "format"]),
    ("output", &[]),
    ("schema", &["model", "params", "names", "format"]),
    (
        "ingest",
        &["model", "params", "names", "format", "diag", "schema"],
    ),
    ("compute", &["model", "params", "names"]),
    (
        "locate",
        &[
            "model", "params", "names", "format", "diag", "schema", "ingest", "compute",
        ],
    ),
    (
        "document",
        &["model", "params", "names", "format", "compute"],
    ),
    (
        "render",
        &[
            "model", "params", "names", "format", "compute", "document", "schema",
        ],
    ),
    ("sample", &["output"]),
    (
        "portfolio",
        &[
            "model", "params", "names", "format", "diag", "output", "schema", "ingest", "compute",
            "locate", "document", "render", "sample",
        ],
    ),
    ("testkit", &[]),
    (
        "cmd",
        &[
            "model",
            "params",
            "names",
            "format",
            "diag",
            "output",
            "schema",
            "ingest",
            "compute",
            "locate",
            "document",
            "render",
            "sample",
            "portfolio",
        ],
    ),
    (
        "cli",
        &[
            "model",
            "params",
            "names",
            "format",
            "diag",
            "output",
            "schema",
            "ingest",
            "compute",
            "locate",
            "document",
            "render",
            "sample",
            "portfolio",
            "cmd",
        ],
    ),
    // The fuzz targets' harnesses: they run the whole pipeline as a command would.
    (
        "fuzzing",
        &[
            "model",
            "params",
            "names",
            "format",
            "diag",
            "output",
            "schema",
            "ingest",
            "compute",
            "locate",
            "document",
            "render",
            "sample",
            "portfolio",
            "cmd",
        ],
    ),
];

/// Words `compute/` may not name: IO, clocks, floating point, other layers' crates.
const IMPURE: &[&str] = &[
    "f64",
    "f32",
    "calamine",
    "typst",
    "typst_pdf",
    "rust_xlsxwriter",
    "std::fs",
    "fs",
    "std::io",
    "std::path",
    "Path",
    "PathBuf",
    "std::net",
    "std::process",
    "std::env",
    "SystemTime",
    "Instant",
    "Utc",
    "Local",
];

/// Words plain data may not name.
const NOT_PLAIN_DATA: &[&str] = &[
    "f64",
    "f32",
    "calamine",
    "typst",
    "rust_xlsxwriter",
    "std::fs",
    "std::io",
];

/// The engine's entry points: running them is a command's job, never an exporter's.
const ENGINE_ENTRY_POINTS: &[&str] = &[
    "compute::compute",
    "compute::headline",
    "compute::run_case",
    "compute::run_case_with_risk",
    "compute::risk::analyse",
    "compute::scenario::compare",
    "compute::scenario::run",
    "compute::scenario::apply",
];

/// One source file as a module.
#[derive(Clone)]
struct Source {
    /// `render::pdf::view` (`""` for the crate root).
    module: String,
    /// Where it came from, for messages.
    file: String,
    /// Code lines (comments removed), with 1-based numbers; test code dropped.
    lines: Vec<(usize, String)>,
    /// True for `mod.rs`, `lib.rs` and `main.rs`: `super` is one level further up.
    is_dir_module: bool,
}

/// One path naming a module: from `module` at `file:line`, to `target` (`a::b::Item`).
struct Reference {
    module: String,
    file: String,
    line: usize,
    target: Vec<String>,
}

fn load_sources() -> Vec<Source> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    walk(&root, &mut files);
    files.sort();
    let mut test_files = BTreeSet::new();
    let mut out = Vec::new();
    for path in &files {
        let text = fs::read_to_string(path).expect("source file is UTF-8");
        let rel = path
            .strip_prefix(&root)
            .expect("under src")
            .to_string_lossy()
            .replace('\\', "/");
        // Files declared as `#[cfg(test)] mod name;` are test code.
        let dir = Path::new(&rel).parent().map(Path::to_path_buf);
        let is_dir_module = rel.ends_with("mod.rs") || rel == "lib.rs" || rel == "main.rs";
        let mut lines = text.lines().peekable();
        while let Some(line) = lines.next() {
            if line.trim() == "#[cfg(test)]"
                && let Some(next) = lines.peek()
                && let Some(name) = next.trim().strip_prefix("mod ")
                && let Some(name) = name.strip_suffix(';')
            {
                let base = if is_dir_module {
                    dir.clone().unwrap_or_default()
                } else {
                    Path::new(&rel).with_extension("")
                };
                test_files.insert(
                    base.join(format!("{name}.rs"))
                        .to_string_lossy()
                        .into_owned(),
                );
                test_files.insert(
                    base.join(name)
                        .join("mod.rs")
                        .to_string_lossy()
                        .into_owned(),
                );
            }
        }
        out.push(source(&rel, &text));
    }
    out.retain(|s| !test_files.contains(&s.file));
    out
}

fn walk(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in fs::read_dir(dir).expect("source folder is readable") {
        let path = entry.expect("directory entry").path();
        if path.is_dir() {
            walk(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// A file's module and code lines: comments, and everything from a
/// `#[cfg(test)]` before a `mod` on, are dropped.
fn source(rel: &str, text: &str) -> Source {
    let module = rel
        .trim_end_matches(".rs")
        .trim_end_matches("/mod")
        .replace('/', "::");
    let module = if module == "lib" || module == "main" {
        String::new()
    } else {
        module
    };
    let mut lines = Vec::new();
    let all: Vec<&str> = text.lines().collect();
    for (i, line) in all.iter().enumerate() {
        if line.trim() == "#[cfg(test)]"
            && all
                .get(i + 1)
                .is_some_and(|next| next.trim_start().starts_with("mod "))
        {
            break;
        }
        let code = line.split("//").next().unwrap_or("");
        lines.push((i + 1, code.to_string()));
    }
    Source {
        module,
        file: rel.to_string(),
        lines,
        is_dir_module: rel.ends_with("mod.rs") || rel == "lib.rs" || rel == "main.rs",
    }
}

/// Every path in the source that names a module of the crate.
fn references(src: &Source) -> Vec<Reference> {
    let mut out = Vec::new();
    let parent: Vec<String> = {
        let mut segs: Vec<String> = src
            .module
            .split("::")
            .filter(|s| !s.is_empty())
            .map(String::from)
            .collect();
        if !src.is_dir_module {
            segs.pop();
        }
        segs
    };
    let this: Vec<String> = src
        .module
        .split("::")
        .filter(|s| !s.is_empty())
        .map(String::from)
        .collect();
    // Names that `use` brought in, so `scenario::compare(..)` after
    // `use crate::compute::scenario;` resolves to the engine's function.
    let mut aliases: BTreeMap<String, Vec<String>> = BTreeMap::new();
    // `use` statements may span lines: gather each one to its `;`.
    let mut pending: Option<(usize, String)> = None;
    for (n, code) in &src.lines {
        let trimmed = code.trim_start();
        let starts_use = trimmed.starts_with("use ")
            || trimmed.starts_with("pub use ")
            || trimmed.starts_with("pub(crate) use ")
            || trimmed.starts_with("pub(super) use ");
        if pending.is_none() && starts_use {
            pending = Some((*n, String::new()));
        }
        if let Some((start, text)) = pending.as_mut() {
            text.push_str(code);
            text.push(' ');
            if code.contains(';') {
                let body = text
                    .split_once("use ")
                    .map_or("", |(_, rest)| rest)
                    .split(';')
                    .next()
                    .unwrap_or("");
                for (path, name) in expand_use(body) {
                    if let Some(target) = resolve(&path, &this, &parent) {
                        aliases.insert(name, target.clone());
                        out.push(Reference {
                            module: src.module.clone(),
                            file: src.file.clone(),
                            line: *start,
                            target,
                        });
                    }
                }
                pending = None;
            }
            continue;
        }
        // Inline paths: `crate::a::b(..)`, `super::x::y`, `alias::item`.
        for word in path_words(code) {
            let target = if word.starts_with("crate::") || word.starts_with("super::") {
                resolve(&word, &this, &parent)
            } else {
                word.split_once("::").and_then(|(head, tail)| {
                    aliases.get(head).map(|base| {
                        let mut t = base.clone();
                        t.extend(tail.split("::").map(String::from));
                        t
                    })
                })
            };
            if let Some(target) = target {
                out.push(Reference {
                    module: src.module.clone(),
                    file: src.file.clone(),
                    line: *n,
                    target,
                });
            }
        }
    }
    out
}

/// Runs of identifier characters and `::` in a line of code.
fn path_words(code: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let chars: Vec<char> = code.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_alphanumeric() || c == '_' {
            cur.push(c);
        } else if c == ':' && chars.get(i + 1) == Some(&':') {
            cur.push_str("::");
            i += 1;
        } else if !cur.is_empty() {
            out.push(std::mem::take(&mut cur));
        }
        i += 1;
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// `crate::{a::{b, c as d}, e}` → (`crate::a::b`, `b`), (`crate::a::c`, `d`), (`crate::e`, `e`):
/// each path and the name it is known by in the file.
fn expand_use(tree: &str) -> Vec<(String, String)> {
    // `a as b` keeps its name `a`: mark the alias before white space goes.
    let tree = tree
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .replace(" as ", "@");
    let tree: String = tree.chars().filter(|c| !c.is_whitespace()).collect();
    let mut out = Vec::new();
    expand_into("", &tree, &mut out);
    out
}

fn expand_into(prefix: &str, tree: &str, out: &mut Vec<(String, String)>) {
    // Split the tree at top-level commas.
    let mut depth = 0;
    let mut start = 0;
    let bytes: Vec<char> = tree.chars().collect();
    let mut parts = Vec::new();
    for (i, c) in bytes.iter().enumerate() {
        match c {
            '{' => depth += 1,
            '}' => depth -= 1,
            ',' if depth == 0 => {
                parts.push(bytes[start..i].iter().collect::<String>());
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(bytes[start..].iter().collect::<String>());
    for part in parts.into_iter().filter(|p| !p.is_empty()) {
        let (part, alias) = match part.split_once('@') {
            Some((p, a)) => (p.to_string(), Some(a.to_string())),
            None => (part, None),
        };
        if let Some(open) = part.find('{') {
            let head = part[..open].trim_end_matches("::");
            let inner = &part[open + 1..part.rfind('}').unwrap_or(part.len())];
            let joined = join(prefix, head);
            expand_into(&joined, inner, out);
        } else {
            let path = if part == "self" {
                prefix.to_string()
            } else {
                join(prefix, &part)
            };
            let name = alias.unwrap_or_else(|| path.rsplit("::").next().unwrap_or("").to_string());
            out.push((path, name));
        }
    }
}

fn join(prefix: &str, tail: &str) -> String {
    match (prefix.is_empty(), tail.is_empty()) {
        (true, _) => tail.to_string(),
        (_, true) => prefix.to_string(),
        _ => format!("{prefix}::{tail}"),
    }
}

/// A path's segments from the crate root, for paths inside the crate.
fn resolve(path: &str, this: &[String], parent: &[String]) -> Option<Vec<String>> {
    let segs: Vec<&str> = path.split("::").filter(|s| !s.is_empty()).collect();
    let (base, rest): (Vec<String>, &[&str]) = match segs.first() {
        Some(&"crate") => (Vec::new(), &segs[1..]),
        Some(&"super") => {
            let mut base = parent.to_vec();
            let mut rest = &segs[1..];
            while rest.first() == Some(&"super") {
                base.pop();
                rest = &rest[1..];
            }
            (base, rest)
        }
        Some(&"self") => (this.to_vec(), &segs[1..]),
        _ => return None,
    };
    let mut out = base;
    out.extend(rest.iter().map(|s| (*s).to_string()));
    Some(out)
}

/// The deepest known module a path reaches.
fn module_of(target: &[String], modules: &BTreeSet<String>) -> String {
    for n in (1..=target.len()).rev() {
        let candidate = target[..n].join("::");
        if modules.contains(&candidate) {
            return candidate;
        }
    }
    String::new()
}

fn layer(module: &str) -> &str {
    module.split("::").next().unwrap_or("")
}

/// Every layer-rule violation: `file:line: a uses b`.
fn layer_violations(sources: &[Source]) -> Vec<String> {
    let modules: BTreeSet<String> = sources.iter().map(|s| s.module.clone()).collect();
    let allowed: BTreeMap<&str, &[&str]> = LAYERS.iter().copied().collect();
    let mut bad = Vec::new();
    for src in sources {
        let from = layer(&src.module);
        if from.is_empty() {
            continue; // lib.rs and main.rs wire the layers together
        }
        let Some(may) = allowed.get(from) else {
            bad.push(format!(
                "{}: module `{from}` is not a layer in tests/it/architecture.rs",
                src.file
            ));
            continue;
        };
        for r in references(src) {
            let to = layer(&module_of(&r.target, &modules)).to_string();
            if to.is_empty() || to == from {
                continue;
            }
            if !may.contains(&to.as_str()) {
                bad.push(format!("{}:{}: {from} uses {to}", r.file, r.line));
            }
        }
    }
    bad
}

/// Every cycle between modules, each as `a → b → a` with the lines that make it.
fn cycles(sources: &[Source]) -> Vec<String> {
    let modules: BTreeSet<String> = sources.iter().map(|s| s.module.clone()).collect();
    let mut edges: BTreeMap<String, BTreeMap<String, String>> = BTreeMap::new();
    for src in sources {
        for r in references(src) {
            let to = module_of(&r.target, &modules);
            let related = |a: &str, b: &str| {
                a == b
                    || b.is_empty()
                    || a.starts_with(&format!("{b}::"))
                    || b.starts_with(&format!("{a}::"))
            };
            if related(&src.module, &to) {
                continue;
            }
            edges
                .entry(src.module.clone())
                .or_default()
                .entry(to)
                .or_insert_with(|| format!("{}:{}", r.file, r.line));
        }
    }
    // Strongly connected components (Tarjan), deterministic by name.
    let mut index = BTreeMap::new();
    let mut low = BTreeMap::new();
    let mut stack: Vec<String> = Vec::new();
    let mut on_stack = BTreeSet::new();
    let mut found = Vec::new();
    let mut counter = 0usize;
    for m in &modules {
        if !index.contains_key(m) {
            tarjan(
                m,
                &edges,
                &mut counter,
                &mut index,
                &mut low,
                &mut stack,
                &mut on_stack,
                &mut found,
            );
        }
    }
    found
        .into_iter()
        .map(|component: Vec<String>| {
            let set: BTreeSet<&String> = component.iter().collect();
            let mut why = Vec::new();
            for a in &component {
                for (b, at) in edges.get(a).into_iter().flatten() {
                    if set.contains(b) {
                        why.push(format!("{a} → {b} ({at})"));
                    }
                }
            }
            format!("cycle: {}", why.join(", "))
        })
        .collect()
}

#[allow(
    clippy::too_many_arguments,
    reason = "Tarjan's state, kept local to the test"
)]
fn tarjan(
    v: &str,
    edges: &BTreeMap<String, BTreeMap<String, String>>,
    counter: &mut usize,
    index: &mut BTreeMap<String, usize>,
    low: &mut BTreeMap<String, usize>,
    stack: &mut Vec<String>,
    on_stack: &mut BTreeSet<String>,
    found: &mut Vec<Vec<String>>,
) {
    index.insert(v.to_string(), *counter);
    low.insert(v.to_string(), *counter);
    *counter += 1;
    stack.push(v.to_string());
    on_stack.insert(v.to_string());
    for w in edges.get(v).map(|m| m.keys()).into_iter().flatten() {
        if !index.contains_key(w) {
            tarjan(w, edges, counter, index, low, stack, on_stack, found);
            let lw = low[w];
            let lv = low.get_mut(v).expect("visited");
            *lv = (*lv).min(lw);
        } else if on_stack.contains(w) {
            let iw = index[w];
            let lv = low.get_mut(v).expect("visited");
            *lv = (*lv).min(iw);
        }
    }
    if low[v] == index[v] {
        let mut component = Vec::new();
        while let Some(w) = stack.pop() {
            on_stack.remove(&w);
            let done = w == v;
            component.push(w);
            if done {
                break;
            }
        }
        if component.len() > 1 {
            component.sort();
            found.push(component);
        }
    }
}

/// Lines of the modules under `prefix` naming one of `forbidden` as a whole word or path.
fn naming(sources: &[Source], prefix: &str, forbidden: &[&str]) -> Vec<String> {
    let mut bad = Vec::new();
    for src in sources
        .iter()
        .filter(|s| s.module == prefix || s.module.starts_with(&format!("{prefix}::")))
    {
        for (n, code) in &src.lines {
            let hit = forbidden.iter().any(|word| {
                code.match_indices(word).any(|(at, _)| {
                    let before = code[..at].chars().next_back();
                    let after = code[at + word.len()..].chars().next();
                    let ident =
                        |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '_');
                    !ident(before) && !ident(after)
                })
            });
            if hit {
                bad.push(format!("{}:{n}: {}", src.file, code.trim()));
            }
        }
    }
    bad
}

/// References from the exporters or the document to the engine's entry points.
fn engine_calls(sources: &[Source]) -> Vec<String> {
    let mut bad = Vec::new();
    for src in sources
        .iter()
        .filter(|s| matches!(layer(&s.module), "render" | "document"))
    {
        for r in references(src) {
            let path = r.target.join("::");
            if ENGINE_ENTRY_POINTS
                .iter()
                .any(|e| path == *e || path.starts_with(&format!("{e}::")))
            {
                bad.push(format!(
                    "{}:{}: {} calls the engine ({path})",
                    r.file, r.line, r.module
                ));
            }
        }
    }
    bad
}

fn assert_none(what: &str, bad: &[String]) {
    assert!(bad.is_empty(), "{what}:\n{}", bad.join("\n"));
}

#[test]
fn every_layer_uses_only_the_layers_below_it() {
    assert_none("layer rule broken", &layer_violations(&load_sources()));
}

#[test]
fn no_module_imports_one_that_imports_it_back() {
    assert_none("module cycle", &cycles(&load_sources()));
}

/// The one module of `compute/` allowed floating point: the risk
/// analysis's sampling, where a draw may pass through something other than
/// `Decimal` before it is converted at a stated precision (issue 13).
const FLOAT_ALLOWED: &str = "compute::risk::sample";

/// Every impure word named in `compute/`: floating point everywhere but
/// [`FLOAT_ALLOWED`], IO, clocks and other layers' crates everywhere.
fn impure(sources: &[Source]) -> Vec<String> {
    let allowed = |s: &&Source| s.module == FLOAT_ALLOWED;
    let others: Vec<Source> = sources.iter().filter(|s| !allowed(s)).cloned().collect();
    let sampling: Vec<Source> = sources.iter().filter(allowed).cloned().collect();
    let no_float: Vec<&str> = IMPURE
        .iter()
        .copied()
        .filter(|w| !matches!(*w, "f64" | "f32"))
        .collect();
    let mut bad = naming(&others, "compute", IMPURE);
    bad.extend(naming(&sampling, "compute", &no_float));
    bad
}

#[test]
fn compute_does_no_io_and_no_floating_point() {
    assert_none("compute must stay pure", &impure(&load_sources()));
}

#[test]
fn model_and_params_are_plain_data() {
    let sources = load_sources();
    for layer in ["model", "params"] {
        assert_none(
            &format!("{layer} must stay plain data"),
            &naming(&sources, layer, NOT_PLAIN_DATA),
        );
    }
}

#[test]
fn exporters_and_the_document_never_run_the_engine() {
    assert_none(
        "the engine runs once, in cmd",
        &engine_calls(&load_sources()),
    );
}

#[test]
fn the_checker_reads_the_real_tree() {
    // A checker that reads nothing passes everything: it must see the layers
    // and some of their edges.
    let sources = load_sources();
    let modules: BTreeSet<&str> = sources.iter().map(|s| layer(&s.module)).collect();
    for l in ["model", "ingest", "compute", "render", "cmd"] {
        assert!(modules.contains(l), "no module of layer {l} found");
    }
    let edges: usize = sources.iter().map(|s| references(s).len()).sum();
    assert!(edges > 100, "only {edges} references found");
    assert!(
        sources.iter().all(|s| !s.file.ends_with("/tests.rs")),
        "test modules are not part of the layering"
    );
}

#[test]
fn each_rule_can_fail() {
    let src = |rel: &str, text: &str| source(rel, text);
    // Layers: the engine reaching up into the exporters, a module that is no layer.
    let bad = layer_violations(&[
        src("compute/mod.rs", "use crate::render::json;\n"),
        src(
            "render/json.rs",
            "use crate::{compute::Results, model::Case};\n",
        ),
        src("gadget.rs", "use crate::model::Case;\n"),
    ]);
    assert_eq!(
        bad,
        [
            "compute/mod.rs:1: compute uses render",
            "gadget.rs: module `gadget` is not a layer in tests/it/architecture.rs",
        ]
    );
    // Ingest reaching an exporter through a multi-line use tree.
    let bad = layer_violations(&[
        src(
            "ingest/validate.rs",
            "use crate::{\n    model::Case,\n    render::{json, pdf::view},\n};\n",
        ),
        src("render/json.rs", ""),
        src("render/pdf/view.rs", ""),
    ]);
    assert_eq!(
        bad,
        [
            "ingest/validate.rs:1: ingest uses render",
            "ingest/validate.rs:1: ingest uses render"
        ]
    );
    // Cycles: siblings through `super::`, and a three-module ring through inline paths.
    let found = cycles(&[
        src("cmd/compute.rs", "use super::scenarios::print;\n"),
        src("cmd/scenarios.rs", "use crate::cmd::compute::tables;\n"),
        src(
            "render/pdf/view.rs",
            "fn f() { crate::render::pdf::fit::x(); }\n",
        ),
        src("render/pdf/fit.rs", "fn g() { super::typeset::y(); }\n"),
        src("render/pdf/typeset.rs", "use super::view::View;\n"),
        src(
            "render/pdf/mod.rs",
            "pub use view::View;\nuse self::fit::Layout;\n",
        ),
    ]);
    assert_eq!(found.len(), 2, "{found:?}");
    assert!(
        found[0].contains("cmd::compute → cmd::scenarios"),
        "{found:?}"
    );
    assert!(
        found[1].contains("render::pdf::fit → render::pdf::typeset"),
        "{found:?}"
    );
    // A child using its parent's items is no cycle.
    assert!(
        cycles(&[
            src("compute/mod.rs", "pub use results::*;\nmod results;\n"),
            src("compute/results.rs", "use super::ComputeError;\n"),
        ])
        .is_empty()
    );
    // Purity, plain data, and the engine called from an exporter (aliased too).
    let tree = [
        src("compute/discount.rs", "fn f(x: f64) {}\n"),
        src("model/mod.rs", "use std::fs;\n"),
        src(
            "render/pdf/view.rs",
            "use crate::compute::scenario::{self, compare};\n",
        ),
        src(
            "document/mod.rs",
            "fn f() { crate::compute::compute(case); }\n",
        ),
    ];
    assert_eq!(naming(&tree, "compute", IMPURE).len(), 1);
    assert_eq!(impure(&tree).len(), 1);
    // Floating point is allowed in the risk analysis's sampling only; IO is not.
    let sampling = [
        src(
            "compute/risk/sample.rs",
            "fn f(x: f64) {}
",
        ),
        src(
            "compute/risk/mod.rs",
            "fn g(x: f64) {}
",
        ),
        src(
            "compute/risk/sample.rs",
            "use std::fs;
",
        ),
    ];
    assert_eq!(impure(&sampling).len(), 2, "{:?}", impure(&sampling));
    assert_eq!(naming(&tree, "model", NOT_PLAIN_DATA).len(), 1);
    assert_eq!(engine_calls(&tree).len(), 2, "{:?}", engine_calls(&tree));
    // Test code is not part of the layering.
    let with_tests = src(
        "compute/mod.rs",
        "use crate::model::Case;\n#[cfg(test)]\nmod tests {\n    use crate::render::json;\n}\n",
    );
    assert!(layer_violations(&[with_tests]).is_empty());
}
