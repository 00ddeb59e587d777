//! Facts derived from the model that every output shares: where operations are sent, how
//! their requests are written and their responses read, what triggers and policies need, and
//! how connections authenticate. Code generation emits them, `run` executes them, `convert`
//! writes them back as definitions; each fact is worked out once, here.

mod auth;
mod policies;
mod requests;
mod responses;
mod schemas;
mod servers;
mod triggers;

pub use auth::{accesses, oauth2_description, oauth_settings, Access, Login};
pub use policies::policy_templates;
pub use requests::{
    array_format, binary_media, default_text, multipart_file_fields, sends_form, sends_multipart,
    ArrayFormat,
};
pub use responses::{decode_of, page_item, success_schemas, Decode};
pub use schemas::{is_binary, is_plain_string, merged_properties};
pub use servers::{base_url, operation_server};
pub use triggers::notification_target;
