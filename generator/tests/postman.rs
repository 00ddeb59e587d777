//! Postman collections: one fixture per construct, asserted on the model; `convert` from the
//! command line; the crates generated from the fixtures compile; an action of a collection is
//! called against a local server.

mod common;

use connector_gen::convert::{convert, Target};
use connector_gen::load::LoadOptions;
use connector_gen::model::*;
use connector_gen::pipeline::{self, Loaded};
use serde_json::{json, Value};

fn load_fixture(rel: &str) -> Loaded {
    let path = common::root().join(rel);
    let mut all = pipeline::load_path(&path, &LoadOptions::default()).expect("fixture exists");
    assert_eq!(all.len(), 1);
    all.remove(0)
}

fn connector(l: &Loaded) -> &Connector {
    l.connector.as_ref().expect("a model")
}

fn op<'a>(c: &'a Connector, id: &str) -> &'a Operation {
    c.operation(id).unwrap_or_else(|| {
        panic!(
            "no operation {id} in {:?}",
            c.operations.iter().map(|o| &o.id).collect::<Vec<_>>()
        )
    })
}

fn param<'a>(o: &'a Operation, name: &str) -> &'a Parameter {
    o.parameters
        .iter()
        .find(|p| p.name == name)
        .unwrap_or_else(|| panic!("no parameter {name} in {}", o.id))
}

fn messages(l: &Loaded, code: &str) -> Vec<String> {
    l.diagnostics
        .iter()
        .filter(|d| d.code == code)
        .map(|d| d.message.clone())
        .collect()
}

fn schema(c: &Connector, id: SchemaId) -> &Schema {
    c.types.get(c.types.resolve(id))
}

fn prop<'a>(c: &'a Connector, s: &'a Schema, name: &str) -> (&'a Schema, bool) {
    let p = s
        .properties
        .iter()
        .find(|p| p.name == name)
        .unwrap_or_else(|| panic!("no property {name}"));
    (schema(c, p.schema), p.required)
}

const URLS: &str = "fixtures/postman/v21-urls.postman_collection.json";
const BODIES: &str = "fixtures/postman/v21-bodies.postman_collection.json";
const AUTH: &str = "fixtures/postman/v21-auth.postman_collection.json";
const V20: &str = "fixtures/postman/v20.postman_collection.json";
const V1: &str = "fixtures/postman/v1.postman_collection.json";

