//! Postman's first format (v1): `requests` with `folders` and `order` lists, headers as text,
//! `dataMode` bodies, `currentHelper` auth.

use super::*;

pub(super) fn read_v1(root: &Node) -> Collection<'_> {
    let ptr = PointerBuf::root();
    let mut c = Collection {
        version: "v1".into(),
        title: text(root.get("name")).unwrap_or_default(),
        description: description(root.get("description")),
        api_version: None,
        auth: own_auth(root, &ptr),
        vars: variables(&Rc::new(Vec::new()), root.get("variables")),
        requests: Vec::new(),
        tags: Vec::new(),
        scripts: 0,
        first_script: None,
    };
    let requests = root.get("requests").and_then(Node::as_array).unwrap_or(&[]);
    let folders = root.get("folders").and_then(Node::as_array).unwrap_or(&[]);
    let id_of = |n: &Node| text(n.get("id"));
    // Where each request goes: its folder (by the folders' `order`), else the root.
    let mut folder_of: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    let mut parent_of: std::collections::HashMap<String, String> = std::collections::HashMap::new();
    for (fi, f) in folders.iter().enumerate() {
        for id in f.get("order").and_then(Node::as_array).unwrap_or(&[]) {
            if let Some(id) = text(Some(id)) {
                folder_of.entry(id).or_insert(fi);
            }
        }
        for sub in f
            .get("folders_order")
            .and_then(Node::as_array)
            .unwrap_or(&[])
        {
            if let (Some(sub), Some(me)) = (text(Some(sub)), id_of(f)) {
                parent_of.entry(sub).or_insert(me);
            }
        }
    }
    let folder_path = |fi: usize| -> Vec<String> {
        let mut path = Vec::new();
        let mut cur = Some(fi);
        let mut guard = 0;
        while let Some(i) = cur {
            let f = &folders[i];
            path.push(text(f.get("name")).unwrap_or_else(|| format!("Folder {}", i + 1)));
            guard += 1;
            cur = id_of(f)
                .and_then(|id| parent_of.get(&id))
                .and_then(|p| folders.iter().position(|g| id_of(g).as_deref() == Some(p)))
                .filter(|_| guard < folders.len());
        }
        path.reverse();
        path
    };
    for (fi, f) in folders.iter().enumerate() {
        c.tags.push((
            folder_path(fi).join(" / "),
            description(f.get("description")),
        ));
    }
    // Requests in the order the collection lists them, then any it does not list.
    let mut order: Vec<usize> = Vec::new();
    let mut listed = vec![false; requests.len()];
    let index_of = |id: &str| {
        requests
            .iter()
            .position(|r| id_of(r).as_deref() == Some(id))
    };
    let lists = std::iter::once(root.get("order"))
        .chain(folders.iter().map(|f| f.get("order")))
        .flatten();
    for list in lists {
        for id in list.as_array().unwrap_or(&[]) {
            if let Some(i) = text(Some(id)).and_then(|id| index_of(&id)) {
                if !listed[i] {
                    listed[i] = true;
                    order.push(i);
                }
            }
        }
    }
    order.extend((0..requests.len()).filter(|i| !listed[*i]));
    let rptr = ptr.join("requests");
    for i in order {
        let r = &requests[i];
        let p = rptr.index(i);
        if r.as_object().is_none() {
            continue;
        }
        count_scripts(r, &mut c.scripts, &mut c.first_script);
        for key in ["preRequestScript", "tests"] {
            if r.get_str(key).is_some_and(|s| !s.trim().is_empty()) {
                c.scripts += 1;
                c.first_script
                    .get_or_insert(r.get(key).map_or(r.span, |n| n.span));
            }
        }
        let folder = id_of(r)
            .and_then(|id| folder_of.get(&id).copied())
            .or_else(|| {
                text(r.get("folder")).and_then(|fid| {
                    folders
                        .iter()
                        .position(|f| id_of(f).as_deref() == Some(&fid))
                })
            });
        let folders_path = folder.map(folder_path).unwrap_or_default();
        let folder_auth =
            folder.and_then(|fi| own_auth(&folders[fi], &ptr.join("folders").index(fi)));
        let auth = own_auth(r, &p)
            .or_else(|| helper_auth(r, &p))
            .or(folder_auth)
            .or_else(|| c.auth.clone());
        c.requests
            .push(request_v1(r, &p, folders_path, auth, c.vars.clone()));
    }
    c
}

