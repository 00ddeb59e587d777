//! The model built from each fixture: every construct the loader must understand, asserted on
//! the model itself (not only on `inspect` output).

mod common;

use connector_gen::diagnostics::render;
use connector_gen::load::LoadOptions;
use connector_gen::model::*;
use connector_gen::pipeline::{self, Loaded};
use serde_json::json;

fn load_fixture(rel: &str) -> Loaded {
    let path = common::root().join(rel);
    let mut all = pipeline::load_path(&path, &LoadOptions::default()).expect("fixture exists");
    assert_eq!(all.len(), 1);
    all.remove(0)
}

fn codes(l: &Loaded) -> Vec<&'static str> {
    l.diagnostics.iter().map(|d| d.code).collect()
}

fn op<'a>(c: &'a Connector, id: &str) -> &'a Operation {
    c.operation(id)
        .unwrap_or_else(|| panic!("no operation {id}"))
}

/// The `nextLinkName` of an operation's `x-ms-pageable` (the operation must be pageable).
fn next_link(o: &Operation) -> Option<&str> {
    let pageable = o
        .rare()
        .pageable
        .as_ref()
        .expect("the operation is pageable");
    pageable.next_link_name.as_deref()
}

fn param<'a>(o: &'a Operation, name: &str) -> &'a Parameter {
    o.parameters
        .iter()
        .find(|p| p.name == name)
        .unwrap_or_else(|| panic!("no parameter {name} in {}", o.id))
}

fn named(c: &Connector, id: SchemaId) -> Option<&str> {
    c.types.get(c.types.resolve(id)).name.as_deref()
}

