//! `connector-gen package`: every `init` template packaged and the zip read back (layout, files
//! the XML names, the connector's own bytes, well-formed XML with hostile text escaped), a
//! solution of flows put in, and what is refused with nothing written.

mod common;

use common::run;
use std::collections::BTreeMap;
use std::io::{Cursor, Read, Write};
use std::path::Path;

/// The files of a zip: name → bytes.
fn unzip(bytes: &[u8]) -> BTreeMap<String, Vec<u8>> {
    let mut z = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
    let mut out = BTreeMap::new();
    for i in 0..z.len() {
        let mut f = z.by_index(i).unwrap();
        let name = f.name().unwrap().to_string();
        let mut b = Vec::new();
        f.read_to_end(&mut b).unwrap();
        out.insert(name, b);
    }
    out
}

fn zip_of(files: &[(&str, &[u8])]) -> Vec<u8> {
    let mut buf = Cursor::new(Vec::new());
    let mut z = zip::ZipWriter::new(&mut buf);
    for (name, bytes) in files {
        z.start_file(*name, zip::write::SimpleFileOptions::default())
            .unwrap();
        z.write_all(bytes).unwrap();
    }
    z.finish().unwrap();
    buf.into_inner()
}

fn xml(bytes: &[u8]) -> String {
    let text = String::from_utf8(bytes.to_vec()).unwrap();
    roxmltree::Document::parse(&text).unwrap_or_else(|e| panic!("{e}:\n{text}"));
    text
}

/// The text of the first element named `tag`.
fn element(text: &str, tag: &str) -> String {
    let doc = roxmltree::Document::parse(text).unwrap();
    doc.descendants()
        .find(|n| n.has_tag_name(tag))
        .and_then(|n| n.text())
        .unwrap_or_default()
        .to_string()
}

/// `connector-gen package DIR -o OUT [--flows FLOWS]`.
fn package(dir: &Path, out: &Path, flows: Option<&Path>) -> common::Run {
    let mut args = vec![
        "package",
        dir.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
    ];
    if let Some(f) = flows {
        args.extend(["--flows", f.to_str().unwrap()]);
    }
    run(&args)
}

