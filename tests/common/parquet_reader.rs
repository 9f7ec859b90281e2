#![allow(dead_code)] // each test uses the parts it needs
//! A small Parquet reader for the tests, written from the format's specification
//! (parquet.thrift and the encodings page), not from pairscope's writer: uncompressed PLAIN
//! data pages (v1), RLE/bit-packed levels, flat columns and three-level lists of one leaf.

use std::collections::BTreeMap;

/// A Thrift compact-protocol value.
#[derive(Clone, Debug)]
pub enum Thrift {
    Bool(bool),
    Int(i64),
    Double(f64),
    Binary(Vec<u8>),
    List(Vec<Thrift>),
    Struct(BTreeMap<i16, Thrift>),
}

impl Thrift {
    pub fn field(&self, id: i16) -> Option<&Thrift> {
        match self {
            Thrift::Struct(fields) => fields.get(&id),
            _ => None,
        }
    }
    pub fn int(&self, id: i16) -> i64 {
        match self.field(id) {
            Some(Thrift::Int(v)) => *v,
            other => panic!("field {id} is not an integer: {other:?}"),
        }
    }
    pub fn text(&self, id: i16) -> String {
        match self.field(id) {
            Some(Thrift::Binary(b)) => String::from_utf8(b.clone()).expect("UTF-8"),
            other => panic!("field {id} is not binary: {other:?}"),
        }
    }
    pub fn list(&self, id: i16) -> &[Thrift] {
        match self.field(id) {
            Some(Thrift::List(v)) => v,
            other => panic!("field {id} is not a list: {other:?}"),
        }
    }
}

/// Reads one struct in the compact protocol; returns it and the bytes it took.
pub fn read_struct(bytes: &[u8]) -> (Thrift, usize) {
    let mut reader = Reader { bytes, at: 0 };
    let value = reader.value(12);
    (value, reader.at)
}

struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl Reader<'_> {
    fn byte(&mut self) -> u8 {
        let b = self.bytes[self.at];
        self.at += 1;
        b
    }
    fn varint(&mut self) -> u64 {
        let (mut value, mut shift) = (0u64, 0);
        loop {
            let b = self.byte();
            value |= u64::from(b & 0x7F) << shift;
            if b & 0x80 == 0 {
                return value;
            }
            shift += 7;
        }
    }
    fn zigzag(&mut self) -> i64 {
        let v = self.varint();
        (v >> 1) as i64 ^ -((v & 1) as i64)
    }
    fn value(&mut self, kind: u8) -> Thrift {
        match kind {
            1 => Thrift::Bool(true),
            2 => Thrift::Bool(false),
            3 => Thrift::Int(i64::from(self.byte() as i8)),
            4..=6 => Thrift::Int(self.zigzag()),
            7 => {
                let raw: [u8; 8] = self.bytes[self.at..self.at + 8].try_into().unwrap();
                self.at += 8;
                Thrift::Double(f64::from_le_bytes(raw))
            }
            8 => {
                let len = self.varint() as usize;
                self.at += len;
                Thrift::Binary(self.bytes[self.at - len..self.at].to_vec())
            }
            9 | 10 => {
                let header = self.byte();
                let len = if header >> 4 == 15 { self.varint() as usize } else { usize::from(header >> 4) };
                let element = header & 0x0F;
                Thrift::List(
                    (0..len)
                        .map(|_| match element {
                            1 => Thrift::Bool(self.byte() == 1), // list booleans are one byte each
                            k => self.value(k),
                        })
                        .collect(),
                )
            }
            12 => {
                let mut fields = BTreeMap::new();
                let mut last = 0i16;
                loop {
                    let header = self.byte();
                    if header == 0 {
                        return Thrift::Struct(fields);
                    }
                    let delta = header >> 4;
                    let id = if delta == 0 { self.zigzag() as i16 } else { last + i16::from(delta) };
                    last = id;
                    fields.insert(id, self.value(header & 0x0F));
                }
            }
            other => panic!("compact type {other} is not supported here"),
        }
    }
}

