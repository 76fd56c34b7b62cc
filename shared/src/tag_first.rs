//! Decoding a `type`-tagged enum whose tag comes first, without serde's
//! buffering.
//!
//! serde's derived decoder for `#[serde(tag = "type")]` first reads the
//! whole object into an intermediate tree (the tag might come last), and
//! that code, made once per variant, was the largest single part of the
//! widget's wasm. Our encoder — serde's derive — always writes the tag
//! first, so [`tag_first_enum!`] declares the enum's variants twice from
//! one list: the enum itself (encoded by the derive, tag first) and a
//! private, externally tagged twin whose derived decoder [`decode`] hands
//! the variant's name and the rest of the object, field by field. The wire
//! format is unchanged; a tag anywhere but first is refused (no encoder of
//! ours writes one).

use serde::de::value::{MapAccessDeserializer, StringDeserializer};
use serde::de::{
    self, DeserializeSeed, Deserializer, EnumAccess, IgnoredAny, IntoDeserializer, MapAccess,
    VariantAccess, Visitor,
};
use std::fmt;
use std::marker::PhantomData;

/// Decodes the externally tagged twin `T` from an object whose first
/// field is `tag`; `what` names the enum in errors.
pub fn decode<'de, D, T>(
    deserializer: D,
    tag: &'static str,
    what: &'static str,
) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: de::Deserialize<'de>,
{
    deserializer.deserialize_map(Object {
        tag,
        what,
        twin: PhantomData,
    })
}

struct Object<T> {
    tag: &'static str,
    what: &'static str,
    twin: PhantomData<T>,
}

impl<'de, T: de::Deserialize<'de>> Visitor<'de> for Object<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "a {} object with `{}` first", self.what, self.tag)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<T, A::Error> {
        match map.next_key::<String>()? {
            Some(key) if key == self.tag => {}
            Some(_) => {
                return Err(de::Error::custom(format_args!(
                    "`{}` must be the first field of a {}",
                    self.tag, self.what
                )))
            }
            None => return Err(de::Error::missing_field(self.tag)),
        }
        let variant: String = map.next_value()?;
        T::deserialize(Tagged { variant, rest: map })
    }
}

/// The variant's name and the rest of its object, as the externally
/// tagged twin's derived decoder wants them: an enum.
struct Tagged<A> {
    variant: String,
    rest: A,
}

impl<'de, A: MapAccess<'de>> Deserializer<'de> for Tagged<A> {
    type Error = A::Error;

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, A::Error> {
        visitor.visit_enum(self)
    }

    fn deserialize_any<V: Visitor<'de>>(self, _visitor: V) -> Result<V::Value, A::Error> {
        Err(de::Error::custom("a tagged object decodes as an enum only"))
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf option unit unit_struct newtype_struct seq tuple
        tuple_struct map struct identifier ignored_any
    }
}

impl<'de, A: MapAccess<'de>> EnumAccess<'de> for Tagged<A> {
    type Error = A::Error;
    type Variant = Rest<A>;

    fn variant_seed<V: DeserializeSeed<'de>>(
        self,
        seed: V,
    ) -> Result<(V::Value, Rest<A>), A::Error> {
        let name: StringDeserializer<A::Error> = self.variant.into_deserializer();
        Ok((seed.deserialize(name)?, Rest(self.rest)))
    }
}

/// The fields after the tag.
struct Rest<A>(A);

impl<'de, A: MapAccess<'de>> VariantAccess<'de> for Rest<A> {
    type Error = A::Error;

    /// A variant without fields; any others sent along are ignored, as the
    /// derive ignores unknown fields of the other variants.
    fn unit_variant(mut self) -> Result<(), A::Error> {
        while self.0.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(())
    }

    fn newtype_variant_seed<T: DeserializeSeed<'de>>(self, seed: T) -> Result<T::Value, A::Error> {
        seed.deserialize(MapAccessDeserializer::new(self.0))
    }

    fn tuple_variant<V: Visitor<'de>>(
        self,
        _len: usize,
        _visitor: V,
    ) -> Result<V::Value, A::Error> {
        Err(de::Error::custom("a tagged object has no tuple variants"))
    }

    fn struct_variant<V: Visitor<'de>>(
        self,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, A::Error> {
        visitor.visit_map(self.0)
    }
}