fn init(dir: &Path, auth: &str, title: &str) {
    let r = run(&[
        "init",
        dir.to_str().unwrap(),
        "--auth",
        auth,
        "--title",
        title,
        "--script",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
}

/// The package's layers: outer files, the Package Deployer package's, the connector solution's.
struct Layers {
    outer: BTreeMap<String, Vec<u8>>,
    pd: BTreeMap<String, Vec<u8>>,
    solution: BTreeMap<String, Vec<u8>>,
}

fn layers(file: &Path) -> Layers {
    let outer = unzip(&std::fs::read(file).unwrap());
    let pdpkg = outer
        .keys()
        .find(|k| k.ends_with(".pdpkg.zip"))
        .expect("a .pdpkg.zip")
        .clone();
    let pd = unzip(&outer[&pdpkg]);
    let solution_name = pd
        .keys()
        .find(|k| k.starts_with("PkgAssets/") && k.ends_with("Connector_1_0_0_0.zip"))
        .expect("the connector's solution")
        .clone();
    let solution = unzip(&pd[&solution_name]);
    Layers {
        outer,
        pd,
        solution,
    }
}

#[test]
fn every_template_packages_and_reads_back() {
    let tmp = tempfile::tempdir().unwrap();
    for auth in ["none", "basic", "apikey", "oauth2generic", "aad"] {
        let dir = tmp.path().join(format!("c-{auth}"));
        // Hostile text in the title: it reaches XML.
        let title = format!("C <{auth}> & \"Co\" 1");
        init(&dir, auth, &title);
        let file = tmp.path().join(format!("{auth}.zip"));
        let r = package(&dir, &file, None);
        assert_eq!(r.code, 0, "{auth}: {}", r.stderr);
        assert!(r.stderr.contains("warning: no --flows"), "{}", r.stderr);
        let l = layers(&file);

        // Outer: the readme as intro.md, and the Package Deployer package.
        assert_eq!(l.outer.len(), 2, "{:?}", l.outer.keys());
        assert_eq!(
            l.outer["intro.md"],
            std::fs::read(dir.join("readme.md")).unwrap()
        );
        // The Package Deployer package: content types, the import configuration naming each
        // solution in PkgAssets.
        xml(&l.pd["[Content_Types].xml"]);
        let config = xml(&l.pd["PkgAssets/ImportConfig.xml"]);
        let doc = roxmltree::Document::parse(&config).unwrap();
        let listed: Vec<&str> = doc
            .descendants()
            .filter(|n| n.has_tag_name("configsolutionfile"))
            .filter_map(|n| n.attribute("solutionpackagefilename"))
            .collect();
        assert_eq!(listed.len(), 1);
        assert!(l.pd.contains_key(&format!("PkgAssets/{}", listed[0])));

        // The connector's solution: manifest and customizations well formed, the title as
        // written, every file customizations.xml names present, the folder's bytes kept.
        let manifest = xml(&l.solution["solution.xml"]);
        let custom = xml(&l.solution["customizations.xml"]);
        assert_eq!(element(&custom, "displayname"), title);
        let name = element(&custom, "name");
        assert!(
            manifest.contains(&format!("schemaName=\"{name}\"")),
            "{manifest}"
        );
        for tag in [
            "openapidefinition",
            "connectionparameters",
            "iconblob",
            "customcodeblob",
        ] {
            let path = element(&custom, tag);
            let inner = path.trim_start_matches('/');
            assert!(
                l.solution.contains_key(inner),
                "{auth}: {tag} {path} missing"
            );
        }
        assert_eq!(
            l.solution[&format!("Connector/{name}_openapidefinition.json")],
            std::fs::read(dir.join("apiDefinition.swagger.json")).unwrap()
        );
        let props: serde_json::Value =
            serde_json::from_slice(&std::fs::read(dir.join("apiProperties.json")).unwrap())
                .unwrap();
        let params: serde_json::Value = serde_json::from_slice(
            &l.solution[&format!("Connector/{name}_connectionparameters.json")],
        )
        .unwrap();
        assert_eq!(params, props["properties"]["connectionParameters"]);
        assert_eq!(
            l.solution[&format!("Connector/{name}_iconblob.png")],
            std::fs::read(dir.join("icon.png")).unwrap()
        );
        assert_eq!(
            l.solution[&format!("Connector/{name}_customcode.cs")],
            std::fs::read(dir.join("script.csx")).unwrap()
        );
        assert_eq!(
            element(&custom, "scriptoperations"),
            props["properties"]["scriptOperations"].to_string()
        );
    }
}

fn flow_solution(with_workflows: bool) -> Vec<u8> {
    let manifest = b"<ImportExportXml><SolutionManifest><UniqueName>ContosoFlows</UniqueName></SolutionManifest></ImportExportXml>";
    let mut files: Vec<(&str, &[u8])> = vec![
        ("[Content_Types].xml", b"<Types/>"),
        ("solution.xml", manifest),
        ("customizations.xml", b"<ImportExportXml/>"),
    ];
    if with_workflows {
        files.push(("Workflows/ListItems-1.json", b"{\"properties\": {}}"));
    }
    zip_of(&files)
}

#[test]
fn a_solution_of_flows_goes_in_beside_the_connector() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("contoso");
    init(&dir, "apikey", "Contoso Items");
    let flows = tmp.path().join("ContosoFlows_1_0_0_0.zip");
    std::fs::write(&flows, flow_solution(true)).unwrap();
    let file = tmp.path().join("contoso.zip");
    let r = package(&dir, &file, Some(&flows));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(!r.stderr.contains("warning"), "{}", r.stderr);
    // One folder makes the same bytes every time.
    let again = tmp.path().join("again.zip");
    let r = package(&dir, &again, Some(&flows));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(
        std::fs::read(&again).unwrap(),
        std::fs::read(&file).unwrap()
    );
    let l = layers(&file);
    assert_eq!(
        l.pd["PkgAssets/ContosoFlows_1_0_0_0.zip"],
        std::fs::read(&flows).unwrap()
    );
    let config = xml(&l.pd["PkgAssets/ImportConfig.xml"]);
    let connector = config.find("ContosoItemsConnector_1_0_0_0.zip").unwrap();
    let flows_at = config.find("ContosoFlows_1_0_0_0.zip").unwrap();
    assert!(
        connector < flows_at,
        "the connector is imported first:\n{config}"
    );

    // A zip that is not a solution of flows is refused, nothing written.
    std::fs::write(&flows, flow_solution(false)).unwrap();
    let other = tmp.path().join("other.zip");
    let r = package(&dir, &other, Some(&flows));
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(
        r.stderr
            .contains("not a solution of flows (no Workflows/ folder)"),
        "{}",
        r.stderr
    );
    assert!(!other.exists());
    std::fs::write(&flows, b"not a zip").unwrap();
    let r = package(&dir, &other, Some(&flows));
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(!other.exists());
}

#[test]
fn a_connector_with_errors_or_no_folder_is_not_packaged() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("p.zip");
    // Certification errors (no readme, no icon, the shared redirect): listed, nothing written.
    let r = run(&[
        "package",
        "fixtures/rules/PP0012-oauth-redirect-not-per-connector",
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stderr.contains("error[PP0012]"), "{}", r.stderr);
    assert!(r.stderr.contains("no package was written"), "{}", r.stderr);
    assert!(!out.exists());
    // An icon that is not a PNG is not packaged.
    let dir = tmp.path().join("bad-icon");
    init(&dir, "apikey", "Contoso Items");
    std::fs::write(dir.join("icon.png"), b"<svg/>").unwrap();
    let r = package(&dir, &out, None);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("no usable icon.png"), "{}", r.stderr);
    assert!(!out.exists());
    // A definition file is not a connector folder.
    let r = run(&[
        "package",
        "fixtures/broken/bom.json",
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(!out.exists());
}