#[test]
fn urls_methods_variables_and_duplicates() {
    let l = load_fixture(URLS);
    let c = connector(&l);
    assert_eq!(c.format, SpecFormat::Postman("v2.1.0".into()));
    assert_eq!(c.title, "Fabrikam Orders");
    assert_eq!(
        c.description.as_deref(),
        Some("Orders and customers of the Fabrikam shop.")
    );
    assert_eq!(c.version.as_deref(), Some("2.3.0"));
    // The defined {{baseUrl}} is the server; its path is the base path.
    assert_eq!(c.servers[0].url, "https://api.fabrikam.test/v2");
    assert_eq!(c.host.as_deref(), Some("api.fabrikam.test"));
    assert_eq!(c.base_path.as_deref(), Some("/v2"));
    // Every HTTP method OpenAPI has; a string URL; a plain-string request.
    let methods: Vec<(&str, &str)> = c
        .operations
        .iter()
        .map(|o| (o.method.as_str(), o.path.as_str()))
        .collect();
    for expected in [
        ("GET", "/orders"),
        ("HEAD", "/health"),
        ("OPTIONS", "/orders"),
        ("PUT", "/orders/{orderId}"),
        ("PATCH", "/orders/{orderId}"),
        ("DELETE", "/orders/{orderId}"),
        ("GET", "/customers"),
        ("GET", "/archive/orders"),
    ] {
        assert!(
            methods.contains(&expected),
            "{expected:?} not in {methods:?}"
        );
    }
    // Unique, sanitised ids from names; a name starting with a digit; the same name twice.
    let h = op(c, "Op1CheckHealth");
    assert_eq!(h.summary.as_deref(), Some("1. Check health"));
    assert_eq!(op(c, "ListOrders2").path, "/archive/orders");
    // Folders become tags, nested ones as a path.
    assert_eq!(op(c, "ListOrders").tags, vec!["Orders"]);
    assert_eq!(op(c, "OrderLinesForVersion").tags, vec!["Orders / Nested"]);
    assert_eq!(
        c.metadata.tags[0],
        ("Orders".into(), Some("Everything about orders.".into()))
    );
    // Query parameters with inferred types; a repeated key is an array sent once per value; a
    // disabled one is advanced; the merged request adds its own.
    let list = op(c, "ListOrders");
    assert_eq!(
        schema(c, param(list, "top").schema).types,
        vec![SchemaType::Integer]
    );
    assert_eq!(
        param(list, "top").description.as_deref(),
        Some("How many orders.")
    );
    assert_eq!(
        schema(c, param(list, "includeClosed").schema).types,
        vec![SchemaType::Boolean]
    );
    let status = schema(c, param(list, "status").schema);
    assert_eq!(status.types, vec![SchemaType::Array]);
    assert_eq!(
        param(list, "status").serialization,
        Some(Serialization::CollectionFormat("multi".into()))
    );
    assert_eq!(param(list, "cursor").visibility, Some(Visibility::Advanced));
    assert!(!param(list, "skip").required);
    assert!(list
        .description
        .as_deref()
        .unwrap()
        .contains("List orders (second page)"));
    // `:orderId` and `url.variable`: a required path parameter with its description and type.
    let get = op(c, "GetOrder");
    let id = param(get, "orderId");
    assert_eq!(id.location, ParameterLocation::Path);
    assert!(id.required);
    assert_eq!(id.description.as_deref(), Some("The order number."));
    assert_eq!(schema(c, id.schema).rare().example, Some(json!(1042)));
    // `{{orderId}}` (undefined) and `v{{apiVersion}}` (defined) in the path: parameters, the
    // defined one with its value as the default. No `{{` is left in any path.
    let lines = op(c, "OrderLinesForVersion");
    assert_eq!(lines.path, "/orders/{orderId}/lines/v{apiVersion}");
    assert_eq!(
        schema(c, param(lines, "apiVersion").schema).rare().default,
        Some(json!("2024-01-01"))
    );
    assert!(c.operations.iter().all(|o| !o.path.contains("{{")));
    // `/orders/:id` is the same OpenAPI path as `/orders/:orderId`: renamed to the first.
    assert_eq!(
        param(op(c, "PatchOrder"), "orderId").location,
        ParameterLocation::Path
    );
    // Another host: the operation's own server; an undefined variable in a host: a server
    // variable.
    assert_eq!(
        op(c, "UploadAnImage").rare().servers[0].url,
        "https://upload.fabrikam.test"
    );
    let tenant = &op(c, "TenantReport").rare().servers[0];
    assert_eq!(tenant.url, "https://{tenant}.reports.fabrikam.test");
    assert_eq!(tenant.variables[0].name, "tenant");
    // Nothing lost silently: 15 requests = 12 operations + 1 merged + 2 skipped, each named.
    assert_eq!(c.operations.len(), 12);
    let merged = messages(&l, "PP0120");
    assert_eq!(merged.len(), 1);
    assert!(merged[0].contains("List orders (second page)") && merged[0].contains("ListOrders"));
    let skipped = messages(&l, "PP0121");
    assert_eq!(skipped.len(), 2, "{skipped:?}");
    assert!(skipped
        .iter()
        .any(|m| m.contains("Copy order") && m.contains("COPY")));
    assert!(skipped.iter().any(|m| m.contains("No URL at all")));
    let undefined = messages(&l, "PP0123");
    assert!(
        undefined.iter().any(|m| m.contains("{{tenant}}")),
        "{undefined:?}"
    );
    assert!(
        undefined.iter().any(|m| m.contains("{{orderId}}")),
        "{undefined:?}"
    );
}

