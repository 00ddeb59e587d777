//! `connector-gen docs`: a static reference site for connectors, laid out as the platform's
//! reference pages are (what the connector does and who publishes it, how to create a
//! connection, throttling limits, each action and trigger with its parameters and what it
//! returns, then the definitions).
//!
//! The site is HTML and CSS with one small local script (the index's search); nothing is loaded
//! from anywhere else, and every page carries a Content-Security-Policy that allows only the
//! site's own files. Text from a definition is never markup: the templates escape every value,
//! and [`html`] makes control and bidi characters visible and keeps only web and mail links.

pub mod html;
mod schema;
mod view;
mod write;

pub use view::{Finding, Page};
pub use write::{write_site, SiteWriteError, MARKER};

use crate::diagnostics::Diagnostic;
use crate::location::SourceMap;
use crate::model::Connector;
use base64::Engine;
use serde::Serialize;
use sha2::Digest;
use std::path::Path;

/// Why a site could not be made.
#[derive(Debug, thiserror::Error)]
pub enum DocsError {
    /// A template is broken (a bug of this tool, not of the input).
    #[error("docs template {0}: {1}")]
    Template(&'static str, minijinja::Error),
}

/// One file of the site.
#[derive(Debug, Clone)]
pub struct SiteFile {
    /// Its path in the site, `/`-separated.
    pub path: String,
    /// Its bytes.
    pub contents: Vec<u8>,
}

/// One connector to document.
pub struct Entry<'a> {
    /// The model.
    pub connector: &'a Connector,
    /// The folder's `icon.png`, checked to be a PNG (see [`read_icon`]).
    pub icon: Option<Vec<u8>>,
    /// The validator's findings, when the page should show them.
    pub findings: Option<Vec<Finding>>,
}

/// How the site is made.
#[derive(Debug, Clone)]
pub struct SiteOptions {
    /// The site's title (the index's heading and every page's header link).
    pub title: String,
}

impl Default for SiteOptions {
    fn default() -> Self {
        SiteOptions {
            title: "Connector reference".into(),
        }
    }
}

/// The stylesheet every page links.
const SITE_CSS: &str = include_str!("../../../templates/docs/site.css");
/// The pages' icon.
const FAVICON_SVG: &str = include_str!("../../../templates/docs/favicon.svg");
/// The index's search.
const SEARCH_JS: &str = include_str!("../../../templates/docs/search.js");
/// The largest icon copied into the site.
pub const MAX_ICON_BYTES: u64 = 1 << 20;

fn environment() -> Result<minijinja::Environment<'static>, DocsError> {
    let mut env = minijinja::Environment::new();
    // `.html` names: every value is HTML-escaped (minijinja's default for these names, set
    // here so that it cannot change by accident).
    env.set_auto_escape_callback(|_| minijinja::AutoEscape::Html);
    env.set_undefined_behavior(minijinja::UndefinedBehavior::Strict);
    for (name, text) in [
        (
            "base.html",
            include_str!("../../../templates/docs/base.html.j2"),
        ),
        (
            "connector.html",
            include_str!("../../../templates/docs/connector.html.j2"),
        ),
        (
            "index.html",
            include_str!("../../../templates/docs/index.html.j2"),
        ),
    ] {
        env.add_template(name, text)
            .map_err(|e| DocsError::Template(name, e))?;
    }
    Ok(env)
}

/// The Content-Security-Policy of a page: only the site's own stylesheet, script and images,
/// plus the page's one `<style>` element by its hash.
fn csp(style: Option<&str>) -> String {
    let style_src = match style {
        Some(s) => format!(
            "'self' 'sha256-{}'",
            base64::engine::general_purpose::STANDARD.encode(sha2::Sha256::digest(s.as_bytes()))
        ),
        None => "'self'".into(),
    };
    format!("default-src 'none'; img-src 'self'; style-src {style_src}; script-src 'self'; base-uri 'none'; form-action 'none'")
}

/// Reads the connector folder's icon the loader found (`icon.png` in any letter case): a
/// regular file inside the folder (the definition's confinement applies), at most
/// [`MAX_ICON_BYTES`], and a PNG by its signature. Anything else is no icon.
pub fn read_icon(
    loaded: &crate::pipeline::Loaded,
    opts: &crate::load::LoadOptions,
) -> Option<Vec<u8>> {
    let path = loaded.icon.as_ref()?;
    let roots = crate::load::Roots::new(&loaded.input.root(), &opts.roots);
    let bytes = crate::load::confine::read(path, &roots, MAX_ICON_BYTES).ok()?;
    bytes.starts_with(b"\x89PNG\r\n\x1a\n").then_some(bytes)
}