/// One leaf column's values: each entry the values of one row (None where null; a list's
/// elements in order).
#[derive(Clone, Debug, PartialEq)]
pub enum Values {
    Strings(Vec<Option<String>>),
    FloatLists(Vec<Vec<f32>>),
}

/// A column as the file's schema declares it.
#[derive(Clone, Debug, PartialEq)]
pub struct Leaf {
    /// Names from the top-level field down to the leaf.
    pub path: Vec<String>,
    pub physical_type: i64,
    /// The repetition (0 required, 1 optional, 2 repeated) of each node on the path.
    pub repetitions: Vec<i64>,
    /// The top-level field's logical type annotation (field id of the LogicalType union).
    pub logical_type: Option<i16>,
}

pub struct ParquetFile {
    pub metadata: Thrift,
    pub leaves: Vec<Leaf>,
    pub rows: usize,
    pub columns: Vec<Values>,
    pub key_values: BTreeMap<String, String>,
}

pub fn read(bytes: &[u8]) -> ParquetFile {
    assert_eq!(&bytes[..4], b"PAR1", "leading magic");
    assert_eq!(&bytes[bytes.len() - 4..], b"PAR1", "trailing magic");
    let footer_len = u32::from_le_bytes(bytes[bytes.len() - 8..bytes.len() - 4].try_into().unwrap()) as usize;
    let footer = &bytes[bytes.len() - 8 - footer_len..bytes.len() - 8];
    let (metadata, used) = read_struct(footer);
    assert_eq!(used, footer_len, "the footer is exactly one FileMetaData");
    let leaves = leaves(metadata.list(2));
    let rows = metadata.int(3) as usize;
    let mut columns: Vec<Option<Values>> = vec![None; leaves.len()];
    for group in metadata.list(4) {
        for (i, chunk) in group.list(1).iter().enumerate() {
            let meta = chunk.field(3).expect("column metadata");
            assert_eq!(meta.int(4), 0, "uncompressed");
            let read = read_chunk(bytes, meta, &leaves[i]);
            columns[i] = Some(match (columns[i].take(), read) {
                (None, r) => r,
                (Some(Values::Strings(mut a)), Values::Strings(b)) => {
                    a.extend(b);
                    Values::Strings(a)
                }
                (Some(Values::FloatLists(mut a)), Values::FloatLists(b)) => {
                    a.extend(b);
                    Values::FloatLists(a)
                }
                _ => panic!("a column changed type between row groups"),
            });
        }
    }
    let key_values = match metadata.field(5) {
        Some(Thrift::List(kvs)) => kvs.iter().map(|kv| (kv.text(1), kv.text(2))).collect(),
        _ => BTreeMap::new(),
    };
    let columns = columns.into_iter().map(|c| c.expect("every column has a chunk")).collect();
    ParquetFile { metadata, leaves, rows, columns, key_values }
}

/// The leaf columns of a flattened schema (root first, each group followed by its children).
fn leaves(schema: &[Thrift]) -> Vec<Leaf> {
    fn walk(schema: &[Thrift], at: &mut usize, path: &mut Vec<(String, i64, Option<i16>)>, out: &mut Vec<Leaf>) {
        let element = &schema[*at];
        *at += 1;
        let logical = match element.field(10) {
            Some(Thrift::Struct(union)) => union.keys().next().copied(),
            _ => None,
        };
        let repetition = match element.field(3) {
            Some(Thrift::Int(r)) => *r,
            _ => 0,
        };
        path.push((element.text(4), repetition, logical));
        match element.field(5) {
            Some(Thrift::Int(children)) => {
                for _ in 0..*children {
                    walk(schema, at, path, out);
                }
            }
            _ => out.push(Leaf {
                path: path[1..].iter().map(|p| p.0.clone()).collect(),
                physical_type: element.int(1),
                repetitions: path[1..].iter().map(|p| p.1).collect(),
                logical_type: path[1].2,
            }),
        }
        path.pop();
    }
    let mut out = Vec::new();
    walk(schema, &mut 0, &mut Vec::new(), &mut out);
    out
}

