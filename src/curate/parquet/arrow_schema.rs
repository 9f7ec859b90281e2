//! The `ARROW:schema` footer entry: the Arrow schema as an IPC message (a FlatBuffer), which
//! Arrow readers (pyarrow, polars) use to restore types Parquet has no word for, here the
//! fixed size of a list.
//!
//! The FlatBuffer is written front to back: every table's vtable just before the table, and
//! everything a table points to after it, so each offset is patched once the target is placed.

/// An Arrow field type, as far as this writer needs.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum ArrowType {
    Utf8,
    Float32,
    FixedSizeList { item: Box<ArrowField>, size: i32 },
}

#[derive(Clone, Debug, PartialEq)]
pub(crate) struct ArrowField {
    pub name: String,
    pub nullable: bool,
    pub data_type: ArrowType,
}

/// The encapsulated IPC message, ready to be base64-encoded: continuation marker, length,
/// then the `Message { version: V5, header: Schema }` FlatBuffer padded to 8 bytes.
pub(crate) fn schema_message(fields: &[ArrowField]) -> Vec<u8> {
    let schema = Table(vec![
        (0, Slot::I16(0)), // endianness: little
        (1, Slot::Tables(fields.iter().map(field_table).collect())),
    ]);
    let message = Table(vec![
        (0, Slot::I16(4)), // MetadataVersion::V5
        (1, Slot::U8(1)),  // MessageHeader::Schema
        (2, Slot::Table(schema)),
        (3, Slot::I64(0)), // no body
    ]);
    let mut flatbuffer = Builder::default();
    flatbuffer.root(&message);
    let mut bytes = flatbuffer.bytes;
    while !bytes.len().is_multiple_of(8) {
        bytes.push(0);
    }
    let mut message_bytes = Vec::with_capacity(bytes.len() + 8);
    message_bytes.extend_from_slice(&0xFFFF_FFFFu32.to_le_bytes());
    message_bytes.extend_from_slice(&(bytes.len() as u32).to_le_bytes());
    message_bytes.extend_from_slice(&bytes);
    message_bytes
}

/// `Field { name, nullable, type_type, type, children }` (Schema.fbs).
fn field_table(field: &ArrowField) -> Table {
    // The `Type` union's tags and the type tables' contents.
    let (tag, type_table, children) = match &field.data_type {
        ArrowType::Utf8 => (5u8, Table(vec![]), vec![]),
        ArrowType::Float32 => (3, Table(vec![(0, Slot::I16(1))]), vec![]), // precision SINGLE
        ArrowType::FixedSizeList { item, size } => (16, Table(vec![(0, Slot::I32(*size))]), vec![field_table(item)]),
    };
    Table(vec![
        (0, Slot::String(field.name.clone())),
        (1, Slot::U8(u8::from(field.nullable))),
        (2, Slot::U8(tag)),
        (3, Slot::Table(type_table)),
        (5, Slot::Tables(children)),
    ])
}

/// A FlatBuffer table: (vtable slot, value) in any order.
struct Table(Vec<(u16, Slot)>);

enum Slot {
    U8(u8),
    I16(i16),
    I32(i32),
    I64(i64),
    String(String),
    Table(Table),
    Tables(Vec<Table>),
}

impl Slot {
    /// Size (= alignment) of the value stored inline in the table.
    fn inline_size(&self) -> usize {
        match self {
            Slot::U8(_) => 1,
            Slot::I16(_) => 2,
            Slot::I64(_) => 8,
            Slot::I32(_) | Slot::String(_) | Slot::Table(_) | Slot::Tables(_) => 4,
        }
    }
}

#[derive(Default)]
struct Builder {
    bytes: Vec<u8>,
}

impl Builder {
    fn root(&mut self, table: &Table) {
        self.bytes.extend_from_slice(&[0; 4]);
        let at = self.table(table);
        self.patch_offset(0, at);
    }

    fn align(&mut self, to: usize) {
        while !self.bytes.len().is_multiple_of(to) {
            self.bytes.push(0);
        }
    }

    /// Points the uoffset at `slot` to `target`, which lies after it.
    fn patch_offset(&mut self, slot: usize, target: usize) {
        let offset = (target - slot) as u32;
        self.bytes[slot..slot + 4].copy_from_slice(&offset.to_le_bytes());
    }

    /// Writes the vtable, the table, then what it points to; returns the table's position.
    fn table(&mut self, table: &Table) -> usize {
        let slots = table.0.iter().map(|(slot, _)| *slot as usize + 1).max().unwrap_or(0);
        let align = table.0.iter().map(|(_, v)| v.inline_size()).max().unwrap_or(4).max(4);
        self.align(2);
        let vtable_at = self.bytes.len();
        let vtable_len = 4 + 2 * slots;
        // The table starts after the vtable, aligned for its widest field.
        let mut start = vtable_at + vtable_len;
        start = start.div_ceil(align) * align;
        // Widest fields first, so each is aligned without padding between them.
        let mut order: Vec<&(u16, Slot)> = table.0.iter().collect();
        order.sort_by_key(|(_, v)| std::cmp::Reverse(v.inline_size()));
        let mut field_at = Vec::with_capacity(order.len());
        let mut end = start + 4; // the soffset to the vtable
        for (slot, value) in &order {
            let size = value.inline_size();
            end = end.div_ceil(size) * size;
            field_at.push((*slot, end));
            end += size;
        }
        let mut vtable = vec![0u16; slots];
        for (slot, at) in &field_at {
            vtable[*slot as usize] = (at - start) as u16;
        }
        self.bytes.extend_from_slice(&(vtable_len as u16).to_le_bytes());
        self.bytes.extend_from_slice(&((end - start) as u16).to_le_bytes());
        for entry in vtable {
            self.bytes.extend_from_slice(&entry.to_le_bytes());
        }
        self.bytes.resize(end, 0);
        self.bytes[start..start + 4].copy_from_slice(&((start - vtable_at) as i32).to_le_bytes());
        for ((_, value), (_, at)) in order.iter().zip(&field_at) {
            let at = *at;
            match value {
                Slot::U8(v) => self.bytes[at] = *v,
                Slot::I16(v) => self.bytes[at..at + 2].copy_from_slice(&v.to_le_bytes()),
                Slot::I32(v) => self.bytes[at..at + 4].copy_from_slice(&v.to_le_bytes()),
                Slot::I64(v) => self.bytes[at..at + 8].copy_from_slice(&v.to_le_bytes()),
                Slot::String(text) => {
                    self.align(4);
                    let target = self.bytes.len();
                    self.bytes.extend_from_slice(&(text.len() as u32).to_le_bytes());
                    self.bytes.extend_from_slice(text.as_bytes());
                    self.bytes.push(0);
                    self.patch_offset(at, target);
                }
                Slot::Table(child) => {
                    let target = self.table(child);
                    self.patch_offset(at, target);
                }
                Slot::Tables(children) => {
                    self.align(4);
                    let target = self.bytes.len();
                    self.bytes.extend_from_slice(&(children.len() as u32).to_le_bytes());
                    let first = self.bytes.len();
                    self.bytes.resize(first + 4 * children.len(), 0);
                    for (i, child) in children.iter().enumerate() {
                        let child_at = self.table(child);
                        self.patch_offset(first + 4 * i, child_at);
                    }
                    self.patch_offset(at, target);
                }
            }
        }
        start
    }
}
