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

#[cfg(test)]
mod tests {
    use super::*;

    /// Just enough of a FlatBuffer reader to follow the schema, checking alignment on the way.
    struct Read<'a>(&'a [u8]);

    impl Read<'_> {
        fn u32(&self, at: usize) -> usize {
            u32::from_le_bytes(self.0[at..at + 4].try_into().unwrap()) as usize
        }
        fn deref(&self, at: usize) -> usize {
            assert_eq!(at % 4, 0, "offset at {at} aligned");
            at + self.u32(at)
        }
        /// Where a table's field lives, or None when it is absent.
        fn field(&self, table: usize, slot: usize) -> Option<usize> {
            assert_eq!(table % 4, 0, "table at {table} aligned");
            let vtable = table - i32::from_le_bytes(self.0[table..table + 4].try_into().unwrap()) as usize;
            let len = u16::from_le_bytes([self.0[vtable], self.0[vtable + 1]]) as usize;
            let at = vtable + 4 + 2 * slot;
            let offset = if at + 2 <= vtable + len { u16::from_le_bytes([self.0[at], self.0[at + 1]]) } else { 0 };
            (offset != 0).then_some(table + offset as usize)
        }
        fn int(&self, table: usize, slot: usize, size: usize) -> i64 {
            let at = self.field(table, slot).expect("field present");
            assert_eq!(at % size, 0, "scalar of {size} bytes at {at} aligned");
            let mut raw = [0u8; 8];
            raw[..size].copy_from_slice(&self.0[at..at + size]);
            i64::from_le_bytes(raw)
        }
        fn string(&self, table: usize, slot: usize) -> String {
            let at = self.deref(self.field(table, slot).unwrap());
            let len = self.u32(at);
            assert_eq!(self.0[at + 4 + len], 0, "strings end in NUL");
            String::from_utf8(self.0[at + 4..at + 4 + len].to_vec()).unwrap()
        }
        fn tables(&self, table: usize, slot: usize) -> Vec<usize> {
            let at = self.deref(self.field(table, slot).unwrap());
            (0..self.u32(at)).map(|i| self.deref(at + 4 + 4 * i)).collect()
        }
        fn table(&self, table: usize, slot: usize) -> usize {
            self.deref(self.field(table, slot).unwrap())
        }
    }

    #[test]
    fn the_schema_message_holds_each_field_its_nullability_and_the_list_size() {
        let item = ArrowField { name: "element".into(), nullable: false, data_type: ArrowType::Float32 };
        let fields = [
            ArrowField { name: "image".into(), nullable: false, data_type: ArrowType::Utf8 },
            ArrowField { name: "identity".into(), nullable: true, data_type: ArrowType::Utf8 },
            ArrowField {
                name: "embedding".into(),
                nullable: false,
                data_type: ArrowType::FixedSizeList { item: Box::new(item), size: 512 },
            },
        ];
        let bytes = schema_message(&fields);
        assert_eq!(bytes[..4], [0xFF; 4], "continuation marker");
        assert_eq!(u32::from_le_bytes(bytes[4..8].try_into().unwrap()) as usize, bytes.len() - 8);
        assert_eq!(bytes.len() % 8, 0);
        let fb = Read(&bytes[8..]);
        let message = fb.deref(0);
        assert_eq!(fb.int(message, 0, 2), 4, "MetadataVersion V5");
        assert_eq!(fb.int(message, 1, 1), 1, "the header is a Schema");
        assert_eq!(fb.int(message, 3, 8), 0, "no body");
        let schema = fb.table(message, 2);
        let read: Vec<(String, i64, i64)> =
            fb.tables(schema, 1).into_iter().map(|f| (fb.string(f, 0), fb.int(f, 1, 1), fb.int(f, 2, 1))).collect();
        let expected = [("image", 0, 5), ("identity", 1, 5), ("embedding", 0, 16)];
        assert_eq!(read, expected.map(|(n, null, t)| (n.to_string(), null, t)), "(name, nullable, Type tag)");
        let list = fb.tables(schema, 1)[2];
        assert_eq!(fb.int(fb.table(list, 3), 0, 4), 512, "FixedSizeList.listSize");
        let children = fb.tables(list, 5);
        assert_eq!(children.len(), 1);
        assert_eq!((fb.string(children[0], 0), fb.int(children[0], 1, 1)), ("element".to_string(), 0));
        assert_eq!(fb.int(children[0], 2, 1), 3, "FloatingPoint");
        assert_eq!(fb.int(fb.table(children[0], 3), 0, 2), 1, "precision SINGLE");
    }
}
