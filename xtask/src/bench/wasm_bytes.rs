//! Where the widget's wasm bytes go: twiggy's size of every function and
//! data segment in a copy of the bundle that keeps its function names (the
//! served one drops them), grouped by the code's origin. It says what holds
//! the widget above its budget, and whether a change moved it.
//!
//! Grouping is by name, first match wins, in [`ORIGINS`]' order: a
//! generic instantiated with our types (`<F as tachys::…>` over a widget
//! closure) counts as the library's, a serde impl derived for our types as
//! serde's, since that is what removing the library would remove.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

use anyhow::{Context, Result};
use serde_json::{json, Value};

use crate::{build, prereq, util};

/// Origins and the name fragments that place a function in them.
const ORIGINS: &[(&str, &[&str])] = &[
    ("data (strings, tables)", &["data segment"]),
    (
        "serde + serde_json (frame and settings decoding)",
        &["serde", "itoa::", "ryu::", "zmij::"],
    ),
    (
        "leptos (reactive_graph, tachys)",
        &[
            "tachys::",
            "reactive_graph::",
            "leptos::",
            "leptos_dom::",
            "any_spawner::",
            "send_wrapper::",
            "or_poisoned::",
            "slotmap::",
            "futures_util::",
            "futures_channel::",
            "futures_executor::",
            "either_of::",
            "throw_error::",
            "oco_ref::",
            "guardian::",
        ],
    ),
    (
        "wasm-bindgen, js-sys, web-sys (browser calls)",
        &[
            "wasm_bindgen",
            "js_sys::",
            "web_sys::",
            "__wbg",
            "__wbindgen",
            "externref",
        ],
    ),
    (
        "panics and bounds checks",
        &[
            "panic",
            "unwrap_failed",
            "expect_failed",
            "slice_index",
            "slice_error",
            "index_out_of",
            "capacity_overflow",
            "handle_alloc_error",
            "str_index_overflow",
        ],
    ),
    (
        "formatting (core::fmt, numbers)",
        &[
            "::fmt::",
            "::fmt>",
            "flt2dec",
            "dec2flt",
            "pad_integral",
            "Formatter",
        ],
    ),
    (
        "allocator (dlmalloc)",
        &[
            "dlmalloc",
            "__rust_alloc",
            "__rust_dealloc",
            "__rust_realloc",
            "__rdl_",
        ],
    ),
    (
        "collections (Vec, String, maps)",
        &[
            "alloc::vec",
            "alloc::string",
            "alloc::raw_vec",
            "alloc::collections",
            "alloc::slice",
            "alloc::str",
            "raw_vec",
            "btree",
            "hashbrown::",
            "SpecFromIter",
            "SpecExtend",
        ],
    ),
    ("drop glue", &["drop_in_place"]),
    (
        "our code (widget, client core, shared)",
        &["ahlan_widget::", "client::", "shared::", "ui::"],
    ),
];

/// What remains: core, std and compiler builtins, and crates named nowhere.
const OTHER: &str = "other (core, std, builtins)";

/// How many of the largest items the report lists.
const TOP: usize = 12;

/// The breakdown as the bench results store it, or `{"error": …}`.
pub fn breakdown(out: &Path) -> Value {
    measure(out).unwrap_or_else(|e| json!({ "error": format!("{e:#}") }))
}

fn measure(out: &Path) -> Result<Value> {
    let twiggy = prereq::ensure_twiggy()?;
    let dir = out.join("wasm-bytes");
    let wasm = build::widget_with_names(&dir)?;
    let listing = util::output(
        Command::new(&twiggy)
            .args(["top", "-n", "1000000", "--format", "json"])
            .arg(&wasm),
    )
    .context("twiggy top")?;
    let items: Vec<Value> = serde_json::from_str(&listing).context("reading twiggy's json")?;
    let items: Vec<(String, u64)> = items
        .iter()
        .filter_map(|item| {
            Some((
                item["name"].as_str()?.to_owned(),
                item["shallow_size"].as_u64()?,
            ))
        })
        .collect();
    Ok(summarise(&items))
}