#[test]
fn bodies_are_inferred_and_saved_responses_become_typed_responses() {
    let l = load_fixture(BODIES);
    let c = connector(&l);
    // Raw JSON with a comment, a trailing comma and an unquoted {{variable}}, merged with the
    // body of a second request: required where always present, nullable where null once,
    // optional where missing once, formats from values.
    let create = op(c, "CreateOrder");
    let body = create.request_body.as_ref().expect("a body");
    assert_eq!(body.content[0].media_type, "application/json");
    let s = schema(c, body.content[0].schema.unwrap());
    assert_eq!(s.types, vec![SchemaType::Object]);
    let (customer, req) = prop(c, s, "customer");
    assert!(req && customer.types == [SchemaType::String]);
    let (quantity, req) = prop(c, s, "quantity");
    assert!(req && quantity.types == [SchemaType::Integer]);
    let (note, req) = prop(c, s, "note");
    assert!(req && note.nullable && note.types == [SchemaType::String]);
    let (placed, req) = prop(c, s, "placedAt");
    assert!(!req && placed.format.as_deref() == Some("date-time"));
    let (gift, req) = prop(c, s, "gift");
    assert!(!req && gift.types == [SchemaType::Boolean]);
    let (lines, _) = prop(c, s, "lines");
    let line = schema(c, lines.items.unwrap());
    assert_eq!(prop(c, line, "price").0.types, vec![SchemaType::Number]);
    // Saved responses: schemas by status, several examples of one status merged.
    let statuses: Vec<&StatusKey> = create.responses.iter().map(|r| &r.status).collect();
    assert_eq!(statuses, vec![&StatusKey::Code(201), &StatusKey::Code(400)]);
    let created = schema(c, create.responses[0].schema().unwrap());
    assert_eq!(prop(c, created, "id").0.format.as_deref(), Some("uuid"));
    assert_eq!(prop(c, created, "total").0.types, vec![SchemaType::Number]);
    assert!(!prop(c, created, "gift").1);
    assert_eq!(create.responses[0].description.as_deref(), Some("Created"));
    // Headers: a header parameter, Content-Type read as the media type.
    assert_eq!(
        param(create, "X-Request-Id").location,
        ParameterLocation::Header
    );
    assert!(create.parameters.iter().all(|p| p.name != "Content-Type"));
    // urlencoded and formdata → form parameters (a file field is a file); file → binary body.
    let sign_in = op(c, "SignIn");
    assert_eq!(sign_in.consumes, vec!["application/x-www-form-urlencoded"]);
    assert_eq!(
        param(sign_in, "username").location,
        ParameterLocation::FormData
    );
    assert_eq!(
        schema(c, param(sign_in, "remember").schema).types,
        vec![SchemaType::Boolean]
    );
    assert_eq!(
        param(sign_in, "legacy").visibility,
        Some(Visibility::Advanced)
    );
    let receipt = op(c, "AttachReceipt");
    assert_eq!(receipt.consumes, vec!["multipart/form-data"]);
    assert_eq!(
        schema(c, param(receipt, "file").schema).types,
        vec![SchemaType::File]
    );
    let logo = op(c, "UploadRawFile");
    let media = &logo.request_body.as_ref().unwrap().content[0];
    assert_eq!(media.media_type, "image/png");
    assert_eq!(
        schema(c, media.schema.unwrap()).format.as_deref(),
        Some("binary")
    );
    // GraphQL: a JSON body with the query and its variables.
    let gql = op(c, "QueryOrdersGraphQl");
    let g = schema(
        c,
        gql.request_body.as_ref().unwrap().content[0]
            .schema
            .unwrap(),
    );
    assert_eq!(
        g.rare().example,
        Some(json!({"query": "query { orders { id } }", "variables": {"first": 5}}))
    );
    // XML in and out, kept as text with its media type; Accept → produces.
    let xml = op(c, "ExportAsXml");
    assert_eq!(
        xml.request_body.as_ref().unwrap().content[0].media_type,
        "application/xml"
    );
    assert!(xml.produces.contains(&"application/xml".to_string()));
    // A body marked JSON that does not parse: a warning naming the request, kept as text.
    assert!(messages(&l, "PP0125")[0].contains("Broken JSON body"));
    let broken = op(c, "BrokenJsonBody");
    assert_eq!(
        schema(
            c,
            broken.request_body.as_ref().unwrap().content[0]
                .schema
                .unwrap()
        )
        .types,
        vec![SchemaType::String]
    );
    // The test script is reported, not silently dropped.
    assert!(messages(&l, "PP0124")[0].contains("1 pre-request or test script"));
}

