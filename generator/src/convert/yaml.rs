//! Converted documents written as YAML, through yaml-rust2's emitter (the maintained YAML
//! library the loader reads with; `serde_yaml` is archived).

use serde_json::Value;
use yaml_rust2::yaml::{Array, Hash};
use yaml_rust2::{Yaml, YamlEmitter};

/// Why a document could not be written as YAML.
#[derive(Debug, thiserror::Error)]
#[error("cannot write YAML: {0}")]
pub struct YamlError(String);

/// `v` as a YAML document (`---` first, a line break last). Strings that a YAML reader would
/// take for something else (`"yes"`, `"200"`, `"null"`, text with `: `) are quoted; numbers keep
/// whether they were integers.
pub fn to_yaml(v: &Value) -> Result<String, YamlError> {
    let doc = to_node(v);
    let mut out = String::new();
    {
        // Multi-line strings quoted with `\n` escapes: the emitter's block scalars lose a first
        // line that starts with a space (no indentation indicator), which the corpus has.
        let mut e = YamlEmitter::new(&mut out);
        e.multiline_strings(false);
        e.dump(&doc).map_err(|e| YamlError(e.to_string()))?;
    }
    out.push('\n');
    Ok(out)
}

fn to_node(v: &Value) -> Yaml {
    match v {
        Value::Null => Yaml::Null,
        Value::Bool(b) => Yaml::Boolean(*b),
        Value::Number(n) => match n.as_i64() {
            Some(i) => Yaml::Integer(i),
            None => {
                let mut text = n.to_string();
                if !text.contains(['.', 'e', 'E']) {
                    // An integer past i64 (a u64): written as a number with a fraction.
                    text.push_str(".0");
                }
                Yaml::Real(text)
            }
        },
        Value::String(s) => Yaml::String(s.clone()),
        Value::Array(items) => Yaml::Array(items.iter().map(to_node).collect::<Array>()),
        Value::Object(map) => {
            let mut h = Hash::new();
            for (k, v) in map {
                h.insert(Yaml::String(k.clone()), to_node(v));
            }
            Yaml::Hash(h)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// YAML read back as JSON, to compare with what was written.
    fn back(y: &Yaml) -> Value {
        match y {
            Yaml::Null => Value::Null,
            Yaml::Boolean(b) => json!(b),
            Yaml::Integer(i) => json!(i),
            Yaml::Real(r) => json!(r.parse::<f64>().unwrap()),
            Yaml::String(s) => json!(s),
            Yaml::Array(a) => Value::Array(a.iter().map(back).collect()),
            Yaml::Hash(h) => Value::Object(
                h.iter()
                    .map(|(k, v)| (k.as_str().expect("string keys").to_string(), back(v)))
                    .collect(),
            ),
            other => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn what_is_written_reads_back_the_same() {
        let v = json!({
            "openapi": "3.0.3",
            "paths": {"/a": {"get": {"responses": {"200": {"description": "yes"}, "default": {"description": "null"}}}}},
            "tricky": ["", " lead", "a: b", "#x", "- item", "true", "~", "0x1F", "1e3", "12", "multi\nline\n", " lead\nsecond", "tab\there", "quote\"s", "ünïcödé", "\u{202e}"],
            "numbers": [0, -1, 9007199254740993i64, 1.5, 18446744073709551615u64],
            "empty": {}, "list": [], "flags": [true, false, null]
        });
        let text = to_yaml(&v).unwrap();
        let docs = yaml_rust2::YamlLoader::load_from_str(&text).unwrap();
        let mut expected = v.clone();
        expected["numbers"][4] = json!(18446744073709551615.0);
        assert_eq!(back(&docs[0]), expected, "{text}");
    }
}
