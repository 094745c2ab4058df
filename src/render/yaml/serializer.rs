//! The same YAML as [`super::write_document`] writes for a value's JSON
//! tree, written straight from the value's `Serialize` (a typed
//! Kubernetes object), without building the tree: no map, no key string,
//! no allocation per field. Each value knows where it stands (the
//! document, after a key, after a dash); a mapping or sequence writes its
//! opening with its first entry, and `{}` or `[]` when it has none.

use super::{indent, write_string};
use serde::ser::{self, Serialize};
use std::fmt;

/// Appends `value` as one YAML document body, exactly as
/// `super::write_document(&serde_json::to_value(value))` does. A
/// PersistentVolumeClaim nested in another object (a StatefulSet's claim
/// templates) is written without `apiVersion` and `kind`, as the chart
/// writes it.
pub fn write_document<T: Serialize + ?Sized>(out: &mut String, value: &T) {
    let start = out.len();
    let written = value.serialize(Emitter {
        out: &mut *out,
        slot: Slot::Document,
    });
    if written.is_err() {
        // What the tree would be for a value serde_json cannot represent.
        out.truncate(start);
        out.push_str("null\n");
    }
}

/// Where a value is written.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Slot {
    /// The document itself.
    Document,
    /// After `key:` in a mapping whose keys are indented by `level`.
    Value { level: usize },
    /// After the `-` of a sequence item indented by `level`.
    Item { level: usize },
}

impl Slot {
    /// The indentation of what is nested in the value (and of the lines
    /// of a literal block).
    fn inner(self) -> usize {
        match self {
            Slot::Document => 0,
            Slot::Value { level } | Slot::Item { level } => level + 2,
        }
    }
}

#[derive(Debug)]
pub struct Error(String);

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Error {}

impl ser::Error for Error {
    fn custom<T: fmt::Display>(message: T) -> Self {
        Error(message.to_string())
    }
}

struct Emitter<'o> {
    out: &'o mut String,
    slot: Slot,
}

impl<'o> Emitter<'o> {
    /// A scalar's text, already spelled: `null`, a number, a bool.
    fn plain(self, text: &str) -> Result<(), Error> {
        if self.slot != Slot::Document {
            self.out.push(' ');
        }
        self.out.push_str(text);
        self.out.push('\n');
        Ok(())
    }

    fn string(self, s: &str) -> Result<(), Error> {
        if self.slot != Slot::Document {
            self.out.push(' ');
        }
        write_string(self.out, s, self.slot.inner());
        self.out.push('\n');
        Ok(())
    }

    /// An integer, as serde_json's tree prints it.
    fn integer(self, n: impl fmt::Display) -> Result<(), Error> {
        use fmt::Write as _;
        if self.slot != Slot::Document {
            self.out.push(' ');
        }
        let _ = write!(self.out, "{n}");
        self.out.push('\n');
        Ok(())
    }

    /// A float, as serde_json's tree holds it (NaN and infinities are null).
    fn float(self, n: f64) -> Result<(), Error> {
        match serde_json::Number::from_f64(n) {
            Some(n) => self.plain(&n.to_string()),
            None => self.plain("null"),
        }
    }

    fn compound(self, is_map: bool, nested_claim: bool) -> Compound<'o> {
        Compound {
            out: self.out,
            slot: self.slot,
            is_map,
            entries: 0,
            drop_type_fields: nested_claim,
        }
    }
}

/// A mapping or a sequence being written.
struct Compound<'o> {
    out: &'o mut String,
    slot: Slot,
    is_map: bool,
    entries: usize,
    /// A claim template's `apiVersion` and `kind` are left out.
    drop_type_fields: bool,
}

impl Compound<'_> {
    /// Starts the next entry: the opening on the first, then the key's (or
    /// the dash's) indentation. Returns the slot of the entry's value.
    fn next_entry(&mut self) -> Slot {
        let first = self.entries == 0;
        self.entries += 1;
        let level = self.slot.inner();
        if self.is_map {
            match self.slot {
                // The first key goes on the dash's line.
                Slot::Item { .. } if first => self.out.push(' '),
                Slot::Value { .. } if first => {
                    self.out.push('\n');
                    indent(self.out, level);
                }
                _ => indent(self.out, level),
            }
            Slot::Value { level }
        } else {
            if first && self.slot != Slot::Document {
                self.out.push('\n');
            }
            indent(self.out, level);
            self.out.push('-');
            Slot::Item { level }
        }
    }

    fn key(&mut self, key: &str) -> Slot {
        let slot = self.next_entry();
        write_string(self.out, key, self.slot.inner());
        self.out.push(':');
        slot
    }

    fn finish(self) -> Result<(), Error> {
        if self.entries == 0 {
            let empty = if self.is_map { "{}" } else { "[]" };
            return Emitter {
                out: self.out,
                slot: self.slot,
            }
            .plain(empty);
        }
        Ok(())
    }

    fn value<T: Serialize + ?Sized>(&mut self, slot: Slot, value: &T) -> Result<(), Error> {
        value.serialize(Emitter {
            out: &mut *self.out,
            slot,
        })
    }
}

