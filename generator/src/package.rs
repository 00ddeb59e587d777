//! `connector-gen package`: a connector folder as a certification package — a zip holding
//! `intro.md` (the folder's readme) and a Package Deployer package (`<Name>.pdpkg.zip`) whose
//! `PkgAssets/` hold `ImportConfig.xml`, the connector as a solution (`[Content_Types].xml`,
//! `solution.xml`, `customizations.xml`, `Connector/<name>_*` files), and the flows' solution
//! when one is given. The layout is written down in docs/decisions.md.

use crate::load::input::{ICON_FILE, README_FILE};
use crate::pipeline::Loaded;
use serde_json::Value;
use std::io::{Cursor, Read, Write};
use std::path::Path;

/// The largest flow solution read (a solution of flows is small; a bigger file is not one).
pub const MAX_FLOWS_BYTES: u64 = 64 * 1024 * 1024;

/// Why a package could not be made.
#[derive(Debug, thiserror::Error)]
pub enum PackageError {
    /// The input is not a connector folder with its definition and properties.
    #[error("{0}: a package is made of a connector folder (apiDefinition.swagger.json and apiProperties.json)")]
    NotAFolder(String),
    /// A file the package needs is missing (or, for the icon, not a PNG of at most 1 MiB).
    #[error("{folder}: no usable {file}; a certification package needs it")]
    Missing {
        /// The connector folder.
        folder: String,
        /// The file.
        file: &'static str,
    },
    /// `apiProperties.json` cannot be read as JSON.
    #[error("{0}: apiProperties.json is not a JSON object with `properties`")]
    Properties(String),
    /// The flow solution is not one.
    #[error("{path}: not a solution of flows ({why})")]
    Flows {
        /// The file given.
        path: String,
        /// What is wrong.
        why: String,
    },
    /// A file could not be read.
    #[error("{path}: {message}")]
    Read {
        /// The file.
        path: String,
        /// What happened.
        message: String,
    },
    /// The zip writer failed (in memory: a bug).
    #[error("cannot write the package: {0}")]
    Zip(#[from] zip::result::ZipError),
    /// Writing to memory failed (a bug).
    #[error("cannot write the package: {0}")]
    Io(#[from] std::io::Error),
}

/// A package's files, for a report: the name of the Package Deployer package, and the solutions
/// in it.
#[derive(Debug)]
pub struct Package {
    /// The zip's bytes.
    pub bytes: Vec<u8>,
    /// `<Name>.pdpkg.zip`.
    pub pdpkg: String,
    /// The solution files in `PkgAssets/`, in import order.
    pub solutions: Vec<String>,
}

/// `text` for XML character data and attribute values.
pub fn xml_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // Characters XML 1.0 cannot hold at all are left out.
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => {}
            '\u{FFFE}' | '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
    out
}

/// Letters and digits of `text`, each word capitalised (`Contoso Tasks!` → `ContosoTasks`);
/// `fallback` when nothing is left.
fn pascal(text: &str, fallback: &str) -> String {
    let mut out = crate::text::alphanumeric_words(text);
    if let Some(first) = out.get_mut(0..1) {
        first.make_ascii_uppercase();
    }
    if out.is_empty() || out.starts_with(|c: char| c.is_ascii_digit()) {
        out.insert_str(0, fallback);
    }
    out.truncate(60);
    out
}

/// The publisher's customization prefix: its first letters and digits in lower case (2 to 8,
/// starting with a letter), `new` when it has too few.
fn prefix(publisher: &str) -> String {
    let p: String = publisher
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .skip_while(char::is_ascii_digit)
        .take(8)
        .collect();
    if p.len() < 2 {
        "new".into()
    } else {
        p
    }
}

/// A GUID made from `seed` (stable: the same connector gets the same id in every package).
fn guid(seed: &str) -> String {
    use sha2::Digest;
    let h = sha2::Sha256::digest(seed.as_bytes());
    let mut b = [0u8; 16];
    b.copy_from_slice(&h[..16]);
    b[6] = (b[6] & 0x0f) | 0x50;
    b[8] = (b[8] & 0x3f) | 0x80;
    let hex: String = b.iter().map(|x| format!("{x:02x}")).collect();
    format!(
        "{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    )
}

/// A solution version (four numbers) from `info.version`: its numbers, padded with zeros.
fn solution_version(v: Option<&str>) -> String {
    let mut parts: Vec<u64> = v
        .unwrap_or("")
        .split(|c: char| !c.is_ascii_digit())
        .filter(|s| !s.is_empty())
        .take(4)
        .filter_map(|s| s.parse().ok())
        .collect();
    if parts.is_empty() {
        parts.push(1);
    }
    parts.resize(4, 0);
    parts
        .iter()
        .map(u64::to_string)
        .collect::<Vec<_>>()
        .join(".")
}

fn options() -> zip::write::SimpleFileOptions {
    zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .last_modified_time(zip::DateTime::default())
}

/// A zip of `files` (name, bytes), in order.
fn zip_of(files: &[(String, Vec<u8>)]) -> Result<Vec<u8>, PackageError> {
    let mut buf = Cursor::new(Vec::new());
    let mut z = zip::ZipWriter::new(&mut buf);
    for (name, bytes) in files {
        z.start_file(name.as_str(), options())?;
        z.write_all(bytes)?;
    }
    z.finish()?;
    Ok(buf.into_inner())
}

const CONTENT_TYPES: &str = r#"<?xml version="1.0" encoding="utf-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/octet-stream" /><Default Extension="json" ContentType="application/octet-stream" /><Default Extension="png" ContentType="application/octet-stream" /><Default Extension="cs" ContentType="application/octet-stream" /><Default Extension="zip" ContentType="application/octet-stream" /></Types>"#;

/// What the connector's solution is made of.
struct Names {
    /// The connector's schema name (`prefix_5Fname`, the solution encoding of `_`).
    connector: String,
    display: String,
    description: String,
    publisher: String,
    prefix: String,
    solution: String,
    version: String,
}

/// The bytes of a file the loader read, as they are on disk.
fn source_bytes(loaded: &Loaded, path: &Path) -> Option<Vec<u8>> {
    Some(loaded.sources.get(loaded.sources.find(path)?).bytes())
}

/// Checks that `bytes` are a solution zip holding flows, and gives its file name in the package.
fn check_flows(path: &Path, bytes: &[u8]) -> Result<String, PackageError> {
    let bad = |why: &str| PackageError::Flows {
        path: path.display().to_string(),
        why: why.to_string(),
    };
    let mut z = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| bad(&e.to_string()))?;
    let names: Vec<String> = z
        .file_names()
        .map(|n| n.map(|n| n.into_owned()))
        .collect::<Result<_, _>>()
        .map_err(|e| bad(&e.to_string()))?;
    for needed in ["solution.xml", "customizations.xml", "[Content_Types].xml"] {
        if !names.iter().any(|n| n == needed) {
            return Err(bad(&format!("no {needed}")));
        }
    }
    if !names.iter().any(|n| n.starts_with("Workflows/")) {
        return Err(bad("no Workflows/ folder"));
    }
    let mut manifest = String::new();
    z.by_name("solution.xml")
        .map_err(|e| bad(&e.to_string()))?
        .take(1024 * 1024)
        .read_to_string(&mut manifest)
        .map_err(|e| bad(&format!("solution.xml: {e}")))?;
    if !manifest.contains("<SolutionManifest") {
        return Err(bad("solution.xml has no SolutionManifest"));
    }
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .filter(|n| {
            n.ends_with(".zip")
                && n.chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'))
        })
        .unwrap_or_else(|| "Flows.zip".into());
    Ok(name)
}

/// The certification package of a loaded connector folder, with `flows` (an exported solution
/// of the connector's flows) when given.
pub fn package(
    loaded: &Loaded,
    opts: &crate::load::LoadOptions,
    flows: Option<&Path>,
) -> Result<Package, PackageError> {
    let folder =
        loaded.input.folder.clone().ok_or_else(|| {
            PackageError::NotAFolder(loaded.input.definition.display().to_string())
        })?;
    let shown = folder.display().to_string();
    let c = loaded
        .connector
        .as_ref()
        .ok_or_else(|| PackageError::NotAFolder(shown.clone()))?;
    let properties_path = loaded
        .input
        .properties
        .clone()
        .ok_or_else(|| PackageError::Missing {
            folder: shown.clone(),
            file: "apiProperties.json",
        })?;
    let definition = source_bytes(loaded, &loaded.input.definition)
        .ok_or_else(|| PackageError::NotAFolder(loaded.input.definition.display().to_string()))?;
    let properties_text = source_bytes(loaded, &properties_path)
        .ok_or_else(|| PackageError::Properties(properties_path.display().to_string()))?;
    let properties: Value = serde_json::from_slice(
        String::from_utf8_lossy(&properties_text)
            .trim_start_matches('\u{feff}')
            .as_bytes(),
    )
    .ok()
    .filter(|v: &Value| v["properties"].is_object())
    .ok_or_else(|| PackageError::Properties(properties_path.display().to_string()))?;
    let props = &properties["properties"];
    let readme = loaded
        .readme
        .map(|id| loaded.sources.get(id).text.clone())
        .ok_or_else(|| PackageError::Missing {
            folder: shown.clone(),
            file: README_FILE,
        })?;
    // The icon as the docs site reads it: a PNG inside the folder, at most 1 MiB.
    let icon = crate::docs::read_icon(loaded, opts).ok_or_else(|| PackageError::Missing {
        folder: shown.clone(),
        file: ICON_FILE,
    })?;
    let script = loaded
        .script
        .map(|id| loaded.sources.get(id).text.clone().into_bytes());

    let publisher = props["publisher"]
        .as_str()
        .filter(|p| !p.trim().is_empty())
        .unwrap_or(&c.title)
        .to_string();
    let prefix = prefix(&publisher);
    let base = pascal(&c.title, "Connector");
    let names = Names {
        connector: format!("{prefix}_5F{}", base.to_ascii_lowercase()),
        display: c.title.clone(),
        description: c.description.clone().unwrap_or_default(),
        publisher,
        solution: format!("{base}Connector"),
        version: solution_version(c.version.as_deref()),
        prefix,
    };

    // The connector's solution.
    let n = &names.connector;
    let mut connector_files: Vec<(String, Vec<u8>)> = vec![
        (format!("Connector/{n}_openapidefinition.json"), definition),
        (
            format!("Connector/{n}_connectionparameters.json"),
            pretty(props.get("connectionParameters").unwrap_or(&Value::Null)),
        ),
        (format!("Connector/{n}_iconblob.png"), icon),
    ];
    let policies = props
        .get("policyTemplateInstances")
        .filter(|p| p.as_array().is_some_and(|a| !a.is_empty()));
    if let Some(p) = policies {
        connector_files.push((
            format!("Connector/{n}_policytemplateinstances.json"),
            pretty(p),
        ));
    }
    if let Some(s) = &script {
        connector_files.push((format!("Connector/{n}_customcode.cs"), s.clone()));
    }
    let customizations = customizations_xml(&names, props, policies.is_some(), script.is_some());
    let mut solution_files: Vec<(String, Vec<u8>)> = vec![
        (
            "[Content_Types].xml".into(),
            CONTENT_TYPES.as_bytes().to_vec(),
        ),
        ("solution.xml".into(), solution_xml(&names).into_bytes()),
        ("customizations.xml".into(), customizations.into_bytes()),
    ];
    solution_files.extend(connector_files);
    let solution_name = format!("{}_{}.zip", names.solution, names.version.replace('.', "_"));
    let mut assets: Vec<(String, Vec<u8>)> =
        vec![(solution_name.clone(), zip_of(&solution_files)?)];
    if let Some(path) = flows {
        let bytes = std::fs::File::open(path)
            .and_then(|f| {
                let mut v = Vec::new();
                f.take(MAX_FLOWS_BYTES + 1).read_to_end(&mut v)?;
                Ok(v)
            })
            .map_err(|e| PackageError::Read {
                path: path.display().to_string(),
                message: e.to_string(),
            })?;
        if bytes.len() as u64 > MAX_FLOWS_BYTES {
            return Err(PackageError::Flows {
                path: path.display().to_string(),
                why: format!("larger than {MAX_FLOWS_BYTES} bytes"),
            });
        }
        let mut name = check_flows(path, &bytes)?;
        if name == solution_name {
            name = format!("Flows_{name}");
        }
        assets.push((name, bytes));
    }
    let solutions: Vec<String> = assets.iter().map(|(n, _)| n.clone()).collect();
    let mut pd_files: Vec<(String, Vec<u8>)> = vec![
        (
            "[Content_Types].xml".into(),
            CONTENT_TYPES.as_bytes().to_vec(),
        ),
        (
            "PkgAssets/ImportConfig.xml".into(),
            import_config(&solutions).into_bytes(),
        ),
    ];
    pd_files.extend(
        assets
            .into_iter()
            .map(|(n, b)| (format!("PkgAssets/{n}"), b)),
    );
    let pdpkg = format!("{base}.pdpkg.zip");
    let outer = zip_of(&[
        ("intro.md".into(), readme.into_bytes()),
        (pdpkg.clone(), zip_of(&pd_files)?),
    ])?;
    Ok(Package {
        bytes: outer,
        pdpkg,
        solutions,
    })
}

fn pretty(v: &Value) -> Vec<u8> {
    let mut b = serde_json::to_vec_pretty(v).unwrap_or_default();
    b.push(b'\n');
    b
}

fn solution_xml(n: &Names) -> String {
    format!(
        r#"<?xml version="1.0" encoding="utf-8"?>
<ImportExportXml version="9.2.0.0" SolutionPackageVersion="9.2" languagecode="1033" generatedBy="CrmLive" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
  <SolutionManifest>
    <UniqueName>{solution}</UniqueName>
    <LocalizedNames>
      <LocalizedName description="{display}" languagecode="1033" />
    </LocalizedNames>
    <Descriptions>
      <Description description="{description}" languagecode="1033" />
    </Descriptions>
    <Version>{version}</Version>
    <Managed>0</Managed>
    <Publisher>
      <UniqueName>{publisher_unique}</UniqueName>
      <LocalizedNames>
        <LocalizedName description="{publisher}" languagecode="1033" />
      </LocalizedNames>
      <Descriptions />
      <EMailAddress xsi:nil="true"></EMailAddress>
      <SupportingWebsiteUrl xsi:nil="true"></SupportingWebsiteUrl>
      <CustomizationPrefix>{prefix}</CustomizationPrefix>
      <CustomizationOptionValuePrefix>10000</CustomizationOptionValuePrefix>
      <Addresses />
    </Publisher>
    <RootComponents>
      <RootComponent type="372" schemaName="{connector}" behavior="0" />
    </RootComponents>
    <MissingDependencies />
  </SolutionManifest>
</ImportExportXml>
"#,
        solution = xml_escape(&n.solution),
        display = xml_escape(&n.display),
        description = xml_escape(&n.description),
        version = n.version,
        publisher_unique = xml_escape(&pascal(&n.publisher, "Publisher")),
        publisher = xml_escape(&n.publisher),
        prefix = xml_escape(&n.prefix),
        connector = xml_escape(&n.connector),
    )
}

fn customizations_xml(n: &Names, props: &Value, policies: bool, script: bool) -> String {
    let c = &n.connector;
    let color = props["iconBrandColor"].as_str().unwrap_or("#007ee5");
    let capabilities = serde_json::to_string(&props["capabilities"])
        .ok()
        .filter(|s| s != "null")
        .unwrap_or_else(|| "[]".into());
    let mut optional = String::new();
    if policies {
        optional.push_str(&format!(
            "      <policytemplateinstances>/Connector/{}_policytemplateinstances.json</policytemplateinstances>\n",
            xml_escape(c)
        ));
    }
    if script {
        optional.push_str(&format!(
            "      <customcodeblob>/Connector/{}_customcode.cs</customcodeblob>\n",
            xml_escape(c)
        ));
        if let Some(ops) = props.get("scriptOperations") {
            optional.push_str(&format!(
                "      <scriptoperations>{}</scriptoperations>\n",
                xml_escape(&ops.to_string())
            ));
        }
    }
    format!(
        r#"<?xml version="1.0" encoding="utf-8"?>
<ImportExportXml xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
  <Entities />
  <Roles />
  <Workflows />
  <FieldSecurityProfiles />
  <Templates />
  <EntityMaps />
  <EntityRelationships />
  <OrganizationSettings />
  <optionsets />
  <CustomControls />
  <EntityDataProviders />
  <Connectors>
    <Connector>
      <connectorid>{id}</connectorid>
      <name>{name}</name>
      <displayname>{display}</displayname>
      <description>{description}</description>
      <connectortype>1</connectortype>
      <iconbrandcolor>{color}</iconbrandcolor>
      <capabilities>{capabilities}</capabilities>
      <openapidefinition>/Connector/{name}_openapidefinition.json</openapidefinition>
      <connectionparameters>/Connector/{name}_connectionparameters.json</connectionparameters>
      <iconblob>/Connector/{name}_iconblob.png</iconblob>
{optional}      <iscustomizable>1</iscustomizable>
      <statecode>0</statecode>
      <statuscode>1</statuscode>
    </Connector>
  </Connectors>
  <Languages>
    <Language>1033</Language>
  </Languages>
</ImportExportXml>
"#,
        id = guid(&format!("{}|{}", n.publisher, n.connector)),
        name = xml_escape(c),
        display = xml_escape(&n.display),
        description = xml_escape(&n.description),
        color = xml_escape(color),
        capabilities = xml_escape(&capabilities),
    )
}

fn import_config(solutions: &[String]) -> String {
    let list: String = solutions
        .iter()
        .map(|s| {
            format!(
                "    <configsolutionfile solutionpackagefilename=\"{}\" overwriteunmanagedcustomizations=\"false\" publishworkflowsandactivateplugins=\"true\" />\n",
                xml_escape(s)
            )
        })
        .collect();
    format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<configdatastorage xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xmlns:xsd=\"http://www.w3.org/2001/XMLSchema\" installsampledata=\"false\" waitforsampledatatoinstall=\"true\" agentdesktopzipfile=\"\" agentdesktopexename=\"\" crmmigdataimportfile=\"\">\n  <solutions>\n{list}  </solutions>\n</configdatastorage>\n"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_made_safe_for_solutions_and_xml() {
        assert_eq!(pascal("Contoso Tasks!", "C"), "ContosoTasks");
        assert_eq!(pascal("42 things", "C"), "C42Things");
        assert_eq!(pascal("日本", "Connector"), "Connector");
        assert_eq!(prefix("Contoso Ltd"), "contosol");
        assert_eq!(prefix("1"), "new");
        assert_eq!(solution_version(Some("v2.1")), "2.1.0.0");
        assert_eq!(solution_version(None), "1.0.0.0");
        assert_eq!(
            xml_escape("<a href=\"x\">&'\u{1b}</a>"),
            "&lt;a href=&quot;x&quot;&gt;&amp;&apos;&lt;/a&gt;"
        );
        assert_eq!(guid("x"), guid("x"));
        assert_eq!(guid("x").len(), 36);
    }
}
