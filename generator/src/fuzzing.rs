//! Entry points of the fuzz targets (`fuzz/`), also replayed over their saved corpora by the
//! tests: each takes arbitrary bytes and must return, without panicking, hanging or growing
//! without bound. A panic here is a bug the fuzzer found.

use crate::codegen::crate_files::{crate_files, CrateOptions, SdkDependency};
use crate::convert::{convert, Target};
use crate::diagnostics::render;
use crate::load::{self, Input, LoadOptions, Loaded};
use crate::validate::{validate, Profile};
use std::path::PathBuf;

/// Inputs are named in a directory that does not exist, so that a reference to another file
/// reads nothing from the machine.
fn input(name: &str, properties: bool) -> Input {
    let dir = PathBuf::from("/nonexistent-fuzz-input");
    Input {
        definition: dir.join(name),
        properties: properties.then(|| dir.join("apiProperties.json")),
        settings: None,
        folder: None,
    }
}

/// Everything a loaded connector goes through: both validation profiles, every diagnostic
/// rendered, `inspect`, and `convert` to both formats.
fn exercise(loaded: &Loaded) {
    for profile in [Profile::Default, Profile::Certification] {
        for d in validate(loaded, profile) {
            let _ = render::human(&d, &loaded.sources, false);
            let _ = render::location(&d, &loaded.sources);
        }
    }
    if let Some(c) = &loaded.connector {
        let _ = crate::inspect::to_json(c);
        let _ = crate::inspect::to_human(c);
        for target in [Target::OpenApi3, Target::Swagger2] {
            let out = convert(c, target);
            let _ = serde_json::to_vec(&out.document);
        }
    }
}

/// `data` loaded as the definition file `name` (its extension picks the reader; none: JSON or
/// YAML by the first character).
fn load_definition(name: &str, data: &[u8]) -> Loaded {
    load::load_bytes(
        &input(name, false),
        data.to_vec(),
        None,
        &LoadOptions::default(),
    )
}

/// Any bytes as a definition: JSON or YAML by their first character, Swagger 2.0, OpenAPI 3.x
/// or a Postman collection by their content.
pub fn definition(data: &[u8]) {
    exercise(&load_definition("definition", data));
}

/// Any bytes through the YAML reader (aliases, anchors, tags, odd scalars).
pub fn yaml(data: &[u8]) {
    exercise(&load_definition("definition.yaml", data));
}

/// A small definition with OAuth 2.0, and any bytes as its `apiProperties.json`.
pub fn api_properties(data: &[u8]) {
    const DEFINITION: &str = r#"{"swagger": "2.0", "info": {"title": "Fuzz", "version": "1"},
      "host": "api.example.com", "basePath": "/", "schemes": ["https"],
      "securityDefinitions": {"oauth2_auth": {"type": "oauth2", "flow": "accessCode",
        "authorizationUrl": "https://login.example.com/authorize", "tokenUrl": "https://login.example.com/token", "scopes": {}}},
      "paths": {"/items/{id}": {"get": {"operationId": "GetItem", "summary": "Get an item",
        "parameters": [{"name": "id", "in": "path", "required": true, "type": "string"}],
        "responses": {"200": {"description": "OK", "schema": {"type": "object"}}}}}}}"#;
    let loaded = load::load_bytes(
        &input("apiDefinition.swagger.json", true),
        DEFINITION.as_bytes().to_vec(),
        Some(data.to_vec()),
        &LoadOptions::default(),
    );
    exercise(&loaded);
}

/// Any bytes as a definition; when it loads into a model without errors, the generated crate's
/// code must parse (`crate_files` parses it with `syn` before formatting; a failure is a bug).
pub fn codegen(data: &[u8]) {
    let loaded = load_definition("definition", data);
    let Some(c) = &loaded.connector else { return };
    if loaded.diagnostics.iter().any(|d| d.is_error()) {
        return;
    }
    let opts = CrateOptions {
        name: Some("fuzzed".into()),
        sdk: SdkDependency::Version("0.1.0".into()),
        license: None,
        repository: None,
        authors: Vec::new(),
    };
    match crate_files(&loaded, c, &opts) {
        Ok((_, files)) => {
            for f in files.iter().filter(|f| f.path.ends_with(".rs")) {
                let text = String::from_utf8_lossy(&f.contents);
                if let Err(e) = syn::parse_file(&text) {
                    panic!("generated {} does not parse: {e}", f.path);
                }
            }
        }
        Err(e) => panic!("no crate for a model without errors: {e}"),
    }
}
