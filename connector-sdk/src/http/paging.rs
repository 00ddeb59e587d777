//! `x-ms-pageable`: following next links as a stream of items.

use crate::http::call::{Call, Name};
use crate::http::client::{Client, DEFAULT_MAX_PAGES};
use crate::http::response::Response;
use crate::Error;
use futures_util::stream::{self, Stream, StreamExt};
use serde::de::DeserializeOwned;
use serde_json::Value;
use std::collections::HashSet;
use std::pin::Pin;

/// A stream of the items of every page of a pageable action.
pub type ItemStream<'a, T> = Pin<Box<dyn Stream<Item = Result<T, Error>> + Send + 'a>>;

/// Where a pageable action's items and next link are in each page: `&'static str`s in
/// generated code (the default), any text for an operation built at run time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Paging<S = &'static str> {
    /// Property holding the page's items (`itemName`, `value` by default). A page that is itself
    /// an array holds its items directly.
    pub item_name: S,
    /// Property holding the URL of the next page (`nextLinkName`).
    pub next_link_name: S,
}

impl Default for Paging {
    fn default() -> Self {
        Paging {
            item_name: "value",
            next_link_name: "nextLink",
        }
    }
}

enum Next {
    First(Box<Call>),
    Link(String),
    Done,
}

struct State<'a, S> {
    client: &'a Client,
    paging: Paging<S>,
    operation: Name,
    next: Next,
    pages: usize,
    seen: HashSet<String>,
}

/// Decodes `value` as `T`; a mismatch names its place: `at` (e.g. `value[3]`) followed by the
/// path inside the value.
pub(crate) fn decode_at<T: DeserializeOwned>(
    operation: &str,
    value: Value,
    at: &str,
) -> Result<T, Error> {
    serde_path_to_error::deserialize(value).map_err(|e| {
        let inner = e.path().to_string();
        let path = match (at.is_empty(), inner == ".") {
            (true, _) => inner,
            (false, true) => at.to_string(),
            (false, false) => format!("{at}.{inner}"),
        };
        Error::Decode {
            operation: operation.to_string(),
            path,
            message: e.inner().to_string(),
        }
    })
}

/// The items of a page or a batch: the body itself when it is an array, else its property
/// `name` (absent or `null`: no items), each decoded as `T`.
pub(crate) fn decode_items<T: DeserializeOwned>(
    operation: &str,
    body: Value,
    name: &str,
) -> Result<Vec<T>, Error> {
    let (items, prefix) = match body {
        Value::Array(items) => (items, ""),
        Value::Object(mut map) => match map.remove(name) {
            None | Some(Value::Null) => (Vec::new(), ""),
            Some(Value::Array(items)) => (items, name),
            Some(_) => {
                return Err(Error::Decode {
                    operation: operation.to_string(),
                    path: name.to_string(),
                    message: "the items are not an array".into(),
                })
            }
        },
        _ => {
            return Err(Error::Decode {
                operation: operation.to_string(),
                path: String::new(),
                message: "the body is neither an object nor an array".into(),
            })
        }
    };
    items
        .into_iter()
        .enumerate()
        .map(|(i, item)| decode_at(operation, item, &format!("{prefix}[{i}]")))
        .collect()
}

/// The items of one page and the link to the next one.
pub fn split_page<T: DeserializeOwned>(
    response: &Response,
    paging: &Paging<impl AsRef<str>>,
) -> Result<(Vec<T>, Option<String>), Error> {
    let page: Value = response.json()?;
    let next = page
        .get(paging.next_link_name.as_ref())
        .and_then(Value::as_str)
        .filter(|l| !l.trim().is_empty())
        .map(str::to_string);
    let items = decode_items(&response.operation, page, paging.item_name.as_ref())?;
    Ok((items, next))
}

