//! The stable codes of diagnostics raised while loading and lowering a definition.
//!
//! Numbering: `PP00xx` reading files and references, `PP01xx` structure of a definition,
//! `PP012x` importing Postman collections.

use super::{Code, Severity};

macro_rules! codes {
    ($($(#[$doc:meta])* $ident:ident = $code:literal, $name:literal, $sev:ident;)*) => {
        $( $(#[$doc])* pub const $ident: Code = Code { code: $code, name: $name, severity: Severity::$sev }; )*
        /// Every code defined here.
        pub const ALL: &[Code] = &[$($ident),*];
    };
}

codes! {
    /// The text cannot be read as JSON or YAML.
    INVALID_SYNTAX = "PP0001", "invalid-syntax", Error;
    /// A UTF-8 byte-order mark precedes the JSON text.
    UTF8_BOM = "PP0002", "utf8-bom", Warning;
    /// A comma before `]` or `}`.
    TRAILING_COMMA = "PP0003", "trailing-comma", Warning;
    /// A key written twice in one object.
    DUPLICATE_KEY = "PP0004", "duplicate-key", Warning;
    /// The file is not UTF-8.
    NOT_UTF8 = "PP0005", "not-utf8", Warning;
    /// A comment in a JSON file.
    JSON_COMMENT = "PP0006", "json-comment", Warning;
    /// A `$ref` that points nowhere.
    UNRESOLVED_REF = "PP0007", "unresolved-ref", Error;
    /// `$ref`s that only point at each other.
    REF_LOOP = "PP0008", "ref-loop", Error;
    /// A `$ref` to a URL (not followed: definitions must be self-contained).
    UNSUPPORTED_REF = "PP0009", "unsupported-ref", Error;
    /// A file the definition may not read: outside its folder (an absolute path, `..` beyond the
    /// folder, a symbolic link leading out) or not a regular file (a FIFO, a device, a socket).
    FILE_NOT_ALLOWED = "PP0018", "file-not-allowed", Error;
    /// A number no double can hold (YAML `.inf`/`.nan`, `1e400`): read as no value.
    NUMBER_NOT_FINITE = "PP0019", "number-not-finite", Warning;
    /// The file is not a Swagger 2.0 or OpenAPI 3.x definition.
    NOT_A_DEFINITION = "PP0101", "not-a-definition", Error;
    /// A `swagger` / `openapi` version this tool does not read.
    UNSUPPORTED_VERSION = "PP0102", "unsupported-version", Error;
    /// A field holds a value of the wrong JSON type.
    UNEXPECTED_TYPE = "PP0103", "unexpected-type", Warning;
    /// A file could not be read.
    READ_ERROR = "PP0106", "read-error", Error;
    /// `apiProperties.json` or `settings.json` is not usable.
    INVALID_PROPERTIES = "PP0108", "invalid-api-properties", Error;
    /// A Postman request with the method and path of an earlier one: it is folded into that
    /// operation (its parameters, body and responses merged in).
    POSTMAN_REQUEST_MERGED = "PP0120", "postman-request-merged", Info;
    /// A Postman request that cannot become an operation (no URL, a method OpenAPI cannot
    /// express).
    POSTMAN_REQUEST_SKIPPED = "PP0121", "postman-request-skipped", Warning;
    /// A Postman auth type with no OpenAPI security scheme (oauth1, hawk, awsv4, ntlm, ...).
    POSTMAN_AUTH_UNSUPPORTED = "PP0122", "postman-auth-unsupported", Warning;
    /// A `{{variable}}` with no value in the collection: it becomes a server variable or a
    /// parameter.
    POSTMAN_UNDEFINED_VARIABLE = "PP0123", "postman-undefined-variable", Info;
    /// Pre-request and test scripts, which a definition cannot carry.
    POSTMAN_SCRIPTS_DROPPED = "PP0124", "postman-scripts-dropped", Info;
    /// A body that says it is JSON but does not parse: kept as an example string.
    POSTMAN_BODY_NOT_JSON = "PP0125", "postman-body-not-json", Warning;
    /// A request URL with credentials (`user:password@host`): they are left out of the host.
    POSTMAN_CREDENTIALS_IN_URL = "PP0126", "postman-credentials-in-url", Warning;
}
