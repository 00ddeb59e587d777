//! Types that generated models use for formatted strings.
//!
//! Real services send dates, ids and encoded bytes that do not always match the format their
//! definition declares. These types keep the text exactly as received, so decoding a response
//! never fails on a malformed value, and say what the text is meant to be.

use serde::{Deserialize, Serialize};

macro_rules! text_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Default, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub String);

        impl $name {
            /// The text as received.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl From<String> for $name {
            fn from(s: String) -> Self {
                $name(s)
            }
        }

        impl From<&str> for $name {
            fn from(s: &str) -> Self {
                $name(s.to_string())
            }
        }
    };
}

text_type! {
    /// A date and time (`format: date-time`, RFC 3339), as text.
    DateTime
}

text_type! {
    /// A calendar date (`format: date`, `YYYY-MM-DD`), as text.
    Date
}

text_type! {
    /// A UUID (`format: uuid`), as text.
    Uuid
}

text_type! {
    /// Base64-encoded bytes (`format: byte`), as text.
    Base64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn any_text_decodes_and_round_trips() {
        let d: DateTime = serde_json::from_str("\"not really a date\"").unwrap();
        assert_eq!(d.as_str(), "not really a date");
        assert_eq!(serde_json::to_string(&d).unwrap(), "\"not really a date\"");
    }
}