#[test]
fn swagger2_connector_folder_is_fully_modelled() {
    let l = load_fixture("fixtures/connectors/contoso-tasks");
    assert!(l.diagnostics.is_empty(), "{:?}", l.diagnostics);
    let c = l.connector.as_ref().unwrap();
    assert_eq!(
        (c.name.as_str(), c.title.as_str()),
        ("contoso-tasks", "Contoso Tasks")
    );
    assert_eq!(c.format, SpecFormat::Swagger2);
    assert_eq!(c.host.as_deref(), Some("api.contoso.example"));
    assert_eq!(c.base_path.as_deref(), Some("/v2"));
    assert_eq!(c.servers[0].url, "https://api.contoso.example/v2");
    assert_eq!(c.counts(), (11, 2, 1));

    let list = op(c, "ListProjects");
    assert_eq!(list.visibility, Some(Visibility::Important));
    assert_eq!(next_link(list), Some("@odata.nextLink"));
    assert_eq!(param(list, "$top").visibility, Some(Visibility::Advanced));
    assert_eq!(param(list, "$top").summary.as_deref(), Some("Top"));
    assert_eq!(
        param(list, "labels").serialization,
        Some(Serialization::CollectionFormat("multi".into()))
    );
    let bad_request = list
        .responses
        .iter()
        .find(|r| r.status == StatusKey::Code(400))
        .unwrap();
    assert_eq!(bad_request.origin.pointer, "/responses/Error");
    assert_eq!(named(c, bad_request.schema().unwrap()), Some("Error"));
    let failed = list
        .responses
        .iter()
        .find(|r| r.status == StatusKey::Default)
        .unwrap();
    assert!(failed.schema().is_none());

    let create = op(c, "CreateTask");
    let project = param(create, "projectId");
    assert_eq!(project.location, ParameterLocation::Path);
    assert_eq!(project.url_encoding, Some(UrlEncoding::Single));
    assert_eq!(project.origin.pointer, "/parameters/projectId");
    assert_eq!(
        project.use_site.pointer,
        "/paths/~1projects~1{projectId}~1tasks/parameters/0"
    );
    let dynamic = &project.dynamic[0];
    assert_eq!(
        (dynamic.kind, dynamic.operation_id.as_deref()),
        (DynamicKind::Values, Some("ListProjects"))
    );
    assert_eq!(dynamic.value_path.as_deref(), Some("id"));
    assert_eq!(dynamic.value_collection.as_deref(), Some("value"));
    let header = param(create, "X-Request-Id");
    assert_eq!(
        (header.location.clone(), header.visibility.clone()),
        (ParameterLocation::Header, Some(Visibility::Internal))
    );
    assert_eq!(
        c.types.get(header.schema).rare().default,
        Some(json!("generated"))
    );
    let body = create.request_body.as_ref().unwrap();
    assert_eq!(body.parameter_name.as_deref(), Some("body"));
    assert_eq!(body.content[0].media_type, "application/json");
    assert_eq!(named(c, body.content[0].schema.unwrap()), Some("Task"));
    let created = &create.responses[0];
    assert_eq!(created.status, StatusKey::Code(201));
    assert_eq!(created.headers[0].name, "Location");
    assert_eq!(
        create.rare().api_annotation,
        Some(json!({"family": "CreateTask", "revision": 2}))
    );

    assert!(op(c, "GetTasksDeprecated").deprecated);
    assert_eq!(
        param(op(c, "GetTask"), "taskId").url_encoding,
        Some(UrlEncoding::Double)
    );

    let upload = op(c, "UploadAttachment");
    let file = param(upload, "file");
    assert_eq!(file.location, ParameterLocation::FormData);
    assert_eq!(c.types.get(file.schema).types, vec![SchemaType::File]);
    assert_eq!(upload.consumes, ["multipart/form-data"]);
    assert!(upload.request_body.is_none(), "formData stays parameters");
    assert_eq!(
        upload.rare().capabilities,
        Some(json!({"chunkTransfer": true}))
    );

    let export = op(c, "ExportProject");
    assert_eq!(export.kind, OperationKind::Action { long_running: true });
    let done = export
        .responses
        .iter()
        .find(|r| r.status == StatusKey::Code(200))
        .unwrap();
    let schema = c.types.get(done.schema().unwrap());
    assert_eq!(schema.rare().dynamic[0].kind, DynamicKind::Schema);
    assert_eq!(
        schema.rare().dynamic[0].parameters,
        vec![(
            "projectId".to_string(),
            DynamicArgument::Parameter("projectId".into())
        )]
    );
    assert_eq!(
        op(c, "GetTask").kind,
        OperationKind::Action {
            long_running: false
        }
    );

    let new_task = op(c, "OnNewTask");
    assert_eq!(
        new_task.kind,
        OperationKind::PollingTrigger {
            mode: TriggerMode::Single
        }
    );
    assert_eq!(
        new_task.rare().trigger_hint.as_deref(),
        Some("Create a task to fire this trigger")
    );
    let list_dyn = &param(new_task, "projectId").dynamic[0];
    assert_eq!(
        (list_dyn.kind, list_dyn.value_path.as_deref()),
        (DynamicKind::List, Some("id"))
    );
    let batch = op(c, "OnTasksChanged");
    assert_eq!(
        batch.kind,
        OperationKind::PollingTrigger {
            mode: TriggerMode::Batch
        }
    );
    assert_eq!(
        batch.rare().trigger_metadata,
        Some(json!({"kind": "query", "mode": "polling"}))
    );

    match &op(c, "OnTaskCompleted").kind {
        OperationKind::WebhookTrigger {
            mode,
            notification_url_param,
            notification,
            subscribed_by,
        } => {
            assert_eq!(mode, &Some(TriggerMode::Single));
            assert_eq!(
                notification_url_param.as_deref(),
                Some("subscription/callbackUrl")
            );
            let n = notification
                .as_ref()
                .expect("path-level x-ms-notification-content");
            assert_eq!(n.description.as_deref(), Some("A task event"));
            assert_eq!(named(c, n.schema.unwrap()), Some("TaskEvent"));
            assert!(subscribed_by.is_none());
        }
        other => panic!("expected a webhook trigger, got {other:?}"),
    }

    let (task_id, task) = c
        .types
        .named()
        .find(|(_, s)| s.name.as_deref() == Some("Task"))
        .unwrap();
    assert!(c.types.recursive().contains(&task_id));
    let prop = |n: &str| {
        c.types
            .get(task.properties.iter().find(|p| p.name == n).unwrap().schema)
    };
    assert!(
        task.properties
            .iter()
            .find(|p| p.name == "title")
            .unwrap()
            .required
    );
    assert!(prop("due").nullable);
    assert_eq!(prop("due").format.as_deref(), Some("date-time"));
    assert_eq!(
        prop("status").rare().enum_values,
        vec![json!("open"), json!("done")]
    );
    assert_eq!(
        prop("owner").rare().dynamic[0].kind,
        DynamicKind::Properties
    );
    assert!(matches!(
        prop("fields").additional,
        Some(Additional::Schema(_))
    ));
    assert_eq!(prop("title").rare().constraints.max_length, Some(200));

    let md = &c.metadata;
    assert_eq!(md.connector_metadata.len(), 3);
    assert_eq!(md.connector_metadata[2].value, "Productivity;Collaboration");
    assert_eq!(
        md.contact.as_ref().unwrap().email.as_deref(),
        Some("support@contoso.example")
    );
    assert!(md
        .capabilities
        .as_ref()
        .unwrap()
        .get("testConnection")
        .is_some());

    let props = c.connection.as_ref().unwrap();
    let token = &props.parameters[0];
    assert_eq!(token.kind, ConnectionParameterType::OAuthSetting);
    let oauth = token.oauth.as_ref().unwrap();
    assert_eq!(oauth.identity_provider, Some(IdentityProvider::Aad));
    assert_eq!(oauth.redirect_mode.as_deref(), Some("GlobalPerConnector"));
    assert_eq!(
        oauth.custom("resourceUri"),
        Some("https://api.contoso.example")
    );
    assert_eq!(oauth.scopes, ["Tasks.ReadWrite"]);
    assert!(token.required);
    assert_eq!(props.parameters[1].allowed_values, ["eu", "us"]);
    let kinds: Vec<_> = c.policies.iter().map(|p| p.kind.clone()).collect();
    assert_eq!(
        kinds,
        [
            PolicyKind::DynamicHostUrl,
            PolicyKind::SetHeader,
            PolicyKind::SetProperty
        ]
    );
    assert_eq!(
        c.policies[1].parameters[0],
        (
            "x-ms-apimTemplateParameter.name".to_string(),
            json!("X-Client")
        )
    );
    assert_eq!(props.icon_brand_color.as_deref(), Some("#0F6CBD"));
    assert_eq!(props.script_operations, ["CreateTask"]);
    assert_eq!(
        c.settings.as_ref().unwrap().connector_id.as_deref(),
        Some("shared_contoso-20tasks-5f8a1b2c3d4e5f6a7b-5f9a8b7c6d5e4f3a2b")
    );
}