impl Client {
    /// The items of every page, fetched as the stream is read: the first page by sending
    /// `call`, each next one by following the page's next link (see [`Client::follow`] for which
    /// links get the credential). Stops after [`Client::max_pages`] pages when a limit is set,
    /// with an [`Error::Limit`] after [`DEFAULT_MAX_PAGES`] when none is, and with an error
    /// when a next link repeats one already followed.
    pub fn items<'a, T, S>(&'a self, call: Call, paging: Paging<S>) -> ItemStream<'a, T>
    where
        T: DeserializeOwned + Send + 'a,
        S: AsRef<str> + Send + 'a,
    {
        let operation = call.spec.id.clone();
        let state = State {
            client: self,
            paging,
            operation,
            next: Next::First(Box::new(call)),
            pages: 0,
            seen: HashSet::new(),
        };
        let pages = stream::unfold(state, |mut st| async move {
            let response = match std::mem::replace(&mut st.next, Next::Done) {
                Next::Done => return None,
                _ if st.client.max_pages().is_some_and(|m| st.pages >= m) => return None,
                // The service keeps giving next links: stopped at the default limit, said.
                Next::Link(_)
                    if st.client.max_pages().is_none() && st.pages >= DEFAULT_MAX_PAGES =>
                {
                    let e = Error::Limit {
                        operation: st.operation.to_string(),
                        message: format!(
                            "stopped after {DEFAULT_MAX_PAGES} pages, the default page limit, with a next link still to follow (Client::with_max_pages, or --max-pages N to read N pages)"
                        ),
                    };
                    return Some((vec![Err(e)], st));
                }
                Next::First(call) => st.client.send(*call).await,
                Next::Link(link) => st
                    .client
                    .follow(st.operation.clone(), &link)
                    .await
                    .and_then(Response::success),
            };
            st.pages += 1;
            let page: Vec<Result<T, Error>> = match response
                .and_then(|r| split_page::<T>(&r, &st.paging))
            {
                Ok((items, next)) => {
                    match next {
                        Some(link) if !st.seen.insert(link.clone()) => {
                            let mut v: Vec<Result<T, Error>> = items.into_iter().map(Ok).collect();
                            v.push(Err(Error::Request {
                                    operation: st.operation.to_string(),
                                    message: format!(
                                        "the service returned the next link `{link}` twice; stopped to avoid a loop"
                                    ),
                                }));
                            return Some((v, st));
                        }
                        Some(link) => st.next = Next::Link(link),
                        None => {}
                    }
                    items.into_iter().map(Ok).collect()
                }
                Err(e) => vec![Err(e)],
            };
            Some((page, st))
        });
        Box::pin(pages.flat_map(stream::iter))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn response(body: &str) -> Response {
        Response {
            operation: "ListItems".into(),
            host: "api.example".into(),
            status: 200,
            headers: Default::default(),
            body: body.as_bytes().to_vec(),
        }
    }

    #[derive(serde::Deserialize, Debug, PartialEq)]
    struct Item {
        id: u32,
    }

    #[test]
    fn items_and_next_link_are_read_from_their_properties() {
        let paging = Paging {
            item_name: "items",
            next_link_name: "@odata.nextLink",
        };
        let r =
            response(r#"{"items":[{"id":1},{"id":2}],"@odata.nextLink":"https://api.example/p2"}"#);
        let (items, next) = split_page::<Item>(&r, &paging).unwrap();
        assert_eq!(items, [Item { id: 1 }, Item { id: 2 }]);
        assert_eq!(next.as_deref(), Some("https://api.example/p2"));
        // The last page: no link, an empty link, or a null one.
        for last in [
            r#"{"items":[]}"#,
            r#"{"items":[],"@odata.nextLink":""}"#,
            r#"{"@odata.nextLink":null}"#,
        ] {
            let (items, next) = split_page::<Item>(&response(last), &paging).unwrap();
            assert!(items.is_empty() && next.is_none(), "{last}");
        }
        // A page that is an array holds its items directly.
        let (items, next) = split_page::<Item>(&response(r#"[{"id":7}]"#), &paging).unwrap();
        assert_eq!((items, next), (vec![Item { id: 7 }], None));
    }

    #[test]
    fn a_bad_item_is_a_decode_error_with_its_path() {
        let r = response(r#"{"value":[{"id":1},{"id":"two"}]}"#);
        let e = split_page::<Item>(&r, &Paging::default()).unwrap_err();
        assert!(
            matches!(&e, Error::Decode { path, .. } if path == "value[1].id"),
            "{e:?}"
        );
        let e =
            split_page::<Item>(&response(r#"{"value":{"id":1}}"#), &Paging::default()).unwrap_err();
        assert!(e.to_string().contains("not an array"), "{e}");
    }
}
