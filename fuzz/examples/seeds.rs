//! Writes seed inputs for the fuzz targets into `corpus/<target>/`: valid files of
//! the sample value in every mode and data version, and its schemas. Each seed is
//! run through its target's checks first.
//!
//! `cargo run --manifest-path fuzz/Cargo.toml --example seeds` (from the workspace root).

use std::fs;
use std::path::Path;

use savefile::__private::encode_schema;
use savefile::prelude::*;
use savefile_fuzz::{
    check_dynamic, check_load, check_mapped, check_schemas, sample, Kind, MapInfo, Node, Shape,
};

fn write(target: &str, name: &str, bytes: &[u8]) {
    match target {
        "schema" => check_schemas(bytes),
        "mapped_open" => check_mapped(bytes),
        "load_dynamic" => check_dynamic(bytes),
        _ => check_load(bytes, target == "load_with_schema"),
    }
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("corpus")
        .join(target);
    fs::create_dir_all(&dir).expect("create the corpus directory");
    fs::write(dir.join(name), bytes).expect("write a seed");
}

fn main() {
    let value = sample();
    for version in [0, 1] {
        let with_schema = save_to_mem(version, &value).expect("save");
        write("load_with_schema", &format!("v{version}"), &with_schema);
        write("load_dynamic", &format!("v{version}"), &with_schema);
        let mut compressed = Vec::new();
        save_compressed(&mut compressed, version, &value).expect("save compressed");
        write(
            "load_with_schema",
            &format!("v{version}-bzip2"),
            &compressed,
        );
        let mut bare = Vec::new();
        save_noschema(&mut bare, version, &value).expect("save without schema");
        write("load_without_schema", &format!("v{version}"), &bare);
    }
    let info = MapInfo {
        name: "grid".to_string(),
        tags: [("w".to_string(), 4), ("h".to_string(), 3)]
            .into_iter()
            .collect(),
    };
    let numbers: Vec<u32> = (0..12).collect();
    let image = savefile::save_mapped_image(1, &info, &[4, 3], &numbers).expect("image");
    write("mapped_open", "u32-grid", &image);
    let flags: Vec<bool> = (0..100).map(|i| i % 3 == 0).collect();
    let image = savefile::save_mapped_image(1, &info, &[], &flags).expect("image");
    write("mapped_open", "bool-flat", &image);
    let kinds = vec![Kind::A, Kind::C, Kind::B];
    let image = savefile::save_mapped_image(1, &info, &[3, 1], &kinds).expect("image");
    write("mapped_open", "kind-column", &image);
    let node = encode_schema(&get_schema::<Node>(1)).expect("encode");
    let shape = encode_schema(&get_schema::<Shape>(1)).expect("encode");
    for (name, first, second) in [("node-shape", &node, &shape), ("node-node", &node, &node)] {
        let mut bytes = vec![2u8];
        bytes.extend_from_slice(first);
        bytes.extend_from_slice(second);
        write("schema", name, &bytes);
    }
}
