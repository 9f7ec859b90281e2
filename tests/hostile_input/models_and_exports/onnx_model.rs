//! Tiny ONNX embedders written byte by byte (protobuf by hand, no ONNX library): an image
//! input `[1,3,112,112]` → Flatten → the first 512 values → times a constant → `[1,512]`.
//! With the constant 0 every embedding is all zeros, with NaN every value is NaN: models that
//! load, fit their spec and run, yet give nothing a cosine can be taken of.

/// The bytes of a `.onnx` model whose 512-d output is its input's first 512 values times
/// `factor`.
pub fn scaled_slice_model(factor: f32) -> Vec<u8> {
    let nodes = [
        node("Flatten", &["input"], &["flat"], &[("axis", 1)]),
        node("Slice", &["flat", "starts", "ends", "axes"], &["head"], &[]),
        node("Mul", &["head", "factor"], &["embedding"], &[]),
    ];
    let initializers = [
        int64_tensor("starts", &[0]),
        int64_tensor("ends", &[512]),
        int64_tensor("axes", &[1]),
        float_scalar("factor", factor),
    ];
    let mut graph = Vec::new();
    for n in &nodes {
        bytes_field(&mut graph, 1, n);
    }
    bytes_field(&mut graph, 2, b"hostile");
    for t in &initializers {
        bytes_field(&mut graph, 5, t);
    }
    bytes_field(&mut graph, 11, &value_info("input", &[1, 3, 112, 112]));
    bytes_field(&mut graph, 12, &value_info("embedding", &[1, 512]));

    let mut opset = Vec::new();
    varint_field(&mut opset, 2, 13);
    let mut model = Vec::new();
    varint_field(&mut model, 1, 7); // ir_version
    bytes_field(&mut model, 2, b"pairscope-tests");
    bytes_field(&mut model, 7, &graph);
    bytes_field(&mut model, 8, &opset);
    model
}

fn varint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

fn varint_field(out: &mut Vec<u8>, field: u64, v: u64) {
    varint(out, field << 3);
    varint(out, v);
}

fn bytes_field(out: &mut Vec<u8>, field: u64, bytes: &[u8]) {
    varint(out, (field << 3) | 2);
    varint(out, bytes.len() as u64);
    out.extend_from_slice(bytes);
}

/// NodeProto: inputs (1), outputs (2), op_type (4), int attributes (5).
fn node(op: &str, inputs: &[&str], outputs: &[&str], ints: &[(&str, i64)]) -> Vec<u8> {
    let mut n = Vec::new();
    for i in inputs {
        bytes_field(&mut n, 1, i.as_bytes());
    }
    for o in outputs {
        bytes_field(&mut n, 2, o.as_bytes());
    }
    bytes_field(&mut n, 4, op.as_bytes());
    for (name, value) in ints {
        let mut a = Vec::new();
        bytes_field(&mut a, 1, name.as_bytes());
        varint_field(&mut a, 3, *value as u64);
        varint_field(&mut a, 20, 2); // AttributeType INT
        bytes_field(&mut n, 5, &a);
    }
    n
}

/// TensorProto of int64 values (dims (1), data_type (2) = INT64, name (8), raw_data (9)).
fn int64_tensor(name: &str, values: &[i64]) -> Vec<u8> {
    let mut t = Vec::new();
    varint_field(&mut t, 1, values.len() as u64);
    varint_field(&mut t, 2, 7);
    bytes_field(&mut t, 8, name.as_bytes());
    let raw: Vec<u8> = values.iter().flat_map(|v| v.to_le_bytes()).collect();
    bytes_field(&mut t, 9, &raw);
    t
}

/// A float32 scalar TensorProto (no dims, data_type FLOAT).
fn float_scalar(name: &str, value: f32) -> Vec<u8> {
    let mut t = Vec::new();
    varint_field(&mut t, 2, 1);
    bytes_field(&mut t, 8, name.as_bytes());
    bytes_field(&mut t, 9, &value.to_le_bytes());
    t
}

/// ValueInfoProto of a float32 tensor of fixed shape.
fn value_info(name: &str, dims: &[u64]) -> Vec<u8> {
    let mut shape = Vec::new();
    for d in dims {
        let mut dim = Vec::new();
        varint_field(&mut dim, 1, *d);
        bytes_field(&mut shape, 1, &dim);
    }
    let mut tensor = Vec::new();
    varint_field(&mut tensor, 1, 1); // elem_type FLOAT
    bytes_field(&mut tensor, 2, &shape);
    let mut ty = Vec::new();
    bytes_field(&mut ty, 1, &tensor);
    let mut info = Vec::new();
    bytes_field(&mut info, 1, name.as_bytes());
    bytes_field(&mut info, 2, &ty);
    info
}