#[test]
fn every_model_element_points_back_to_its_source() {
    let l = load_fixture("fixtures/connectors/contoso-tasks");
    let c = l.connector.as_ref().unwrap();
    let at = |o: &Origin| {
        let f = l.sources.get(o.file);
        let lc = f.line_col(o.span.start);
        (
            f.path.file_name().unwrap().to_string_lossy().into_owned(),
            lc.line,
            lc.column,
        )
    };
    let list = op(c, "ListProjects");
    assert_eq!(
        at(&list.origin),
        ("apiDefinition.swagger.json".into(), 48, 14)
    );
    assert_eq!(
        l.sources
            .locate(list.origin.file, &list.origin.pointer.as_string())
            .map(|lc| (lc.line, lc.column)),
        Some((48, 14))
    );
    assert_eq!(
        at(&param(list, "labels").origin),
        ("apiDefinition.swagger.json".into(), 56, 11)
    );
    assert_eq!(
        at(&c.policies[0].origin),
        ("apiProperties.json".into(), 38, 7)
    );
    let task = c
        .types
        .named()
        .find(|(_, s)| s.name.as_deref() == Some("Task"))
        .unwrap()
        .1;
    assert_eq!(task.origin.pointer, "/definitions/Task");
    assert_eq!(at(&task.origin).1, 225);
    assert_eq!(
        at(&c.settings.as_ref().unwrap().origin),
        ("settings.json".into(), 1, 1)
    );
}