impl<'o> ser::Serializer for Emitter<'o> {
    type Ok = ();
    type Error = Error;
    type SerializeSeq = Compound<'o>;
    type SerializeTuple = Compound<'o>;
    type SerializeTupleStruct = Compound<'o>;
    type SerializeTupleVariant = ser::Impossible<(), Error>;
    type SerializeMap = Compound<'o>;
    type SerializeStruct = Compound<'o>;
    type SerializeStructVariant = ser::Impossible<(), Error>;

    fn serialize_bool(self, v: bool) -> Result<(), Error> {
        self.plain(if v { "true" } else { "false" })
    }
    fn serialize_i8(self, v: i8) -> Result<(), Error> {
        self.integer(v)
    }
    fn serialize_i16(self, v: i16) -> Result<(), Error> {
        self.integer(v)
    }
    fn serialize_i32(self, v: i32) -> Result<(), Error> {
        self.integer(v)
    }
    fn serialize_i64(self, v: i64) -> Result<(), Error> {
        self.integer(v)
    }
    fn serialize_u8(self, v: u8) -> Result<(), Error> {
        self.integer(v)
    }
    fn serialize_u16(self, v: u16) -> Result<(), Error> {
        self.integer(v)
    }
    fn serialize_u32(self, v: u32) -> Result<(), Error> {
        self.integer(v)
    }
    fn serialize_u64(self, v: u64) -> Result<(), Error> {
        self.integer(v)
    }
    fn serialize_f32(self, v: f32) -> Result<(), Error> {
        match serde_json::to_value(v) {
            Ok(serde_json::Value::Number(n)) => self.plain(&n.to_string()),
            _ => self.plain("null"),
        }
    }
    fn serialize_f64(self, v: f64) -> Result<(), Error> {
        self.float(v)
    }
    fn serialize_char(self, v: char) -> Result<(), Error> {
        self.string(v.encode_utf8(&mut [0; 4]))
    }
    fn serialize_str(self, v: &str) -> Result<(), Error> {
        self.string(v)
    }
    fn serialize_bytes(self, v: &[u8]) -> Result<(), Error> {
        // serde_json's tree holds bytes as a list of numbers.
        let mut list = self.compound(false, false);
        for byte in v {
            let slot = list.next_entry();
            list.value(slot, byte)?;
        }
        list.finish()
    }
    fn serialize_none(self) -> Result<(), Error> {
        self.plain("null")
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<(), Error> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<(), Error> {
        self.plain("null")
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<(), Error> {
        self.plain("null")
    }
    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
    ) -> Result<(), Error> {
        self.string(variant)
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        let mut map = self.compound(true, false);
        let slot = map.key(variant);
        map.value(slot, value)?;
        map.finish()
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Compound<'o>, Error> {
        Ok(self.compound(false, false))
    }
    fn serialize_tuple(self, _: usize) -> Result<Compound<'o>, Error> {
        Ok(self.compound(false, false))
    }
    fn serialize_tuple_struct(self, _: &'static str, _: usize) -> Result<Compound<'o>, Error> {
        Ok(self.compound(false, false))
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant, Error> {
        Err(Error(format!(
            "tuple variant {variant}: no Kubernetes object has one"
        )))
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Compound<'o>, Error> {
        Ok(self.compound(true, false))
    }
    fn serialize_struct(self, name: &'static str, _: usize) -> Result<Compound<'o>, Error> {
        let nested_claim = name == "PersistentVolumeClaim" && self.slot != Slot::Document;
        Ok(self.compound(true, nested_claim))
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant, Error> {
        Err(Error(format!(
            "struct variant {variant}: no Kubernetes object has one"
        )))
    }
}

impl ser::SerializeSeq for Compound<'_> {
    type Ok = ();
    type Error = Error;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        let slot = self.next_entry();
        self.value(slot, value)
    }
    fn end(self) -> Result<(), Error> {
        self.finish()
    }
}

impl ser::SerializeTuple for Compound<'_> {
    type Ok = ();
    type Error = Error;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        ser::SerializeSeq::serialize_element(self, value)
    }
    fn end(self) -> Result<(), Error> {
        self.finish()
    }
}

