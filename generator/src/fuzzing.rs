//! Entry points of the fuzz targets (`fuzz/`), also replayed over their saved corpora by the
//! tests: each takes arbitrary bytes and must return, without panicking, hanging or growing
//! without bound. A panic here is a bug the fuzzer found.

use crate::codegen::crate_files::{crate_files, CrateOptions, SdkDependency};
use crate::convert::{convert, Target};
use crate::diagnostics::render;
use crate::load::{Input, LoadOptions};
use crate::pipeline::{self, Loaded};
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
    pipeline::load_bytes(
        &input(name, false),
        data.to_vec(),
        None,
        &LoadOptions::default(),
    )
}

/// Any bytes as a connector's custom code (`script.csx`): the lexer never panics, and every
/// token and name lies inside the text on character boundaries.
pub fn script(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let s = crate::load::csharp::lex(&text);
    let inside = |span: crate::location::Span| {
        let (a, b) = (span.start as usize, span.end as usize);
        a <= b && b <= text.len() && text.is_char_boundary(a) && text.is_char_boundary(b)
    };
    assert!(s.tokens.iter().all(|t| inside(t.span)));
    assert!(s
        .names
        .iter()
        .all(|n| inside(n.span) && !n.parts.is_empty()));
    assert!(s.usings.iter().all(|u| inside(u.span)));
}

/// Any bytes as a definition: JSON or YAML by their first character, Swagger 2.0, OpenAPI 3.x
/// or a Postman collection by their content.
pub fn definition(data: &[u8]) {
    exercise(&load_definition("definition", data));
}

/// Any bytes as a connector's definition, fixed with every fix (`validate --fix
/// --unsafe-fixes`) in memory: no panic; the fixed file reads again (the fixes refuse to break
/// it); and, when the fixes settled, fixing the result changes nothing.
pub fn fix(data: &[u8]) {
    use crate::validate::fix::{fix, Applicability};
    let input = input("apiDefinition.swagger.json", false);
    let run = |bytes: &[u8]| {
        let overlay = std::collections::HashMap::from([(input.definition.clone(), bytes.to_vec())]);
        let opts = LoadOptions {
            overlay: Some(std::sync::Arc::new(overlay)),
            ..LoadOptions::default()
        };
        fix(
            &input,
            &opts,
            Profile::Certification,
            Applicability::Unsafe,
            &|_, _| true,
        )
    };
    let Ok(first) = run(data) else { return };
    if first.unsettled {
        return;
    }
    let Some(change) = first.changes.iter().find(|c| c.path == input.definition) else {
        return;
    };
    let again = run(&change.after).expect("fixed bytes fix again");
    assert!(
        again.changes.is_empty(),
        "a second fix changed the fixed file"
    );
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
    let loaded = pipeline::load_bytes(
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
        sdk_registry: None,
        version: crate::codegen::crate_files::first_version(),
        reference: None,
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

/// The folder [`files`] works in: a definition's root holding a file, a subfolder, a symbolic
/// link to a file outside, a FIFO and a file for the fuzzed content; and the secret outside.
#[cfg(unix)]
fn sandbox() -> &'static std::path::Path {
    static SANDBOX: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    SANDBOX.get_or_init(|| {
        let base =
            std::env::temp_dir().join(format!("connector-gen-fuzz-files-{}", std::process::id()));
        let root = base.join("root");
        let _ = std::fs::create_dir_all(root.join("sub"));
        let _ = std::fs::create_dir_all(base.join("outside"));
        let _ = std::fs::write(base.join("outside/secret.json"), "SECRET");
        let _ = std::fs::write(root.join("sub/common.json"), "{}");
        let _ =
            std::os::unix::fs::symlink(base.join("outside/secret.json"), root.join("link.json"));
        let _ = std::os::unix::fs::symlink("/dev/zero", root.join("zero.json"));
        let _ = std::process::Command::new("mkfifo")
            .arg(root.join("fifo.json"))
            .status();
        root
    })
}

/// A reference a definition makes (before the NUL) to the files of its folder, and the content
/// of one of them (after the NUL): whatever the loader's reader returns is a regular file inside
/// the folder, never the secret outside, never more than its limit; a FIFO or a device is
/// refused without waiting; and the bounded reader returns a file whole exactly when it fits.
#[cfg(unix)]
pub fn files(data: &[u8]) {
    use crate::load::confine::{read, Roots};
    use crate::load::refs::{file_path, is_absolute};
    let split = data.iter().position(|b| *b == 0).unwrap_or(data.len());
    let reference = String::from_utf8_lossy(&data[..split]);
    let content = data.get(split + 1..).unwrap_or_default();
    let root = sandbox();
    let _ = std::fs::write(root.join("data.json"), content);
    const LIMIT: u64 = 64;
    match connector_sdk::files::read_bounded(&root.join("data.json"), LIMIT) {
        Ok(bytes) => assert!(bytes == content && content.len() as u64 <= LIMIT),
        Err(e) => assert!(
            content.len() as u64 > LIMIT,
            "refused a file within the limit: {e}"
        ),
    }
    let part = reference.split('#').next().unwrap_or("");
    if part.is_empty() || crate::load::refs::is_url(part) {
        return;
    }
    let path = file_path(&root.join("definition.json"), part);
    let roots = Roots::new(root, &[]);
    if let Ok(bytes) = read(&path, &roots, LIMIT) {
        assert!(bytes.len() as u64 <= LIMIT, "read past the limit");
        assert!(
            bytes != b"SECRET",
            "read the file outside through `{reference}`"
        );
        let real = std::fs::canonicalize(&path).expect("a file that was read exists");
        let real_root = std::fs::canonicalize(root).expect("the sandbox exists");
        assert!(
            real.starts_with(&real_root),
            "read {} outside the root",
            real.display()
        );
        assert!(!is_absolute(part) || path.starts_with(root));
    }
}
