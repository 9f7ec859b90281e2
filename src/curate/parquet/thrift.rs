//! Thrift's compact protocol, write side only, with just the shapes Parquet's footer and page
//! headers use: i32, i64, binary, lists and nested structs.

/// Compact-protocol type codes.
pub(super) const I32: u8 = 5;
pub(super) const I64: u8 = 6;
pub(super) const BINARY: u8 = 8;
const LIST: u8 = 9;
pub(super) const STRUCT: u8 = 12;

/// Writes one top-level struct; nested structs are opened and closed in order.
pub(super) struct CompactWriter {
    bytes: Vec<u8>,
    /// The last field id written in each open struct: field headers carry the difference.
    last_field: Vec<i16>,
}

impl CompactWriter {
    pub(super) fn new() -> Self {
        CompactWriter { bytes: Vec::new(), last_field: vec![0] }
    }

    /// Closes the top-level struct and returns its bytes.
    pub(super) fn finish(mut self) -> Vec<u8> {
        self.bytes.push(0);
        debug_assert_eq!(self.last_field.len(), 1, "a nested struct was left open");
        self.bytes
    }

    pub(super) fn i32_field(&mut self, id: i16, value: i32) {
        self.field_header(id, I32);
        self.i32(value);
    }

    pub(super) fn i64_field(&mut self, id: i16, value: i64) {
        self.field_header(id, I64);
        self.varint(zigzag64(value));
    }

    pub(super) fn binary_field(&mut self, id: i16, value: &[u8]) {
        self.field_header(id, BINARY);
        self.binary(value);
    }

    /// Opens a struct-valued field; close it with [`Self::end_struct`].
    pub(super) fn begin_struct_field(&mut self, id: i16) {
        self.field_header(id, STRUCT);
        self.last_field.push(0);
    }

    /// Opens a struct that is a list element; close it with [`Self::end_struct`].
    pub(super) fn begin_struct(&mut self) {
        self.last_field.push(0);
    }

    pub(super) fn end_struct(&mut self) {
        self.bytes.push(0);
        self.last_field.pop();
    }

    /// A list field of `len` elements of `element_type`, written next with the element
    /// functions ([`Self::i32`], [`Self::binary`], [`Self::begin_struct`]).
    pub(super) fn list_field(&mut self, id: i16, element_type: u8, len: usize) {
        self.field_header(id, LIST);
        if len < 15 {
            self.bytes.push((len as u8) << 4 | element_type);
        } else {
            self.bytes.push(0xF0 | element_type);
            self.varint(len as u64);
        }
    }

    pub(super) fn i32(&mut self, value: i32) {
        self.varint(zigzag32(value));
    }

    pub(super) fn binary(&mut self, value: &[u8]) {
        self.varint(value.len() as u64);
        self.bytes.extend_from_slice(value);
    }

    fn field_header(&mut self, id: i16, field_type: u8) {
        let last = self.last_field.last_mut().expect("a struct is open");
        let delta = id - *last;
        *last = id;
        if (1..=15).contains(&delta) {
            self.bytes.push((delta as u8) << 4 | field_type);
        } else {
            self.bytes.push(field_type);
            self.varint(zigzag32(i32::from(id)));
        }
    }

    fn varint(&mut self, mut value: u64) {
        while value >= 0x80 {
            self.bytes.push((value as u8) | 0x80);
            value >>= 7;
        }
        self.bytes.push(value as u8);
    }
}

fn zigzag32(value: i32) -> u64 {
    u64::from(((value << 1) ^ (value >> 31)) as u32)
}

fn zigzag64(value: i64) -> u64 {
    ((value << 1) ^ (value >> 63)) as u64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_lists_and_nested_structs_follow_the_compact_protocol() {
        let mut w = CompactWriter::new();
        w.i32_field(1, -3); // short header 0x15, zigzag(-3) = 5
        w.i64_field(3, 300); // delta 2: 0x26, zigzag(300) = 600 = 0xD8 0x04
        w.begin_struct_field(20); // delta 17: long form 0x0C, zigzag(20) = 40
        w.binary_field(1, b"ab");
        w.end_struct();
        w.list_field(21, I32, 2);
        w.i32(1);
        w.i32(-1);
        let bytes = w.finish();
        assert_eq!(bytes, [0x15, 5, 0x26, 0xD8, 0x04, 0x0C, 40, 0x18, 2, b'a', b'b', 0, 0x19, 0x25, 2, 1, 0]);
    }
}