/// Postman v1's `currentHelper` (`basicAuth`, `bearerAuth`, `oAuth2`, ...) as an auth node.
pub(super) fn helper_auth<'a>(r: &'a Node, ptr: &PointerBuf) -> Option<(&'a Node, PointerBuf)> {
    match r.get_str("currentHelper") {
        None | Some("normal" | "") => None,
        Some(_) => Some((r, ptr.clone())),
    }
}

pub(super) fn request_v1<'a>(
    r: &'a Node,
    ptr: &PointerBuf,
    folders: Vec<String>,
    auth: Option<(&'a Node, PointerBuf)>,
    vars: Vars,
) -> Req<'a> {
    let mut headers = match r
        .get("headerData")
        .filter(|h| h.as_array().is_some_and(|a| !a.is_empty()))
    {
        Some(h) => kv_list(Some(h), &ptr.join("headerData")),
        None => r
            .get("headers")
            .map(|h| header_lines(h, &ptr.join("headers")))
            .unwrap_or_default(),
    };
    headers.retain(|h| !h.key.is_empty());
    let data = kv_list(r.get("data"), &ptr.join("data"));
    let body = match r.get_str("dataMode") {
        Some("raw") => text(r.get("rawModeData"))
            .filter(|t| !t.is_empty())
            .map(|t| Body::Raw {
                text: t,
                language: None,
                node: r.get("rawModeData").unwrap_or(r),
                ptr: ptr.join("rawModeData"),
            }),
        Some("urlencoded") if !data.is_empty() => Some(Body::UrlEncoded(data)),
        Some("params") if !data.is_empty() => Some(Body::FormData(data)),
        Some("binary") => Some(Body::File),
        Some("graphql") => r.get("graphqlModeData").map(|g| Body::GraphQl {
            query: text(g.get("query")).unwrap_or_default(),
            variables: text(g.get("variables")),
        }),
        _ => None,
    };
    let mut variables = kv_list(r.get("pathVariableData"), &ptr.join("pathVariableData"));
    if variables.is_empty() {
        if let Some(map) = r.get("pathVariables").and_then(Node::as_object) {
            variables = map
                .iter()
                .map(|m| Kv {
                    key: m.key.clone(),
                    value: text(Some(&m.value)).unwrap_or_default(),
                    disabled: false,
                    description: None,
                    kind: None,
                    node: &m.value,
                    ptr: ptr.join("pathVariables").join(&m.key),
                })
                .collect();
        }
    }
    let query = r
        .get("queryParams")
        .filter(|q| q.as_array().is_some_and(|a| !a.is_empty()))
        .map(|q| kv_list(Some(q), &ptr.join("queryParams")));
    let responses = r
        .get("responses")
        .and_then(Node::as_array)
        .unwrap_or(&[])
        .iter()
        .enumerate()
        .filter(|(_, x)| x.as_object().is_some())
        .map(|(i, x)| {
            let code = x
                .get("responseCode")
                .and_then(|c| c.get("code"))
                .or_else(|| x.get("code"))
                .and_then(Node::as_u64)
                .and_then(|c| u16::try_from(c).ok());
            let headers = kv_list(x.get("headers"), &PointerBuf::root());
            Saved {
                name: text(x.get("name")),
                code,
                status: x.get("responseCode").and_then(|c| text(c.get("name"))),
                body: text(x.get("text")),
                content_type: content_type(&headers).or_else(|| {
                    text(x.get("mime")).map(|m| match m.as_str() {
                        "json" => "application/json".to_string(),
                        "xml" => "application/xml".to_string(),
                        "html" => "text/html".to_string(),
                        _ => "text/plain".to_string(),
                    })
                }),
                node: x,
                ptr: ptr.join("responses").index(i),
            }
        })
        .collect();
    Req {
        name: text(r.get("name")).unwrap_or_default(),
        folders,
        method: r.get_str("method").map(str::to_string),
        url: Url {
            raw: text(r.get("url")),
            query,
            variables,
            ..Url::default()
        },
        headers,
        body,
        auth,
        description: description(r.get("description")),
        responses,
        vars,
        node: r,
        ptr: ptr.clone(),
    }
}