#[test]
fn misspelt_and_invalid_extensions_stay_visible() {
    let l = load_fixture("fixtures/connectors/acme-keys");
    let c = l.connector.as_ref().unwrap();
    let list = op(c, "ListItems");
    assert_eq!(list.visibility, None);
    let misspelt = list
        .extensions
        .iter()
        .find(|e| e.key == "x-ms-visibilty")
        .expect("kept");
    assert_eq!(misspelt.value, json!("important"));
    assert_eq!(misspelt.origin.pointer, "/paths/~1items/get/x-ms-visibilty");
    let q = param(list, "q");
    assert!(q.extensions.get("x-ms-sumamry").is_some());
    assert_eq!(q.summary, None);
    assert_eq!(q.visibility, Some(Visibility::Other("Advanced".into())));
    assert_eq!(
        param(list, "mode").visibility,
        Some(Visibility::Other(String::new()))
    );
    assert_eq!(
        param(list, "ids").serialization,
        Some(Serialization::CollectionFormat("csv".into()))
    );
    let ids_items = c
        .types
        .get(c.types.get(param(list, "ids").schema).items.unwrap());
    assert_eq!(
        (ids_items.types.clone(), ids_items.format.as_deref()),
        (vec![SchemaType::Integer], Some("int64"))
    );

    let get = c.operations.iter().find(|o| o.id_generated).unwrap();
    assert_eq!(get.id, "get_items_id");
    assert_eq!(
        param(get, "id").url_encoding,
        Some(UrlEncoding::Other("triple".into()))
    );

    let kinds: Vec<_> = c.auth.iter().map(|a| a.kind.clone()).collect();
    assert_eq!(
        kinds,
        [
            AuthKind::ApiKey {
                name: "X-Api-Key".into(),
                location: ApiKeyLocation::Header
            },
            AuthKind::ApiKey {
                name: "code".into(),
                location: ApiKeyLocation::Query
            },
            AuthKind::Basic,
        ]
    );
    assert_eq!(c.security.len(), 2);
    let props = c.connection.as_ref().unwrap();
    assert!(props.parameters.is_empty());
    let sets: Vec<_> = props
        .parameter_sets
        .iter()
        .map(|s| (s.name.as_str(), s.parameters.len()))
        .collect();
    assert_eq!(sets, [("key", 1), ("basic", 2)]);
    assert_eq!(
        props
            .all_parameters()
            .filter(|p| p.kind == ConnectionParameterType::SecureString)
            .count(),
        2
    );
    let kinds: Vec<_> = c.policies.iter().map(|p| p.kind.clone()).collect();
    assert_eq!(
        kinds,
        [
            PolicyKind::DynamicHostUrl,
            PolicyKind::SetQueryParameter,
            PolicyKind::Other("frobnicate".into())
        ]
    );
    assert_eq!(c.policies[0].template_id, "dynamicHostUrl");
}

#[test]
fn references_across_files_loops_and_dangling_ones() {
    let l = load_fixture("fixtures/swagger2/refs/main.json");
    assert_eq!(
        codes(&l),
        ["PP0007", "PP0007", "PP0009", "PP0007", "PP0008"]
    );
    let c = l.connector.as_ref().unwrap();
    let tree = op(c, "GetTree");
    let page = param(tree, "pageSize");
    assert!(l
        .sources
        .get(page.origin.file)
        .path
        .ends_with("common.yaml"));
    assert_eq!(page.summary.as_deref(), Some("Page size"));
    assert_eq!(page.origin.pointer, "/parameters/PageSize");
    let names: Vec<_> = c
        .types
        .named()
        .map(|(_, s)| s.name.clone().unwrap())
        .collect();
    assert_eq!(names, ["Tree", "LoopA", "LoopB", "Error", "Meta"]);
    let (tree_id, _) = c.types.named().next().unwrap();
    assert!(c.types.recursive().contains(&tree_id));
    let default = tree
        .responses
        .iter()
        .find(|r| r.status == StatusKey::Default)
        .unwrap();
    let error = c.types.get(c.types.resolve(default.schema().unwrap()));
    assert!(l
        .sources
        .get(error.origin.file)
        .path
        .ends_with("common.yaml"));
    // The loop is cut so that nothing downstream can follow it forever.
    let broken = op(c, "GetBroken");
    assert!(
        broken.parameters.is_empty(),
        "the dangling parameter reference is dropped, and reported"
    );
    let looped = broken.responses[0].schema().unwrap();
    let end = c.types.resolve(looped);
    assert!(c.types.get(end).reference.is_none());
}