fn read_chunk(bytes: &[u8], meta: &Thrift, leaf: &Leaf) -> Values {
    let max_rep = leaf.repetitions.iter().filter(|r| **r == 2).count() as u32;
    let max_def = leaf.repetitions.iter().filter(|r| **r != 0).count() as u32;
    let start = meta.int(9) as usize;
    let end = start + meta.int(7) as usize;
    let (mut reps, mut defs, mut strings, mut floats) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let mut at = start;
    let mut total_values = 0;
    while at < end {
        let (header, used) = read_struct(&bytes[at..end]);
        at += used;
        assert_eq!(header.int(1), 0, "a v1 data page");
        let size = header.int(3) as usize;
        let page = &bytes[at..at + size];
        at += size;
        let data = header.field(5).expect("data page header");
        assert_eq!(data.int(2), 0, "PLAIN values");
        let n = data.int(1) as usize;
        total_values += n;
        let mut p = 0;
        let levels = |max: u32, p: &mut usize| -> Vec<u32> {
            if max == 0 {
                return vec![0; n];
            }
            let len = u32::from_le_bytes(page[*p..*p + 4].try_into().unwrap()) as usize;
            let decoded = decode_hybrid(&page[*p + 4..*p + 4 + len], 32 - max.leading_zeros(), n);
            *p += 4 + len;
            decoded
        };
        let page_reps = levels(max_rep, &mut p);
        let page_defs = levels(max_def, &mut p);
        let present = page_defs.iter().filter(|d| **d == max_def).count();
        for _ in 0..present {
            match leaf.physical_type {
                6 => {
                    let len = u32::from_le_bytes(page[p..p + 4].try_into().unwrap()) as usize;
                    strings.push(String::from_utf8(page[p + 4..p + 4 + len].to_vec()).expect("UTF-8"));
                    p += 4 + len;
                }
                4 => {
                    floats.push(f32::from_le_bytes(page[p..p + 4].try_into().unwrap()));
                    p += 4;
                }
                t => panic!("physical type {t} is not supported here"),
            }
        }
        assert_eq!(p, page.len(), "the page holds exactly its levels and values");
        reps.extend(page_reps);
        defs.extend(page_defs);
    }
    assert_eq!(total_values as i64, meta.int(5), "num_values");
    match (leaf.physical_type, max_rep) {
        (6, 0) => {
            let mut values = strings.into_iter();
            Values::Strings(defs.iter().map(|d| if *d == max_def { values.next() } else { None }).collect())
        }
        (4, 1) => {
            let mut rows: Vec<Vec<f32>> = Vec::new();
            let mut values = floats.into_iter();
            for (rep, def) in reps.iter().zip(&defs) {
                if *rep == 0 {
                    rows.push(Vec::new());
                }
                if *def == max_def {
                    rows.last_mut().expect("a list starts with repetition 0").push(values.next().unwrap());
                }
            }
            Values::FloatLists(rows)
        }
        other => panic!("column shape {other:?} is not supported here"),
    }
}

/// The RLE / bit-packing hybrid: `count` values of `width` bits.
fn decode_hybrid(data: &[u8], width: u32, count: usize) -> Vec<u32> {
    let mut reader = Reader { bytes: data, at: 0 };
    let mut out = Vec::with_capacity(count);
    while out.len() < count {
        let header = reader.varint();
        if header & 1 == 0 {
            let bytes = width.div_ceil(8) as usize;
            let mut value = 0u32;
            for i in 0..bytes {
                value |= u32::from(reader.byte()) << (8 * i);
            }
            out.extend(std::iter::repeat_n(value, (header >> 1) as usize));
        } else {
            let groups = (header >> 1) as usize;
            let packed = &data[reader.at..reader.at + groups * width as usize];
            reader.at += groups * width as usize;
            for i in 0..groups * 8 {
                let mut value = 0u32;
                for b in 0..width as usize {
                    let bit = i * width as usize + b;
                    value |= u32::from(packed[bit / 8] >> (bit % 8) & 1) << b;
                }
                out.push(value);
            }
        }
    }
    out.truncate(count);
    out
}
