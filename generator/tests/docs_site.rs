//! `connector-gen docs`: the site, in a real browser (Chromium through playwright-core), checked
//! by a real HTML validator (the Nu HTML Checker, `vnu-jar`), its links crawled, and built for
//! the whole corpus.

mod common;

use common::{root, run, test_tool};
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

/// The fixtures' connectors and the docs fixtures (an icon, a hostile one) in one directory.
fn fixture_connectors(dir: &Path) {
    for from in ["fixtures/connectors", "fixtures/docs"] {
        for entry in std::fs::read_dir(root().join(from)).unwrap() {
            let entry = entry.unwrap();
            let to = dir.join(entry.file_name());
            std::fs::create_dir_all(&to).unwrap();
            for f in std::fs::read_dir(entry.path()).unwrap() {
                let f = f.unwrap();
                std::fs::copy(f.path(), to.join(f.file_name())).unwrap();
            }
        }
    }
}

fn docs(input: &Path, out: &Path, extra: &[&str]) -> common::Run {
    let mut args = vec!["docs", input.to_str().unwrap(), "-o", out.to_str().unwrap()];
    args.extend_from_slice(extra);
    run(&args)
}

fn fixture_site(tmp: &Path) -> PathBuf {
    let input = tmp.join("connectors");
    fixture_connectors(&input);
    let site = tmp.join("site");
    let r = docs(&input, &site, &["--findings"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stderr.contains("Wrote 5 pages"), "{}", r.stderr);
    site
}

fn artefacts() -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join("target"));
    target.join("docs-site")
}

/// Every HTML file under `dir`.
fn pages(dir: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = common::files_under(dir)
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "html"))
        .collect();
    out.sort();
    out
}

/// What a crawl of a site found: pages, internal links, and what does not resolve.
#[derive(Debug, Default)]
struct Crawl {
    pages: usize,
    links: usize,
    anchors: usize,
    external: usize,
    broken: Vec<String>,
}

/// Reads every page with an HTML parser and checks each internal `href`/`src`: the file exists
/// in the site, and a `#fragment` is an id of the page it points into.
fn crawl(site: &Path) -> Crawl {
    use scraper::{Html, Selector};
    let all = pages(site);
    let refs = Selector::parse("a[href], link[href], script[src], img[src]").unwrap();
    let with_id = Selector::parse("[id]").unwrap();
    let mut ids: HashMap<PathBuf, HashSet<String>> = HashMap::new();
    let mut wanted: Vec<(PathBuf, PathBuf, String)> = Vec::new();
    let mut c = Crawl {
        pages: all.len(),
        ..Crawl::default()
    };
    for page in &all {
        let doc = Html::parse_document(&std::fs::read_to_string(page).unwrap());
        let mut seen = HashSet::new();
        for e in doc.select(&with_id) {
            let id = e.value().id().unwrap().to_string();
            if !seen.insert(id.clone()) {
                c.broken
                    .push(format!("{}: duplicate id `{id}`", page.display()));
            }
        }
        ids.insert(page.clone(), seen);
        for e in doc.select(&refs) {
            let v = e.value();
            let target = v.attr("href").or_else(|| v.attr("src")).unwrap();
            let lower = target.to_ascii_lowercase();
            if lower.starts_with("https://")
                || lower.starts_with("http://")
                || lower.starts_with("mailto:")
            {
                c.external += 1;
                continue;
            }
            assert!(
                !lower.contains(':'),
                "{}: a link with a scheme: {target}",
                page.display()
            );
            c.links += 1;
            let (file, fragment) = target.split_once('#').unwrap_or((target, ""));
            let file = if file.is_empty() {
                page.clone()
            } else {
                page.parent().unwrap().join(file)
            };
            let file = normalize(&file);
            if !file.starts_with(site) || !file.is_file() {
                c.broken
                    .push(format!("{}: {target} does not exist", page.display()));
                continue;
            }
            if !fragment.is_empty() {
                wanted.push((page.clone(), file, fragment.to_string()));
            }
        }
    }
    for (from, file, fragment) in wanted {
        c.anchors += 1;
        if !ids.get(&file).is_some_and(|s| s.contains(&fragment)) {
            c.broken.push(format!(
                "{}: no id `{fragment}` in {}",
                from.display(),
                file.display()
            ));
        }
    }
    c
}