impl ser::SerializeTupleStruct for Compound<'_> {
    type Ok = ();
    type Error = Error;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        ser::SerializeSeq::serialize_element(self, value)
    }
    fn end(self) -> Result<(), Error> {
        self.finish()
    }
}

impl ser::SerializeMap for Compound<'_> {
    type Ok = ();
    type Error = Error;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), Error> {
        let key = key.serialize(KeyText)?;
        self.key(&key);
        Ok(())
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        let slot = Slot::Value {
            level: self.slot.inner(),
        };
        self.value(slot, value)
    }
    fn end(self) -> Result<(), Error> {
        self.finish()
    }
}

impl ser::SerializeStruct for Compound<'_> {
    type Ok = ();
    type Error = Error;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        if self.drop_type_fields && (key == "apiVersion" || key == "kind") {
            return Ok(());
        }
        let slot = self.key(key);
        self.value(slot, value)
    }
    fn end(self) -> Result<(), Error> {
        self.finish()
    }
}

/// A mapping key's text, as serde_json makes one (strings, and numbers,
/// bools and characters spelled out).
struct KeyText;

impl ser::Serializer for KeyText {
    type Ok = String;
    type Error = Error;
    type SerializeSeq = ser::Impossible<String, Error>;
    type SerializeTuple = ser::Impossible<String, Error>;
    type SerializeTupleStruct = ser::Impossible<String, Error>;
    type SerializeTupleVariant = ser::Impossible<String, Error>;
    type SerializeMap = ser::Impossible<String, Error>;
    type SerializeStruct = ser::Impossible<String, Error>;
    type SerializeStructVariant = ser::Impossible<String, Error>;

    fn serialize_bool(self, v: bool) -> Result<String, Error> {
        Ok(v.to_string())
    }
    fn serialize_i8(self, v: i8) -> Result<String, Error> {
        Ok(v.to_string())
    }
    fn serialize_i16(self, v: i16) -> Result<String, Error> {
        Ok(v.to_string())
    }
    fn serialize_i32(self, v: i32) -> Result<String, Error> {
        Ok(v.to_string())
    }
    fn serialize_i64(self, v: i64) -> Result<String, Error> {
        Ok(v.to_string())
    }
    fn serialize_u8(self, v: u8) -> Result<String, Error> {
        Ok(v.to_string())
    }
    fn serialize_u16(self, v: u16) -> Result<String, Error> {
        Ok(v.to_string())
    }
    fn serialize_u32(self, v: u32) -> Result<String, Error> {
        Ok(v.to_string())
    }
    fn serialize_u64(self, v: u64) -> Result<String, Error> {
        Ok(v.to_string())
    }
    fn serialize_f32(self, _: f32) -> Result<String, Error> {
        Err(Error("a number as a key".into()))
    }
    fn serialize_f64(self, _: f64) -> Result<String, Error> {
        Err(Error("a number as a key".into()))
    }
    fn serialize_char(self, v: char) -> Result<String, Error> {
        Ok(v.to_string())
    }
    fn serialize_str(self, v: &str) -> Result<String, Error> {
        Ok(v.to_string())
    }
    fn serialize_bytes(self, _: &[u8]) -> Result<String, Error> {
        Err(Error("bytes as a key".into()))
    }
    fn serialize_none(self) -> Result<String, Error> {
        Err(Error("null as a key".into()))
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<String, Error> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<String, Error> {
        Err(Error("null as a key".into()))
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<String, Error> {
        Err(Error("null as a key".into()))
    }
    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
    ) -> Result<String, Error> {
        Ok(variant.to_string())
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        value: &T,
    ) -> Result<String, Error> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result<String, Error> {
        Err(Error("a variant as a key".into()))
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Self::SerializeSeq, Error> {
        Err(Error("a list as a key".into()))
    }
    fn serialize_tuple(self, _: usize) -> Result<Self::SerializeTuple, Error> {
        Err(Error("a list as a key".into()))
    }
    fn serialize_tuple_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleStruct, Error> {
        Err(Error("a list as a key".into()))
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant, Error> {
        Err(Error("a list as a key".into()))
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap, Error> {
        Err(Error("a mapping as a key".into()))
    }
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Self::SerializeStruct, Error> {
        Err(Error("a mapping as a key".into()))
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant, Error> {
        Err(Error("a mapping as a key".into()))
    }
}