/// Groups and the largest items of twiggy's listing; the name section and
/// twiggy's own summary rows are left out, so the total is the served
/// wasm's size (before compression).
fn summarise(items: &[(String, u64)]) -> Value {
    let counted: Vec<&(String, u64)> = items.iter().filter(|(name, _)| counts(name)).collect();
    let total: u64 = counted.iter().map(|(_, size)| size).sum();
    let mut groups: BTreeMap<&str, u64> = BTreeMap::new();
    for (name, size) in &counted {
        *groups.entry(origin(name)).or_default() += size;
    }
    let mut groups: Vec<(&str, u64)> = groups.into_iter().collect();
    groups.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    let mut top = counted.clone();
    top.sort_by_key(|item| std::cmp::Reverse(item.1));
    json!({
        "total": total,
        "groups": groups.iter().map(|(group, bytes)| json!({"group": group, "bytes": bytes})).collect::<Vec<_>>(),
        "top": top.iter().take(TOP).map(|(name, bytes)| json!({"name": short_name(name), "bytes": bytes})).collect::<Vec<_>>(),
    })
}

/// Whether an item of the listing is part of the served wasm.
fn counts(name: &str) -> bool {
    // The name section's subsections ("function names", "local names"…)
    // are in this copy only; twiggy's summary rows are not items.
    !(name.ends_with(" subsection") || name.starts_with('Σ') || name.starts_with("... and "))
}

/// The origin of a function or segment, by its (demangled) name.
fn origin(name: &str) -> &'static str {
    ORIGINS
        .iter()
        .find(|(_, fragments)| fragments.iter().any(|f| name.contains(f)))
        .map_or(OTHER, |(origin, _)| origin)
}

/// A name without its hash suffix and crate disambiguators, cut to a
/// table cell's length.
fn short_name(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut rest = name;
    while let Some(open) = rest.find('[') {
        let hex = rest[open + 1..].split(']').next().unwrap_or("");
        if hex.len() == 16 && hex.chars().all(|c| c.is_ascii_hexdigit()) {
            out.push_str(&rest[..open]);
            rest = &rest[open + hex.len() + 2..];
        } else {
            out.push_str(&rest[..=open]);
            rest = &rest[open + 1..];
        }
    }
    out.push_str(rest);
    if let Some(hash) = out.rfind("::h") {
        let tail = &out[hash + 3..];
        if tail.len() == 16 && tail.chars().all(|c| c.is_ascii_hexdigit()) {
            out.truncate(hash);
        }
    }
    const MAX: usize = 110;
    if out.chars().count() > MAX {
        out = out.chars().take(MAX).collect::<String>() + "…";
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_find_their_origin_first_match_wins() {
        let cases = [
            ("data segment \".rodata\"", "data (strings, tables)"),
            (
                "shared::protocol::_::<impl serde_core::de::Deserialize for shared::protocol::VisitorServerFrame>::deserialize::h20b2652bb40ae2b8",
                "serde + serde_json (frame and settings decoding)",
            ),
            (
                "<F as tachys::reactive_graph::ReactiveFunction>::invoke::hce65615390d237b6",
                "leptos (reactive_graph, tachys)",
            ),
            ("ahlan_widget::chat::ChatState::apply::he87bd96e069a322e", "our code (widget, client core, shared)"),
            ("core[c5930c85a12de822]::num::flt2dec::strategy::dragon::format_shortest", "formatting (core::fmt, numbers)"),
            ("<dlmalloc[e24a27700634d609]::dlmalloc::Dlmalloc<A>>::malloc", "allocator (dlmalloc)"),
            ("memcpy", OTHER),
        ];
        for (name, want) in cases {
            assert_eq!(origin(name), want, "{name}");
        }
    }

    #[test]
    fn the_summary_leaves_out_names_and_sums_the_rest() {
        let items = [
            ("\"function names\" subsection".to_owned(), 1000),
            ("data segment \".rodata\"".to_owned(), 50),
            ("ahlan_widget::start::h5da944ad1cc2f678".to_owned(), 30),
            ("serde_json::de::from_str::hf68816a46dee4c85".to_owned(), 70),
            ("Σ [3 Total Rows]".to_owned(), 1150),
        ];
        let s = summarise(&items);
        assert_eq!(s["total"], 150);
        assert_eq!(
            s["groups"][0]["group"],
            "serde + serde_json (frame and settings decoding)"
        );
        assert_eq!(s["groups"][0]["bytes"], 70);
        assert_eq!(s["top"][2]["name"], "ahlan_widget::start");
    }

    #[test]
    fn short_names_drop_hashes_and_disambiguators() {
        assert_eq!(
            short_name("<f64 as core[c5930c85a12de822]::fmt::Display>::fmt"),
            "<f64 as core::fmt::Display>::fmt"
        );
        assert_eq!(
            short_name("serde_json::de::from_str::hf68816a46dee4c85"),
            "serde_json::de::from_str"
        );
        assert_eq!(short_name("table[0]"), "table[0]");
    }
}