fn normalize(p: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for part in p.components() {
        match part {
            std::path::Component::ParentDir => {
                out.pop();
            }
            std::path::Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}

/// The Nu HTML Checker on every page of `site`: (pages it checked, its errors).
fn validate_html(vnu: &Path, site: &Path) -> (usize, String) {
    let out = std::process::Command::new("java")
        .args(["-Xss16m", "-jar"])
        .arg(vnu)
        .args([
            "--errors-only",
            "--format",
            "gnu",
            "--skip-non-html",
            "--verbose",
        ])
        .arg(site)
        .output()
        .expect("run java -jar vnu.jar");
    let stdout = String::from_utf8_lossy(&out.stdout);
    // --verbose names each file it checks on stdout.
    let checked = stdout.lines().filter(|l| l.ends_with(".html")).count();
    (checked, String::from_utf8_lossy(&out.stderr).into_owned())
}

fn vnu() -> Option<PathBuf> {
    test_tool(
        "VNU_JAR",
        ".tools/browser/node_modules/vnu-jar/build/dist/vnu.jar",
        |p| p.is_file(),
        "npm install --prefix .tools/browser vnu-jar@26.9.27; needs java",
    )
}

#[test]
fn the_fixture_site_works_in_a_real_browser() {
    let Some(playwright) = test_tool(
        "PLAYWRIGHT_CORE",
        ".tools/browser/node_modules/playwright-core",
        |p| p.join("index.mjs").is_file(),
        "npm install --prefix .tools/browser playwright-core@1.65.1",
    ) else {
        return;
    };
    let Some(chromium) = test_tool(
        "CHROMIUM",
        "/usr/bin/chromium",
        |p| p.is_file(),
        "apt-get install chromium",
    ) else {
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let site = fixture_site(tmp.path());
    let shots = artefacts();
    let checks = serde_json::json!({
        "searches": [
            {"query": "listorders"},
            {"query": "when an order"},
            {"query": "contoso"},
            {"query": "no such thing anywhere"},
        ],
        "hostile": "hostile-markup/index.html",
        "screenshots": {"connector": "northwind-orders/index.html", "index": "index.html"},
    });
    let out = std::process::Command::new("node")
        .arg(root().join("generator/tests/browser/check_site.mjs"))
        .arg(&playwright)
        .arg(&chromium)
        .arg(&site)
        .arg(&shots)
        .arg(checks.to_string())
        .output()
        .expect("run node");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let r: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    println!(
        "browser: {} pages, {} internal links, {} anchors crawled; screenshots in {}",
        r["pages"],
        r["links"],
        r["anchors"],
        shots.display()
    );
    assert_eq!(r["pages"], 6, "the index and five connector pages: {r}");
    assert!(r["anchors"].as_u64().unwrap() > 50, "{r}");
    for key in [
        "broken",
        "missingAnchors",
        "consoleErrors",
        "dialogs",
        "requestsOutside",
        "overflow",
    ] {
        assert_eq!(r[key], serde_json::json!([]), "{key}: {r}");
    }
    // The search narrows as one types: never more rows after a keystroke than before it.
    let searches = r["searches"].as_array().unwrap();
    for s in searches {
        let counts: Vec<u64> = s["counts"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c.as_u64().unwrap())
            .collect();
        assert!(counts.windows(2).all(|w| w[1] <= w[0]), "{s}");
        assert_eq!(s["before"], 5, "{s}");
    }
    let find = |q: &str| searches.iter().find(|s| s["query"] == q).unwrap();
    assert_eq!(find("listorders")["rows"], 1, "{}", find("listorders"));
    assert_eq!(find("listorders")["ops"], 1);
    assert_eq!(find("listorders")["count"], "1 of 5 connectors");
    assert_eq!(
        find("when an order")["ops"],
        1,
        "the trigger found by its summary"
    );
    assert_eq!(find("contoso")["rows"], 1);
    assert_eq!(find("no such thing anywhere")["rows"], 0);
    // The hostile page, with the page's own Content-Security-Policy ignored: nothing ran, and
    // the markup is there as text.
    let h = &r["hostile"];
    assert_eq!(h["pwned"], false, "{h}");
    assert_eq!(h["scripts"], serde_json::json!([]), "{h}");
    assert_eq!(h["styles"], 1, "only the page's own style: {h}");
    for key in ["inlineHandlers", "javascriptLinks", "injected"] {
        assert_eq!(h[key], 0, "{key}: {h}");
    }
    assert_eq!(h["dialogs"], serde_json::json!([]));
    let text = h["text"].as_str().unwrap();
    for shown in [
        "Evil <script>window.__pwned=1</script> &amp; Co \\u{202e}gnp.exe",
        "<img src=x onerror=\"window.__pwned=1\">",
        "{{ 7*7 }}",
        "\\u{2066} isolated\\u{2069}",
        "\\u{1b}[2J",
        "javascript:window.__pwned=1",
    ] {
        assert!(
            text.contains(shown),
            "`{shown}` not shown as text in:\n{text}"
        );
    }
    assert!(
        !text.contains('\u{202e}'),
        "a bidi override reached the page"
    );
    for png in ["connector.png", "index.png", "connector-phone.png"] {
        let bytes = std::fs::read(shots.join(png)).unwrap();
        assert!(
            bytes.starts_with(b"\x89PNG\r\n\x1a\n") && bytes.len() > 5000,
            "{png}"
        );
    }
}

#[test]
fn every_page_is_valid_html() {
    let Some(vnu) = vnu() else { return };
    let tmp = tempfile::tempdir().unwrap();
    let site = fixture_site(tmp.path());
    let single = tmp.path().join("single");
    let r = docs(&root().join("fixtures/docs/northwind-orders"), &single, &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    for dir in [&site, &single] {
        let (checked, errors) = validate_html(&vnu, dir);
        assert_eq!(
            checked,
            pages(dir).len(),
            "the checker saw every page of {}",
            dir.display()
        );
        assert!(errors.trim().is_empty(), "{}:\n{errors}", dir.display());
    }
}

#[test]
fn the_html_holds_definition_text_only_as_text() {
    let tmp = tempfile::tempdir().unwrap();
    let site = fixture_site(tmp.path());
    let html = std::fs::read_to_string(site.join("hostile-markup/index.html")).unwrap();
    assert!(
        !html.contains("<script>window"),
        "raw script tag in the page"
    );
    assert!(
        !html.to_ascii_lowercase().contains("href=\"javascript"),
        "a javascript: link"
    );
    assert!(!html.contains('\u{202e}'), "a bidi override in the page");
    assert!(html.contains("&lt;script&gt;window.__pwned=1&lt;&#x2f;script&gt;"));
    // The brand colour was not a colour: the default one is used, and the policy allows only
    // the site's own files and the page's one style element.
    assert!(html.contains("<style>.brand{background-color:#2b579a}</style>"));
    assert!(html.contains("default-src &#x27;none&#x27;; img-src &#x27;self&#x27;; style-src &#x27;self&#x27; &#x27;sha256-"));
    let northwind = std::fs::read_to_string(site.join("northwind-orders/index.html")).unwrap();
    assert!(northwind.contains("background-color:#0078d4"));
    assert!(northwind.contains("<img class=\"icon brand\" src=\"icon.png\""));
    assert_eq!(
        std::fs::read(site.join("northwind-orders/icon.png")).unwrap(),
        std::fs::read(root().join("fixtures/docs/northwind-orders/icon.png")).unwrap()
    );
}

#[test]
fn the_page_follows_the_platform_layout() {
    let tmp = tempfile::tempdir().unwrap();
    let site = fixture_site(tmp.path());
    let page = std::fs::read_to_string(site.join("northwind-orders/index.html")).unwrap();
    let order = [
        "<h1>Northwind Orders</h1>",
        "Northwind Traders",
        "https:&#x2f;&#x2f;northwind.example&#x2f;privacy",
        "Sales and CRM, Commerce",
        "<h2>Findings</h2>",
        "<h2>Creating a connection</h2>",
        "<h3>API key</h3>",
        "<h3>Northwind account</h3>",
        "https:&#x2f;&#x2f;global.consent.azure-apim.net&#x2f;redirect&#x2f;northwind-orders",
        "<h2>Throttling limits</h2>",
        "<h2>Actions</h2>",
        "<h3>List orders</h3>",
        "<h2>Triggers</h2>",
        "<h3>When an order ships</h3>",
        "<h2>Definitions</h2>",
    ];
    let mut at = 0;
    for part in order {
        let found = page[at..]
            .find(part)
            .unwrap_or_else(|| panic!("`{part}` missing or out of order"));
        at += found + part.len();
    }
    // Parameters: name from x-ms-summary, key, required, type; advanced marked; internal ones
    // (the webhook's callback URL) and internal operations (DeleteHook) left out.
    assert!(page.contains("<tr class=\"advanced\"><td>Top <span class=\"badge\">advanced</span></td><td><code>top</code>"));
    assert!(page.contains("<td>Customer id</td><td><code>customerId</code> <span class=\"where\">body</span></td><td>True</td>"));
    assert!(!page.contains("callbackUrl</code> <span class=\"where\">body"));
    assert!(!page.contains("id=\"op-DeleteHook\""));
    assert!(page.contains("1 internal operation is not listed"));
    // Returns link to definitions; definitions link to each other; nested paths are dotted.
    assert!(
        page.contains("<span class=\"status\">200</span> <a href=\"#def-OrderList\">OrderList</a>")
    );
    assert!(page
        .contains("<td><code>customer</code></td><td><a href=\"#def-Customer\">Customer</a></td>"));
    assert!(page.contains("<code>address.city</code>"));
    assert!(page.contains("<code>lines.quantity</code>"));
    assert!(page.contains("Get an order <span class=\"badge deprecated\">Deprecated</span>"));
    assert!(page.contains("Allowed values: open, shipped, cancelled."));
    // The operation that documents a 429 is listed under the limits.
    assert!(page.contains("<li><a href=\"#op-GetOrder\">Get an order</a> — Too many requests"));
    // Findings with their codes and places.
    assert!(page.contains("<code>PP0601</code>"), "{page}");
    assert!(page.contains("apiDefinition.swagger.json:"));
    assert!(
        !page.contains(tmp.path().to_str().unwrap()),
        "an absolute path on the page"
    );
}

#[test]
fn the_site_is_the_same_bytes_every_time() {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("connectors");
    fixture_connectors(&input);
    let read = |site: &Path| -> Vec<(PathBuf, Vec<u8>)> {
        let mut files: Vec<_> = common::files_under(site)
            .into_iter()
            .map(|p| {
                (
                    p.strip_prefix(site).unwrap().to_path_buf(),
                    std::fs::read(&p).unwrap(),
                )
            })
            .collect();
        files.sort();
        files
    };
    let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
    for site in [&a, &b] {
        let r = docs(&input, site, &["--findings"]);
        assert_eq!(r.code, 0, "{}", r.stderr);
    }
    let (a, b) = (read(&a), read(&b));
    assert_eq!(
        a.len(),
        12,
        "{:?}",
        a.iter().map(|f| &f.0).collect::<Vec<_>>()
    );
    assert!(a == b, "two runs wrote different sites");
}

#[test]
fn a_site_is_replaced_whole_and_other_directories_are_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let site = fixture_site(tmp.path());
    let before: Vec<PathBuf> = pages(&site);
    // Again over itself: replaced (an exchange), nothing left of the old one beside it.
    let r = docs(&root().join("fixtures/docs"), &site, &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(
        pages(&site).len(),
        3,
        "{:?} became {:?}",
        before,
        pages(&site)
    );
    let siblings: Vec<_> = std::fs::read_dir(tmp.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(
        siblings.len(),
        2,
        "only the input and the site: {siblings:?}"
    );
    // A directory with other things in it is left alone.
    let foreign = tmp.path().join("foreign");
    std::fs::create_dir_all(&foreign).unwrap();
    std::fs::write(foreign.join("notes.txt"), "mine").unwrap();
    let r = docs(&root().join("fixtures/docs"), &foreign, &[]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr
            .contains("is not a site made by connector-gen docs"),
        "{}",
        r.stderr
    );
    assert_eq!(std::fs::read_dir(&foreign).unwrap().count(), 1);
    // A file where the site should go.
    let file = tmp.path().join("file");
    std::fs::write(&file, "x").unwrap();
    let r = docs(&root().join("fixtures/docs"), &file, &[]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "x");
}

#[test]
fn unreadable_connectors_are_reported_and_the_rest_documented() {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("in");
    fixture_connectors(&input);
    std::fs::create_dir_all(input.join("broken")).unwrap();
    std::fs::write(
        input.join("broken/apiDefinition.swagger.json"),
        "{\"swagger\": \"2.0\",, }",
    )
    .unwrap();
    let r = docs(&input, &tmp.path().join("site"), &[]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stderr.contains("broken/apiDefinition.swagger.json:1:"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains("Wrote 5 pages") && r.stderr.contains("1 connector could not be read"),
        "{}",
        r.stderr
    );
    assert!(!tmp.path().join("site/broken").exists());
    // Nothing readable: nothing written.
    let r = docs(&input.join("broken"), &tmp.path().join("none"), &[]);
    assert_eq!(r.code, 2);
    assert!(!tmp.path().join("none").exists());
}

#[test]
fn an_icon_that_is_not_a_png_inside_the_folder_is_left_out() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("northwind");
    std::fs::create_dir_all(&dir).unwrap();
    for f in ["apiDefinition.swagger.json", "apiProperties.json"] {
        std::fs::copy(
            root().join("fixtures/docs/northwind-orders").join(f),
            dir.join(f),
        )
        .unwrap();
    }
    std::fs::write(dir.join("icon.png"), "<svg onload=alert(1)>").unwrap();
    let r = docs(&dir, &tmp.path().join("a"), &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(!tmp.path().join("a/icon.png").exists());
    #[cfg(unix)]
    {
        let secret = tmp.path().join("secret.png");
        std::fs::copy(
            root().join("fixtures/docs/northwind-orders/icon.png"),
            &secret,
        )
        .unwrap();
        std::fs::remove_file(dir.join("icon.png")).unwrap();
        std::os::unix::fs::symlink(&secret, dir.join("icon.png")).unwrap();
        let r = docs(&dir, &tmp.path().join("b"), &[]);
        assert_eq!(r.code, 0, "{}", r.stderr);
        assert!(
            !tmp.path().join("b/icon.png").exists(),
            "an icon outside the folder was read"
        );
    }
}

/// The corpus: the site for every certified connector, every OpenAPI document and every Postman
/// collection builds, every link and anchor of it resolves, and (certified) every page is valid.
#[test]
fn corpus_sites_build_and_every_link_resolves() {
    let corpus = root().join("../shared/corpus");
    if !corpus.is_dir() {
        println!("SKIPPED: corpus not found at {}", corpus.display());
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    for (name, dir) in [
        ("certified", corpus.join("powerplatform/certified")),
        ("openapi", corpus.join("openapi")),
        ("postman", corpus.join("postman")),
    ] {
        let site = tmp.path().join(name);
        let r = docs(&dir, &site, &["--findings"]);
        assert!(
            r.code == 0 || r.code == 1,
            "{name}: exit {}\n{}",
            r.code,
            r.stderr
        );
        assert!(!r.stderr.contains("panicked"), "{}", r.stderr);
        let summary = r.stderr.lines().last().unwrap_or("").to_string();
        let c = crawl(&site);
        println!(
            "{name}: {summary}\n  crawled {} pages, {} internal links, {} anchors, {} external links; {} broken",
            c.pages, c.links, c.anchors, c.external, c.broken.len()
        );
        assert!(
            c.broken.is_empty(),
            "{name}: {:#?}",
            &c.broken[..c.broken.len().min(20)]
        );
        assert!(c.pages > 1 && c.anchors > c.pages, "{name}: {c:?}");
        if name == "certified" {
            assert!(c.pages >= 600, "{c:?}");
            if let Some(vnu) = vnu() {
                let (checked, errors) = validate_html(&vnu, &site);
                println!(
                    "  Nu HTML Checker: {checked} pages checked, {} errors",
                    errors.lines().count()
                );
                assert_eq!(checked, c.pages);
                assert!(
                    errors.trim().is_empty(),
                    "{}",
                    &errors[..errors.len().min(4000)]
                );
            }
        }
    }
}

#[test]
fn generated_crates_link_to_their_pages() {
    let tmp = tempfile::tempdir().unwrap();
    let crates = tmp.path().join("crates");
    let base = "https://docs.example.com/connectors";
    let r = run(&[
        "generate",
        "fixtures/connectors",
        "-o",
        crates.to_str().unwrap(),
        "--docs-url",
        base,
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let site = tmp.path().join("site");
    let r = docs(&root().join("fixtures/connectors"), &site, &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let mut linked = 0;
    for krate in std::fs::read_dir(&crates).unwrap() {
        let dir = krate.unwrap().path();
        let Ok(manifest) = std::fs::read_to_string(dir.join("Cargo.toml")) else {
            continue;
        };
        let Some(line) = manifest.lines().find(|l| l.starts_with("homepage = ")) else {
            continue;
        };
        let url = line.trim_start_matches("homepage = ").trim_matches('"');
        let page = url.strip_prefix(&format!("{base}/")).unwrap();
        assert!(
            site.join(page).join("index.html").is_file(),
            "{url} is no page of the site"
        );
        let readme = std::fs::read_to_string(dir.join("README.md")).unwrap();
        assert!(readme.contains(&format!("<{url}>")), "{readme}");
        let lib = std::fs::read_to_string(dir.join("src/lib.rs")).unwrap();
        assert!(lib.contains(&format!("//! The connector's reference: <{url}>")));
        linked += 1;
    }
    assert_eq!(linked, 3);
    // One connector: the site's own address.
    let one = tmp.path().join("one");
    let r = run(&[
        "generate",
        "fixtures/connectors/acme-keys",
        "-o",
        one.to_str().unwrap(),
        "--docs-url",
        "https://docs.example.com/acme/",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(std::fs::read_to_string(one.join("Cargo.toml"))
        .unwrap()
        .contains("homepage = \"https://docs.example.com/acme/\""));
    let r = run(&[
        "generate",
        "fixtures/connectors/acme-keys",
        "-o",
        tmp.path().join("x").to_str().unwrap(),
        "--docs-url",
        "javascript:alert(1)",
    ]);
    assert_eq!(r.code, 2);
}
