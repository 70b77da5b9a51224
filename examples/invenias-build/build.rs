//! Generates the Invenias client into `OUT_DIR` on every build where the definition changed.

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let definition = concat!(env!("CARGO_MANIFEST_DIR"), "/../../connectors/invenias.yaml");
    let output = connector_gen::Generator::new()
        .input(definition)
        .target(connector_gen::Target::RustClient)
        .run()?;
    for warning in &output.warnings {
        println!("cargo:warning={}", warning.message);
    }
    Ok(())
}