#[test]
fn auth_is_inherited_from_collection_to_folder_to_request() {
    let l = load_fixture(AUTH);
    let c = connector(&l);
    let scheme = |name: &str| c.auth.iter().find(|a| a.name == name).unwrap();
    assert_eq!(
        scheme("apiKey").kind,
        AuthKind::ApiKey {
            name: "X-Api-Key".into(),
            location: ApiKeyLocation::Header
        }
    );
    // The collection's scheme applies to the whole connector.
    assert_eq!(c.security[0].schemes[0].0, "apiKey");
    let sec = |id: &str| -> Option<Vec<String>> {
        op(c, id).rare().security.as_ref().map(|reqs| {
            reqs.iter()
                .flat_map(|r| r.schemes.iter().map(|s| s.0.clone()))
                .collect()
        })
    };
    assert_eq!(sec("InheritsTheCollectionKey"), None);
    // The header the API key scheme sends is not also a parameter.
    assert!(op(c, "InheritsTheCollectionKey").parameters.is_empty());
    assert_eq!(
        sec("InheritsTheFolderBearer"),
        Some(vec!["bearer".to_string()])
    );
    assert_eq!(sec("ExplicitlyInherits"), Some(vec!["bearer".to_string()]));
    assert_eq!(sec("OwnBasic"), Some(vec!["basic".to_string()]));
    assert_eq!(sec("NoAuth"), Some(vec![]));
    // OAuth 2.0 with its URLs (a variable resolved) and scopes.
    assert_eq!(sec("OAuth20"), Some(vec!["oauth2".to_string()]));
    let AuthKind::OAuth2 { flows } = &scheme("oauth2").kind else {
        panic!("oauth2")
    };
    assert_eq!(flows[0].kind, OAuthFlowKind::AuthorizationCode);
    assert_eq!(
        flows[0].token_url.as_deref(),
        Some("https://login.fabrikam.test/token")
    );
    assert_eq!(
        flows[0]
            .scopes
            .iter()
            .map(|s| s.0.as_str())
            .collect::<Vec<_>>(),
        vec!["orders.read", "orders.write"]
    );
    assert_eq!(
        op(c, "OAuth20").rare().security.as_ref().unwrap()[0].schemes[0].1,
        vec!["orders.read", "orders.write"]
    );
    // OAuth 2.0 with only a token is a bearer token; digest is HTTP digest; a query key.
    assert_eq!(sec("OAuth20TokenOnly"), Some(vec!["bearer".to_string()]));
    assert_eq!(
        scheme("digest").kind,
        AuthKind::Http {
            scheme: "digest".into()
        }
    );
    assert_eq!(
        scheme("apiKey2").kind,
        AuthKind::ApiKey {
            name: "code".into(),
            location: ApiKeyLocation::Query
        }
    );
    // An `Authorization: Bearer` header of a request without auth is a bearer scheme.
    assert_eq!(sec("HeaderBearer"), Some(vec!["bearer".to_string()]));
    // awsv4, hawk, ntlm, oauth1, edgegrid: one warning each, the requests kept.
    let unsupported = messages(&l, "PP0122");
    for kind in ["awsv4", "hawk", "ntlm", "oauth1", "edgegrid"] {
        assert!(
            unsupported.iter().any(|m| m.contains(&format!("`{kind}`"))),
            "{kind}: {unsupported:?}"
        );
    }
    assert_eq!(unsupported.len(), 5);
    assert_eq!(c.operations.len(), 15);
    assert_eq!(sec("Hawk"), Some(vec![]));
}