/// The findings of a connector as its page shows them: place relative to the connector's
/// folder (`apiProperties.json:12:27`), never an absolute path.
pub fn findings(diags: &[Diagnostic], sources: &dyn SourceMap, root: &Path) -> Vec<Finding> {
    diags
        .iter()
        .map(|d| {
            let location = match (d.file, d.span) {
                (Some(f), Some(span)) => {
                    let path = sources.path(f);
                    let shown = path.strip_prefix(root).unwrap_or(path);
                    let lc = sources.line_col(f, span.start);
                    format!("{}:{}:{}", shown.display(), lc.line, lc.column)
                }
                (Some(f), None) => {
                    let path = sources.path(f);
                    path.strip_prefix(root)
                        .unwrap_or(path)
                        .display()
                        .to_string()
                }
                _ => String::new(),
            };
            Finding {
                severity: d.severity.as_str().into(),
                code: d.code.into(),
                name: d.name.into(),
                message: crate::text::printable(&d.message).into_owned(),
                location: html::line(&location),
                help: crate::text::printable(d.help.as_deref().unwrap_or("")).into_owned(),
            }
        })
        .collect()
}

/// An operation in the index (found by the search).
#[derive(Serialize)]
struct IndexOp {
    anchor: String,
    id: String,
    title: String,
    search: String,
}

/// A connector's line in the index.
#[derive(Serialize)]
pub struct IndexRow {
    title: String,
    brief: String,
    href: String,
    dir: String,
    actions: usize,
    triggers: usize,
    auth: Vec<String>,
    publisher: String,
    search: String,
    ops: Vec<IndexOp>,
}

/// Renders one connector's page; `root` is the way from the page to the site's root (`""` or
/// `"../"`).
fn render_page(
    env: &minijinja::Environment<'_>,
    page: &Page,
    site: &SiteOptions,
    root: &str,
) -> Result<String, DocsError> {
    let style = format!(
        ".brand{{background-color:{}}}",
        page.brand.as_deref().unwrap_or("#2b579a")
    );
    env.get_template("connector.html")
        .and_then(|t| {
            t.render(minijinja::context! {
                page => minijinja::Value::from(minijinja::value::Serde(page)),
                page_title => format!("{} — {}", page.title, site.title),
                site_title => site.title.clone(),
                root => root,
                csp => csp(Some(&style)),
                style => style,
                version => env!("CARGO_PKG_VERSION"),
                max_rows => schema::MAX_ROWS,
            })
        })
        .map_err(|e| DocsError::Template("connector.html", e))
}

/// The site's stylesheet and script.
pub fn assets() -> Vec<SiteFile> {
    vec![
        SiteFile {
            path: "assets/site.css".into(),
            contents: SITE_CSS.as_bytes().to_vec(),
        },
        SiteFile {
            path: "assets/search.js".into(),
            contents: SEARCH_JS.as_bytes().to_vec(),
        },
        SiteFile {
            path: "assets/favicon.svg".into(),
            contents: FAVICON_SVG.as_bytes().to_vec(),
        },
    ]
}

/// A folder name for each connector of a site, in order: made from `names` (a connector
/// folder's name, or a definition file's stem), reduced to `a-z0-9-` and unique.
fn slugs<'a>(names: impl IntoIterator<Item = &'a str>) -> Vec<String> {
    let mut taken = html::Unique::default();
    taken.take("assets".into());
    names
        .into_iter()
        .map(|n| taken.take(html::slug(n, "connector")))
        .collect()
}

/// The folder of each input's page in a site of several: the connector folders' names (or the
/// definition files' stems) reduced to `a-z0-9-` and made unique. `generate --docs-url` links crates to the
/// same folders.
pub fn input_slugs(inputs: &[crate::load::Input]) -> Vec<String> {
    let names: Vec<String> = inputs
        .iter()
        .map(|i| {
            let name = match &i.folder {
                Some(f) => f.file_name(),
                None => i.definition.file_stem(),
            };
            name.map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default()
        })
        .collect();
    slugs(names.iter().map(String::as_str))
}