#[test]
fn openapi30_servers_callbacks_compositions_and_parameter_styles() {
    let l = load_fixture("fixtures/openapi30/events.yaml");
    assert!(l.diagnostics.is_empty(), "{:?}", l.diagnostics);
    let c = l.connector.as_ref().unwrap();
    assert_eq!(c.format, SpecFormat::OpenApi30("3.0.3".into()));
    assert_eq!(c.servers[0].variables[0].allowed, ["eu", "us"]);
    assert_eq!(
        (c.host.as_deref(), c.base_path.as_deref()),
        (Some("eu.events.example"), Some("/api/v1"))
    );
    assert_eq!(c.schemes, ["https"]);

    let create = op(c, "createSubscription");
    let tenant = param(create, "tenant");
    assert_eq!(
        (tenant.location.clone(), tenant.required),
        (ParameterLocation::Header, true)
    );
    let body = create.request_body.as_ref().unwrap();
    assert!(body.required);
    assert_eq!(
        body.origin.pointer,
        "/components/requestBodies/Subscription"
    );
    assert_eq!(
        named(c, body.content[0].schema.unwrap()),
        Some("Subscription")
    );
    let statuses: Vec<_> = create.responses.iter().map(|r| r.status.clone()).collect();
    assert_eq!(
        statuses,
        [
            StatusKey::Code(201),
            StatusKey::Range(2),
            StatusKey::Default
        ]
    );
    assert_eq!(
        create.responses[2].content[0].media_type,
        "application/problem+json"
    );

    let callback = op(c, "createSubscription_onEvent_post");
    assert_eq!(callback.path, "{$request.body#/callbackUrl}");
    match &callback.kind {
        OperationKind::WebhookTrigger {
            subscribed_by,
            notification,
            ..
        } => {
            assert_eq!(subscribed_by.as_deref(), Some("createSubscription"));
            let event = c.types.get(
                c.types
                    .resolve(notification.as_ref().unwrap().schema.unwrap()),
            );
            assert_eq!(event.name.as_deref(), Some("Event"));
            assert_eq!(event.all_of.len(), 2);
        }
        other => panic!("expected a webhook trigger, got {other:?}"),
    }

    let list = op(c, "listSubscriptions");
    assert_eq!(
        param(list, "status").serialization,
        Some(Serialization::Style {
            style: "form".into(),
            explode: false
        })
    );
    assert_eq!(
        param(list, "X-Trace").serialization,
        Some(Serialization::Style {
            style: "simple".into(),
            explode: false
        })
    );
    assert_eq!(param(list, "session").location, ParameterLocation::Cookie);
    assert_eq!(
        c.types.get(param(list, "filter").schema).additional,
        Some(Additional::Any)
    );
    assert_eq!(next_link(list), Some("nextLink"));

    let (_, sub) = c
        .types
        .named()
        .find(|(_, s)| s.name.as_deref() == Some("Subscription"))
        .unwrap();
    let filter = c.types.get(
        sub.properties
            .iter()
            .find(|p| p.name == "filter")
            .unwrap()
            .schema,
    );
    assert_eq!(filter.rare().one_of.len(), 2);
    let d = filter.rare().discriminator.as_ref().unwrap();
    assert_eq!((d.property.as_str(), d.mapping.len()), ("kind", 2));
    let upload = op(c, "upload");
    let media: Vec<_> = upload
        .request_body
        .as_ref()
        .unwrap()
        .content
        .iter()
        .map(|m| m.media_type.as_str())
        .collect();
    assert_eq!(
        media,
        ["multipart/form-data", "application/x-www-form-urlencoded"]
    );

    let flows = c.auth.iter().find_map(|a| match &a.kind {
        AuthKind::OAuth2 { flows } => Some(flows),
        _ => None,
    });
    assert_eq!(flows.unwrap().len(), 4);
    assert_eq!(
        flows.unwrap()[0].refresh_url.as_deref(),
        Some("https://auth.events.example/refresh")
    );
}