#[test]
fn the_v2_0_and_v1_formats_are_read() {
    let l = load_fixture(V20);
    let c = connector(&l);
    assert_eq!(c.format, SpecFormat::Postman("v2.0.0".into()));
    // v2.0 writes auth parameters as objects, headers as one string.
    assert_eq!(c.auth[0].kind, AuthKind::Bearer { format: None });
    assert!(c.auth.iter().any(|a| a.kind
        == AuthKind::ApiKey {
            name: "X-Key".into(),
            location: ApiKeyLocation::Header
        }));
    let find = op(c, "FindCustomers");
    assert_eq!(
        find.description.as_deref(),
        Some("Finds customers by name.")
    );
    assert_eq!(param(find, "X-Trace").location, ParameterLocation::Header);
    assert_eq!(param(find, "name").location, ParameterLocation::Query);
    // An array response example: items merged from every element.
    let list = schema(c, find.responses[0].schema().unwrap());
    assert_eq!(list.types, vec![SchemaType::Array]);
    let item = schema(c, list.items.unwrap());
    assert!(prop(c, item, "id").1 && !prop(c, item, "vip").1);

    let l = load_fixture(V1);
    let c = connector(&l);
    assert_eq!(c.format, SpecFormat::Postman("v1".into()));
    assert_eq!(c.title, "Fabrikam v1");
    // Every request, in the collection's order, then folder order; one listed nowhere is kept.
    let ids: Vec<&str> = c.operations.iter().map(|o| o.id.as_str()).collect();
    assert_eq!(
        ids,
        vec![
            "CreateField",
            "ForecastForAField",
            "GetAToken",
            "Alerts",
            "ListedNowhere"
        ]
    );
    let forecast = op(c, "ForecastForAField");
    assert_eq!(forecast.path, "/v1/fields/{fieldId}/forecasts");
    assert_eq!(forecast.tags, vec!["Weather"]);
    assert_eq!(
        schema(c, param(forecast, "fieldId").schema).rare().example,
        Some(json!("F-7"))
    );
    assert_eq!(
        param(forecast, "X-Units").location,
        ParameterLocation::Header
    );
    assert_eq!(
        schema(c, param(forecast, "days").schema).types,
        vec![SchemaType::Integer]
    );
    assert_eq!(forecast.responses[0].status, StatusKey::Code(200));
    // Nested v1 folders (folders_order) make a tag path.
    assert_eq!(op(c, "Alerts").tags, vec!["Weather / Alerts"]);
    // `currentHelper: basicAuth`; a urlencoded body; a raw JSON body.
    assert!(op(c, "GetAToken").rare().security.is_some());
    assert_eq!(
        param(op(c, "GetAToken"), "grant_type").location,
        ParameterLocation::FormData
    );
    assert!(op(c, "CreateField").request_body.is_some());
    assert!(messages(&l, "PP0124")[0].contains("1 pre-request or test script"));
}

#[test]
fn bad_collections_get_located_errors() {
    let r = common::run(&["validate", "fixtures/broken/postman-unknown-version.json"]);
    assert_eq!(r.code, 1);
    let out = format!("{}{}", r.stdout, r.stderr);
    assert!(out.contains("error[PP0102]"), "{out}");
    assert!(out.contains("v3.0.0"), "{out}");
    assert!(out.contains("postman-unknown-version.json:4:15"), "{out}");
    let r = common::run(&[
        "convert",
        "fixtures/broken/postman-malformed.json",
        "--to",
        "openapi3",
    ]);
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("error[PP0001]"), "{}", r.stderr);
    assert!(
        r.stderr.contains("postman-malformed.json:6:3"),
        "{}",
        r.stderr
    );
    assert!(r.stdout.is_empty());
    // A JSON document that is neither a definition nor a collection.
    let r = common::run(&[
        "convert",
        "fixtures/broken/not-a-definition.json",
        "--to",
        "swagger2",
    ]);
    assert_eq!(r.code, 1);
    assert!(
        r.stderr.contains("error[PP0101]") && r.stderr.contains("Postman"),
        "{}",
        r.stderr
    );
}