/// The address of each input's page in the site `docs` makes of `inputs`, published at
/// `base`: `base` itself for one connector, `base/<slug>/` for each of several.
pub fn page_urls(base: &str, inputs: &[crate::load::Input]) -> Vec<String> {
    if inputs.len() == 1 {
        return vec![base.to_string()];
    }
    let base = base.trim_end_matches('/');
    input_slugs(inputs)
        .into_iter()
        .map(|s| format!("{base}/{s}/"))
        .collect()
}

/// A connector's page of a site of several, and what the index needs of it.
pub struct Rendered {
    /// `<slug>/index.html` and `<slug>/icon.png`.
    pub files: Vec<SiteFile>,
    /// Its line in the index.
    pub row: IndexRow,
}

/// Makes the pages of a site from its templates.
pub struct Renderer {
    env: minijinja::Environment<'static>,
    opts: SiteOptions,
}

impl Renderer {
    /// A renderer with the built-in templates.
    pub fn new(opts: SiteOptions) -> Result<Self, DocsError> {
        Ok(Renderer {
            env: environment()?,
            opts,
        })
    }

    /// The whole site of one connector: its page is `index.html`, its icon `icon.png`.
    pub fn single(&self, e: Entry<'_>) -> Result<Vec<SiteFile>, DocsError> {
        let (_, files) = self.files_of(e, "", "")?;
        let mut all = assets();
        all.extend(files);
        Ok(all)
    }

    /// One connector's page in a site of several: `<slug>/index.html`.
    pub fn page(&self, e: Entry<'_>, slug: &str) -> Result<Rendered, DocsError> {
        let (page, files) = self.files_of(e, &format!("{slug}/"), "../")?;
        Ok(Rendered {
            files,
            row: index_row(&page, slug),
        })
    }

    /// A connector's page and icon in the folder `dir` (`""` or `"<slug>/"`), `root` the way
    /// back to the site's root.
    fn files_of(
        &self,
        e: Entry<'_>,
        dir: &str,
        root: &str,
    ) -> Result<(Page, Vec<SiteFile>), DocsError> {
        let page = view::page(
            e.connector,
            e.icon.as_ref().map(|_| "icon.png".into()),
            e.findings,
        );
        let html = render_page(&self.env, &page, &self.opts, root)?;
        let mut files = vec![SiteFile {
            path: format!("{dir}index.html"),
            contents: html.into_bytes(),
        }];
        if let Some(bytes) = e.icon {
            files.push(SiteFile {
                path: format!("{dir}icon.png"),
                contents: bytes,
            });
        }
        Ok((page, files))
    }

    /// The index of a site of several connectors (`index.html`), sorted by title.
    pub fn index(&self, mut rows: Vec<IndexRow>) -> Result<SiteFile, DocsError> {
        rows.sort_by_cached_key(|r| (r.title.to_lowercase(), r.dir.clone()));
        let operations: usize = rows.iter().map(|r| r.actions + r.triggers).sum();
        let index = self
            .env
            .get_template("index.html")
            .and_then(|t| {
                t.render(minijinja::context! {
                    connectors => minijinja::Value::from(minijinja::value::Serde(&rows)),
                    operations => operations,
                    page_title => self.opts.title.clone(),
                    site_title => self.opts.title.clone(),
                    root => "",
                    csp => csp(None),
                    style => "",
                    version => env!("CARGO_PKG_VERSION"),
                })
            })
            .map_err(|e| DocsError::Template("index.html", e))?;
        Ok(SiteFile {
            path: "index.html".into(),
            contents: index.into_bytes(),
        })
    }
}

/// What the index shows of a page, with the lower-case text its search looks in.
fn index_row(page: &Page, slug: &str) -> IndexRow {
    let ops = page
        .actions
        .iter()
        .chain(&page.triggers)
        .map(|o| IndexOp {
            search: format!("{} {} {}", page.title, o.id, o.title).to_lowercase(),
            anchor: o.anchor.clone(),
            id: o.id.clone(),
            title: o.title.clone(),
        })
        .collect();
    IndexRow {
        search: format!(
            "{} {} {} {}",
            page.title, page.name, page.brief, page.publisher
        )
        .to_lowercase(),
        title: page.title.clone(),
        brief: page.brief.clone(),
        href: format!("{slug}/index.html"),
        dir: format!("{slug}/"),
        actions: page.actions.len(),
        triggers: page.triggers.len(),
        auth: page.auth_kinds.clone(),
        publisher: page.publisher.clone(),
        ops,
    }
}