#[test]
fn openapi31_webhooks_type_arrays_and_ref_siblings() {
    let l = load_fixture("fixtures/openapi31/webhooks.json");
    assert!(l.diagnostics.is_empty(), "{:?}", l.diagnostics);
    let c = l.connector.as_ref().unwrap();
    assert_eq!(c.counts(), (1, 1, 2));
    assert_eq!(
        op(c, "paymentsChanged").kind,
        OperationKind::PollingTrigger {
            mode: TriggerMode::Batch
        }
    );
    let hook = op(c, "onPaymentSucceeded");
    assert_eq!(hook.path, "paymentSucceeded");
    match &hook.kind {
        OperationKind::WebhookTrigger {
            notification,
            subscribed_by,
            ..
        } => {
            assert!(subscribed_by.is_none());
            assert_eq!(
                named(c, notification.as_ref().unwrap().schema.unwrap()),
                Some("Payment")
            );
        }
        other => panic!("{other:?}"),
    }
    let refund = op(c, "webhook_refund_created");
    assert_eq!(
        refund.origin.pointer,
        "/components/pathItems/RefundHook/post"
    );
    let (_, payment) = c.types.named().next().unwrap();
    let prop = |n: &str| {
        c.types.get(
            payment
                .properties
                .iter()
                .find(|p| p.name == n)
                .unwrap()
                .schema,
        )
    };
    assert!(prop("note").nullable);
    assert_eq!(prop("note").types, vec![SchemaType::String]);
    assert_eq!(prop("status").rare().const_value, Some(json!("succeeded")));
    assert_eq!(
        prop("parent").description.as_deref(),
        Some("The payment this one refunds")
    );
    assert!(prop("parent").reference.is_some());
}

fn rendered(l: &Loaded) -> String {
    let root = format!("{}/", common::root().display());
    l.diagnostics
        .iter()
        .map(|d| render::human(d, &l.sources, false))
        .collect::<String>()
        .replace(&root, "")
}

macro_rules! tolerated {
    ($($name:ident => $path:literal, [$($code:literal),*];)*) => {$(
        #[test]
        fn $name() {
            let l = load_fixture($path);
            assert!(l.connector.is_some(), "a tolerated flaw still gives a model");
            assert_eq!(codes(&l), [$($code),*]);
            insta::assert_snapshot!(stringify!($name), rendered(&l));
        }
    )*};
}

tolerated! {
    tolerates_bom => "fixtures/broken/bom.json", ["PP0002"];
    tolerates_trailing_commas => "fixtures/broken/trailing-comma.json", ["PP0003", "PP0003", "PP0003"];
    tolerates_duplicate_keys => "fixtures/broken/duplicate-key.json", ["PP0004"];
    tolerates_cp1252 => "fixtures/broken/cp1252.json", ["PP0005"];
    tolerates_comments => "fixtures/broken/comment.json", ["PP0006"];
    tolerates_wrong_types => "fixtures/broken/wrong-types.json", ["PP0103", "PP0103", "PP0103"];
}

#[test]
fn tolerated_flaws_keep_the_intended_values() {
    let dup = load_fixture("fixtures/broken/duplicate-key.json");
    assert_eq!(
        dup.connector.unwrap().host.as_deref(),
        Some("broken.example")
    );
    let cp = load_fixture("fixtures/broken/cp1252.json");
    assert_eq!(cp.connector.unwrap().title, "Café “quotes”");
    let wrong = load_fixture("fixtures/broken/wrong-types.json");
    let c = wrong.connector.unwrap();
    let ping = op(&c, "Ping");
    assert_eq!((ping.summary.clone(), ping.deprecated), (None, true));
}