#[test]
fn convert_writes_openapi3_and_swagger2_with_the_platform_extensions() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("apiDefinition.swagger.json");
    let r = common::run(&[
        "convert",
        URLS,
        "--to",
        "swagger2",
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    // What the collection holds that Swagger 2.0 cannot is said.
    assert!(
        r.stderr.contains("info[PP0120]") && r.stderr.contains("warning[PP0121]"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains("goes to https://upload.fabrikam.test"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("Converted"), "{}", r.stderr);
    let doc: Value = serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    assert_eq!(doc["swagger"], "2.0");
    assert_eq!(doc["host"], "api.fabrikam.test");
    assert_eq!(doc["basePath"], "/v2");
    assert_eq!(doc["paths"]["/orders"]["get"]["operationId"], "ListOrders");
    assert_eq!(
        doc["paths"]["/orders"]["get"]["parameters"][3]["x-ms-visibility"],
        "advanced"
    );
    assert_eq!(
        doc["paths"]["/orders"]["get"]["parameters"][2]["collectionFormat"],
        "multi"
    );
    // The written file is a connector definition this tool reads back without errors.
    let back = common::run(&["validate", out.to_str().unwrap()]);
    assert!(!back.stderr.contains("error["), "{}", back.stderr);

    // OpenAPI 3 on stdout, with the operation's own servers.
    let r = common::run(&["convert", URLS, "--to", "openapi3"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let doc: Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(doc["openapi"], "3.0.3");
    assert_eq!(doc["servers"][0]["url"], "https://api.fabrikam.test/v2");
    assert_eq!(
        doc["paths"]["/images"]["post"]["servers"][0]["url"],
        "https://upload.fabrikam.test"
    );
    assert_eq!(
        doc["paths"]["/summary"]["get"]["servers"][0]["variables"]["tenant"]["default"],
        ""
    );

    // Any input converts: a Swagger 2.0 connector with triggers and x-ms-* extensions to
    // OpenAPI 3 and back to Swagger 2.0 keeps them.
    let l = load_fixture("fixtures/connectors/contoso-tasks");
    let c = connector(&l);
    let sw = convert(c, Target::Swagger2).document;
    let text = sw.to_string();
    for ext in ["x-ms-trigger", "x-ms-summary", "x-ms-visibility"] {
        assert!(
            text.contains(ext),
            "{ext} missing from the Swagger 2.0 output"
        );
    }
    let oas = convert(c, Target::OpenApi3).document;
    assert!(oas.to_string().contains("x-ms-trigger"));
    let triggers = |doc: &Value| -> usize {
        doc["paths"]
            .as_object()
            .unwrap()
            .values()
            .flat_map(|item| item.as_object().unwrap().values())
            .filter(|o| o.get("x-ms-trigger").is_some())
            .count()
    };
    let (_, polling, webhooks) = c.counts();
    assert_eq!(triggers(&sw), polling + webhooks);
    assert_eq!(triggers(&oas), polling + webhooks);
}

/// (That the crates of the fixture collections compile, clippy-clean, is checked with every
/// other fixture in `generate_cli.rs`.)
#[test]
fn an_operation_served_by_another_host_sends_its_requests_there() {
    let ws = tempfile::tempdir().unwrap();
    let r = common::generate_member(ws.path(), "pm-urls", URLS);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let lib = std::fs::read_to_string(ws.path().join("pm-urls/src/lib.rs")).unwrap();
    assert!(lib.contains("call.server(\"https://upload.fabrikam.test\")"));
    // A server whose variable has no value is left to the connection, not sent to `https://.…`.
    assert!(
        !lib.contains("reports.fabrikam.test"),
        "a server with an empty variable was used"
    );
}

#[test]
fn an_action_of_a_collection_is_called_against_a_local_server() {
    use axum::http::{HeaderMap, Method, Uri};
    use std::sync::{Arc, Mutex};
    let log: Arc<Mutex<Vec<String>>> = Arc::default();
    let l = log.clone();
    let app = axum::Router::new().fallback(
        move |m: Method, u: Uri, h: HeaderMap, body: axum::body::Bytes| {
            let l = l.clone();
            async move {
                let header = |name: &str| common::header_field(&h, name);
                l.lock().unwrap().push(format!(
                    "{m} {u}{}{} {}",
                    header("x-api-key"),
                    header("x-request-id"),
                    String::from_utf8_lossy(&body)
                ));
                (
                    [("content-type", "application/json")],
                    r#"{"id": "7b9f1c9e-2f0a-4a3c-9d55-0c1d2e3f4a5b", "total": 7}"#,
                )
            }
        },
    );
    let (_rt, addr) = common::serve(app);
    let dir = tempfile::tempdir().unwrap();
    let conn = dir.path().join("conn.json");
    std::fs::write(
        &conn,
        format!(r#"{{"base_url": "http://{addr}", "apiKey": "k-123"}}"#),
    )
    .unwrap();
    let r = common::run(&[
        "call",
        BODIES,
        "CreateOrder",
        "--param",
        "X-Request-Id=r-1",
        "--body",
        r#"{"customer": "C-9", "quantity": 2, "note": null}"#,
        "--connection",
        conn.to_str().unwrap(),
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let v: Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v["total"], 7);
    // The collection's API key (inherited) goes in its header.
    let r = common::run(&[
        "call",
        AUTH,
        "InheritsTheCollectionKey",
        "--connection",
        conn.to_str().unwrap(),
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(
        *log.lock().unwrap(),
        [
            r#"POST /orders x-request-id=r-1 {"customer":"C-9","quantity":2,"note":null}"#,
            "GET /a x-api-key=k-123 "
        ]
    );
}

#[test]
fn crates_of_every_postman_collection_of_the_corpus_compile() {
    let corpus = common::root().join("../shared/corpus/postman");
    if !corpus.is_dir() {
        println!("SKIPPED: corpus not found at {}", corpus.display());
        return;
    }
    let ws = tempfile::tempdir().unwrap();
    let out = ws.path().join("ws");
    let sdk = common::root().join("connector-sdk");
    let r = common::run(&[
        "generate",
        corpus.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
        "--sdk-path",
        sdk.to_str().unwrap(),
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let crates = std::fs::read_dir(&out)
        .unwrap()
        .filter(|e| e.as_ref().unwrap().path().join("Cargo.toml").is_file())
        .count();
    std::fs::copy(common::root().join("Cargo.lock"), out.join("Cargo.lock")).unwrap();
    let check = common::cargo(&out, &["check", "--workspace", "--message-format", "short"]);
    println!(
        "postman corpus: {crates} crates generated, cargo check: {}",
        if check.code == 0 { "ok" } else { "FAILED" }
    );
    assert_eq!(check.code, 0, "{}", check.stderr);
    assert!(!check.stderr.contains("warning"), "{}", check.stderr);
    assert_eq!(crates, 50, "one crate per collection");
}

#[test]
fn a_directory_converts_into_a_directory() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let r = common::run(&[
        "convert",
        "fixtures/postman",
        "--to",
        "swagger2",
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(
        common::file_names(&out),
        [
            "v1.swagger.json",
            "v20.swagger.json",
            "v21-auth.swagger.json",
            "v21-bodies.swagger.json",
            "v21-urls.swagger.json"
        ]
    );
    assert!(r.stderr.contains("5 definitions converted"), "{}", r.stderr);
    // Several inputs and no -o: nothing to write them to.
    let r = common::run(&["convert", "fixtures/postman", "--to", "openapi3"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("give -o DIR"), "{}", r.stderr);
}

#[test]
fn a_get_request_of_a_collection_is_watched_for_new_items() {
    let items: common::Ids = std::sync::Arc::new(std::sync::Mutex::new(vec![1, 2]));
    let (_rt, addr, _) = common::serve_ids(items.clone());
    let dir = tempfile::tempdir().unwrap();
    let conn = dir.path().join("conn.json");
    std::fs::write(&conn, format!(r#"{{"base_url": "http://{addr}"}}"#)).unwrap();
    let db = dir.path().join("state.db");
    let watch = |polls: &str| {
        common::run(&[
            "watch",
            URLS,
            "ListOrders",
            "--connection",
            conn.to_str().unwrap(),
            "--state",
            db.to_str().unwrap(),
            "--every",
            "10ms",
            "--polls",
            polls,
            "--dedupe-on",
            "id",
        ])
    };
    // The first poll is the baseline; then only new items are events.
    let r = watch("1");
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.stdout, "");
    items.lock().unwrap().push(3);
    let r = watch("1");
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains(r#""id":3"#), "{}", r.stdout);
    assert_eq!(r.stdout.lines().count(), 1, "{}", r.stdout);
    // Without a way to tell new items, an action is not a trigger.
    let r = common::run(&[
        "watch",
        URLS,
        "ListOrders",
        "--connection",
        conn.to_str().unwrap(),
    ]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("--dedupe-on"), "{}", r.stderr);
}
