//! The REST API's JSON body extractor. Like `web::Json`, with one rule
//! more: the body must be a JSON object. serde reads a struct from an
//! array too (`[null, null]` fills the fields in order), which would let a
//! body that means nothing pass as an empty update; found by schemathesis.

use crate::error::ApiError;
use actix_web::{dev::Payload, web, FromRequest, HttpRequest};
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};
use shared::ErrorCode;
use std::future::Future;
use std::pin::Pin;

/// A request body that was a JSON object and reads as `T`.
pub struct Body<T>(pub T);

impl<T> Body<T> {
    pub fn into_inner(self) -> T {
        self.0
    }
}

impl<T> std::ops::Deref for Body<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.0
    }
}

impl<T: DeserializeOwned + 'static> FromRequest for Body<T> {
    type Error = actix_web::Error;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Self::Error>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        // Size limit, content type and syntax errors as configured for
        // `web::Json` (routes/mod.rs); only an object gets this far.
        let object = web::Json::<Map<String, Value>>::from_request(req, payload);
        Box::pin(async move {
            let object = object.await?.into_inner();
            serde_json::from_value(Value::Object(object))
                .map(Body)
                .map_err(|e| {
                    ApiError::new(ErrorCode::BadRequest, format!("invalid body: {e}")).into()
                })
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::test::TestRequest;
    use serde::Deserialize;

    #[derive(Deserialize, Debug, PartialEq)]
    struct Patch {
        name: Option<String>,
        capacity: Option<u32>,
    }

    async fn read(body: &str) -> Result<Patch, String> {
        let (req, mut payload) = TestRequest::post()
            .insert_header(("content-type", "application/json"))
            .set_payload(body.to_owned())
            .to_http_parts();
        Body::<Patch>::from_request(&req, &mut payload)
            .await
            .map(Body::into_inner)
            .map_err(|e| e.to_string())
    }

    #[actix_web::test]
    async fn only_objects_are_bodies() {
        assert_eq!(
            read(r#"{"name":"Sara"}"#).await,
            Ok(Patch {
                name: Some("Sara".into()),
                capacity: None
            })
        );
        // `web::Json` takes these as a patch that changes nothing.
        for not_an_object in ["[null, null]", "[]", "null", "3", r#""x""#] {
            assert!(
                read(not_an_object).await.is_err(),
                "{not_an_object} was read"
            );
        }
        let err = read(r#"{"capacity":"many"}"#).await.unwrap_err();
        assert!(err.contains("invalid body"), "{err}");
    }
}