/// Declares a `pub enum` encoded with its tag first (its attributes, the
/// derive of `Serialize` and `#[serde(tag = …, rename_all = "snake_case")]`
/// included, are written by the caller as usual) and its `Deserialize`
/// through an externally tagged twin named `twin`. Variants are unit or
/// struct-like.
macro_rules! tag_first_enum {
    (
        tag = $tag:literal, twin = $twin:ident;
        $(#[$meta:meta])*
        pub enum $name:ident {
            $(
                $(#[$vmeta:meta])*
                $variant:ident $({
                    $( $(#[$fmeta:meta])* $field:ident : $ty:ty ),* $(,)?
                })?
            ),* $(,)?
        }
    ) => {
        $(#[$meta])*
        pub enum $name {
            $( $(#[$vmeta])* $variant $({ $( $(#[$fmeta])* $field: $ty ),* })? ),*
        }

        /// The externally tagged twin that decodes the enum of the same
        /// variants (`crate::tag_first`).
        #[derive(serde::Deserialize)]
        #[serde(rename_all = "snake_case")]
        enum $twin {
            $( $(#[$vmeta])* $variant $({ $( $(#[$fmeta])* $field: $ty ),* })? ),*
        }

        impl From<$twin> for $name {
            fn from(twin: $twin) -> Self {
                match twin {
                    $( $twin::$variant $({ $($field),* })? => $name::$variant $({ $($field),* })? ),*
                }
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                $crate::tag_first::decode::<D, $twin>(deserializer, $tag, stringify!($name))
                    .map(Self::from)
            }
        }
    };
}

pub(crate) use tag_first_enum;

#[cfg(test)]
mod tests {
    use serde::Serialize;

    tag_first_enum! {
        tag = "type", twin = SampleTwin;
        /// A sample.
        #[derive(Debug, PartialEq, Serialize)]
        #[serde(tag = "type", rename_all = "snake_case")]
        pub enum Sample {
            /// No fields.
            Ping,
            /// Some fields.
            SaidHello {
                /// Who.
                name: String,
                #[serde(default, skip_serializing_if = "Option::is_none")]
                times: Option<u32>,
            },
            #[serde(rename = "bye")]
            Farewell { soon: bool },
        }
    }

    fn decode(json: &str) -> Result<Sample, String> {
        serde_json::from_str(json).map_err(|e| e.to_string())
    }

    #[test]
    fn every_variant_round_trips_in_the_tagged_format() {
        let samples = [
            Sample::Ping,
            Sample::SaidHello {
                name: "Sara".into(),
                times: Some(2),
            },
            Sample::SaidHello {
                name: "سارة".into(),
                times: None,
            },
            Sample::Farewell { soon: true },
        ];
        for sample in samples {
            let json = serde_json::to_string(&sample).unwrap_or_default();
            assert!(json.starts_with("{\"type\":"), "{json}");
            assert_eq!(decode(&json), Ok(sample), "{json}");
        }
        assert_eq!(
            decode(r#"{"type":"bye","soon":false}"#),
            Ok(Sample::Farewell { soon: false })
        );
    }

    #[test]
    fn fields_follow_the_derives_rules() {
        assert_eq!(
            decode(r#"{"type":"said_hello","extra":[1,{"a":2}],"name":"x"}"#),
            Ok(Sample::SaidHello {
                name: "x".into(),
                times: None
            }),
            "unknown fields are ignored, defaults apply"
        );
        assert_eq!(
            decode(r#"{"type":"ping","extra":{"deep":[true]}}"#),
            Ok(Sample::Ping)
        );
        let missing = decode(r#"{"type":"said_hello"}"#).unwrap_err();
        assert!(missing.contains("missing field `name`"), "{missing}");
        let wrong = decode(r#"{"type":"bye","soon":"yes"}"#).unwrap_err();
        assert!(wrong.contains("invalid type"), "{wrong}");
    }

    #[test]
    fn a_bad_tag_is_refused_with_a_reason() {
        let unknown = decode(r#"{"type":"shout","name":"x"}"#).unwrap_err();
        assert!(unknown.contains("unknown variant `shout`"), "{unknown}");
        let late = decode(r#"{"name":"x","type":"said_hello"}"#).unwrap_err();
        assert!(
            late.contains("`type` must be the first field of a Sample"),
            "{late}"
        );
        let none = decode("{}").unwrap_err();
        assert!(none.contains("missing field `type`"), "{none}");
        let not_text = decode(r#"{"type":7}"#).unwrap_err();
        assert!(not_text.contains("invalid type"), "{not_text}");
        assert!(decode("[1]").is_err());
        assert!(decode("\"ping\"").is_err());
    }
}
