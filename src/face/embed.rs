//! The embedder: the model that turns an aligned face crop into a vector. The embedded
//! `fr_feature` is the default; any ONNX embedder can replace it, described by an
//! [`EmbedderSpec`] that is checked against the model's declared input and output.

use std::fmt;
use std::path::Path;
use std::str::FromStr;

use image::RgbImage;
use ort::session::Session;
use ort::value::{TensorElementType, ValueType};

use super::error::FaceError;
use super::runtime;
use super::score::l2_normalize;

/// The order of colour channels the model expects.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChannelOrder {
    Rgb,
    Bgr,
}

/// How the model's input tensor is laid out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TensorLayout {
    /// `[batch, channels, height, width]`
    Nchw,
    /// `[batch, height, width, channels]`
    Nhwc,
}

impl TensorLayout {
    fn name(self) -> &'static str {
        match self {
            Self::Nchw => "NCHW",
            Self::Nhwc => "NHWC",
        }
    }
}

/// How to feed an embedder: the crop size, and `value = (pixel − mean[c]) / std[c]` per channel
/// with pixels in 0..255. `mean` and `std` are in the model's channel order. The five-point
/// template is scaled from 112x112 to the crop size on each axis.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct EmbedderSpec {
    pub input_width: u32,
    pub input_height: u32,
    pub channel_order: ChannelOrder,
    pub mean: [f32; 3],
    pub std: [f32; 3],
    pub layout: TensorLayout,
}

impl Default for EmbedderSpec {
    /// The embedded `fr_feature`: 112x112, RGB, (x − 127) / 128, NCHW.
    fn default() -> Self {
        Self {
            input_width: 112,
            input_height: 112,
            channel_order: ChannelOrder::Rgb,
            mean: [127.0; 3],
            std: [128.0; 3],
            layout: TensorLayout::Nchw,
        }
    }
}

impl EmbedderSpec {
    /// Checks values that cannot work with any model.
    pub fn validate(&self) -> Result<(), FaceError> {
        let bad = |m: String| Err(FaceError::InvalidSpec(m));
        for (what, v) in [("width", self.input_width), ("height", self.input_height)] {
            if !(8..=2048).contains(&v) {
                return bad(format!("input {what} {v} is outside 8..=2048 pixels"));
            }
        }
        if self.mean.iter().any(|m| !m.is_finite()) {
            return bad(format!("mean {:?} is not finite", self.mean));
        }
        // The tensor multiplies by 1/std, so a std so small that 1/std overflows (1e-45) is as
        // useless as zero.
        if self.std.iter().any(|s| !s.is_finite() || !(1.0 / s).is_finite()) {
            return bad(format!("std {:?} must be finite and not near zero (1/std must be finite)", self.std));
        }
        Ok(())
    }

    /// The tensor shape fed to the model (batch of one).
    pub fn input_shape(&self) -> [usize; 4] {
        let (w, h) = (self.input_width as usize, self.input_height as usize);
        match self.layout {
            TensorLayout::Nchw => [1, 3, h, w],
            TensorLayout::Nhwc => [1, h, w, 3],
        }
    }

    /// The input tensor for an aligned crop of `input_width` x `input_height`.
    pub fn tensor(&self, crop: &RgbImage) -> Vec<f32> {
        let (w, h) = (crop.width() as usize, crop.height() as usize);
        let mut out = vec![0.0f32; 3 * w * h];
        let order = match self.channel_order {
            ChannelOrder::Rgb => [0, 1, 2],
            ChannelOrder::Bgr => [2, 1, 0],
        };
        let scale = self.std.map(|s| 1.0 / s);
        for (i, p) in crop.pixels().enumerate() {
            for (c, &src) in order.iter().enumerate() {
                let v = (f32::from(p.0[src]) - self.mean[c]) * scale[c];
                match self.layout {
                    TensorLayout::Nchw => out[c * w * h + i] = v,
                    TensorLayout::Nhwc => out[i * 3 + c] = v,
                }
            }
        }
        out
    }

    /// A stable text form, used in the model identity and accepted by [`FromStr`]:
    /// `size=112x112,order=rgb,mean=127:127:127,std=128:128:128,layout=nchw`.
    pub fn canonical(&self) -> String {
        let triple = |v: [f32; 3]| format!("{}:{}:{}", v[0], v[1], v[2]);
        format!(
            "size={}x{},order={},mean={},std={},layout={}",
            self.input_width,
            self.input_height,
            match self.channel_order {
                ChannelOrder::Rgb => "rgb",
                ChannelOrder::Bgr => "bgr",
            },
            triple(self.mean),
            triple(self.std),
            self.layout.name().to_lowercase()
        )
    }
}

impl fmt::Display for EmbedderSpec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.canonical())
    }
}

impl FromStr for EmbedderSpec {
    type Err = FaceError;

    /// Parses `key=value` pairs separated by commas; keys left out keep the default (the
    /// embedded model's) values. Keys: `size=WxH` (or `size=N`), `order=rgb|bgr`,
    /// `mean=V` or `mean=R:G:B`, `std=V` or `std=R:G:B`, `layout=nchw|nhwc`.
    /// Example: `size=112x112,order=bgr,mean=127.5,std=127.5,layout=nhwc`.
    fn from_str(s: &str) -> Result<Self, FaceError> {
        let bad = |m: String| FaceError::InvalidSpec(m);
        let mut spec = EmbedderSpec::default();
        // A key given twice is a typo or a pasted spec: taking either value silently would
        // feed the model what the user did not mean.
        let mut given: Vec<(String, &str)> = Vec::new();
        for part in s.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let (key, value) = part.split_once('=').ok_or_else(|| bad(format!("'{part}' is not key=value")))?;
            let value = value.trim();
            let key_lower = key.trim().to_ascii_lowercase();
            if let Some((_, first)) = given.iter().find(|(k, _)| *k == key_lower) {
                return Err(bad(format!("key '{key_lower}' is given twice ('{first}' and '{part}'); give it once")));
            }
            given.push((key_lower.clone(), part));
            match key_lower.as_str() {
                "size" => {
                    let (w, h) = value.split_once(['x', 'X']).unwrap_or((value, value));
                    let parse =
                        |v: &str| v.trim().parse::<u32>().map_err(|_| bad(format!("size '{value}' is not WxH")));
                    spec.input_width = parse(w)?;
                    spec.input_height = parse(h)?;
                }
                "order" => {
                    spec.channel_order = match value.to_ascii_lowercase().as_str() {
                        "rgb" => ChannelOrder::Rgb,
                        "bgr" => ChannelOrder::Bgr,
                        _ => return Err(bad(format!("order '{value}' is not rgb or bgr"))),
                    }
                }
                "layout" => {
                    spec.layout = match value.to_ascii_lowercase().as_str() {
                        "nchw" => TensorLayout::Nchw,
                        "nhwc" => TensorLayout::Nhwc,
                        _ => return Err(bad(format!("layout '{value}' is not nchw or nhwc"))),
                    }
                }
                key @ ("mean" | "std") => {
                    let values = value
                        .split(':')
                        .map(|v| v.trim().parse::<f32>())
                        .collect::<Result<Vec<_>, _>>()
                        .map_err(|_| bad(format!("{key} '{value}' is not a number or R:G:B")))?;
                    let triple = match values[..] {
                        [v] => [v; 3],
                        [r, g, b] => [r, g, b],
                        _ => return Err(bad(format!("{key} '{value}' needs one value or three"))),
                    };
                    if key == "mean" {
                        spec.mean = triple;
                    } else {
                        spec.std = triple;
                    }
                }
                other => {
                    return Err(bad(format!("unknown key '{other}' (size, order, mean, std, layout)")));
                }
            }
        }
        spec.validate()?;
        Ok(spec)
    }
}

/// What the check of an embedder found out about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmbedderInfo {
    pub input_name: String,
    pub output_name: String,
    /// The embedding length when the model declares it.
    pub dimension: Option<usize>,
    /// Declared shapes; -1 marks a dynamic dimension.
    pub input_shape: Vec<i64>,
    pub output_shape: Vec<i64>,
}

impl EmbedderInfo {
    /// `input 'input' [1,3,112,112] · output 'fc1' [1,512] (512-d embeddings)`.
    pub fn describe(&self) -> String {
        let dimension =
            self.dimension.map_or("embedding length decided at run time".into(), |d| format!("{d}-d embeddings"));
        format!(
            "input '{}' {} · output '{}' {} ({dimension})",
            self.input_name,
            dims_text(&self.input_shape),
            self.output_name,
            dims_text(&self.output_shape)
        )
    }
}

/// Opens an ONNX file and checks it against `spec`: one float32 image input whose declared
/// shape fits the spec, and a float32 output. The error names what does not fit.
pub fn check_embedder(path: &Path, spec: &EmbedderSpec) -> Result<EmbedderInfo, FaceError> {
    spec.validate()?;
    let bytes = std::fs::read(path).map_err(|source| FaceError::Io { path: path.to_path_buf(), source })?;
    let name = path.display().to_string();
    let session = runtime::session(&name, &bytes, 1)?;
    check_session(&name, &session, spec)
}

fn dims_text(shape: &[i64]) -> String {
    let dims: Vec<String> = shape.iter().map(|d| if *d < 0 { "?".into() } else { d.to_string() }).collect();
    format!("[{}]", dims.join(","))
}

/// The layout a 4-d shape looks like, from where its 3 channels are.
fn apparent_layout(shape: &[i64]) -> Option<TensorLayout> {
    match (shape[1], shape[3]) {
        (3, c) if c != 3 => Some(TensorLayout::Nchw),
        (c, 3) if c != 3 => Some(TensorLayout::Nhwc),
        _ => None,
    }
}

/// Checks a session's declared input and output against `spec`.
pub fn check_session(model: &str, session: &Session, spec: &EmbedderSpec) -> Result<EmbedderInfo, FaceError> {
    let mismatch = |problem: String| FaceError::SpecMismatch { model: model.to_string(), problem };
    let inputs = session.inputs();
    let input = match inputs {
        [] => return Err(mismatch("the model has no input".into())),
        [one] => one,
        many => {
            let names: Vec<String> = many.iter().map(|i| format!("'{}'", i.name())).collect();
            return Err(mismatch(format!(
                "the model has {} inputs ({}); a face embedder takes exactly one image",
                many.len(),
                names.join(", ")
            )));
        }
    };
    let name = input.name();
    let ValueType::Tensor { ty, shape, .. } = input.dtype() else {
        return Err(mismatch(format!("input '{name}' is {}, not a tensor", input.dtype())));
    };
    if *ty != TensorElementType::Float32 {
        return Err(mismatch(format!("input '{name}' holds {ty}; pairscope feeds float32")));
    }
    if shape.len() != 4 {
        return Err(mismatch(format!(
            "input '{name}' is {} ({} dimensions); an image input has 4 (NCHW or NHWC)",
            dims_text(shape),
            shape.len()
        )));
    }
    let input_shape = shape;
    let want = spec.input_shape().map(|d| d as i64);
    let fits = shape.iter().zip(&want).all(|(have, want)| *have < 0 || have == want);
    if !fits {
        let shown = dims_text(shape);
        let problem = match apparent_layout(shape) {
            Some(layout) if layout != spec.layout => format!(
                "input '{name}' is {shown} ({}) but the spec says {} {}",
                layout.name(),
                spec.layout.name(),
                dims_text(&want)
            ),
            _ if shape[0] >= 0 && shape[0] != 1 => {
                format!(
                    "input '{name}' is {shown}: a fixed batch of {}, but pairscope feeds one image at a time",
                    shape[0]
                )
            }
            _ => {
                let (c, h, w) = match spec.layout {
                    TensorLayout::Nchw => (shape[1], shape[2], shape[3]),
                    TensorLayout::Nhwc => (shape[3], shape[1], shape[2]),
                };
                if c >= 0 && c != 3 {
                    format!(
                        "input '{name}' is {shown} with {c} channels in {} order; pairscope feeds 3",
                        spec.layout.name()
                    )
                } else {
                    let size = |d: i64| {
                        if d < 0 { "?".to_string() } else { d.to_string() }
                    };
                    format!(
                        "input '{name}' is {shown} ({}x{} pixels, {}) but the spec says {}x{}",
                        size(w),
                        size(h),
                        spec.layout.name(),
                        spec.input_width,
                        spec.input_height
                    )
                }
            }
        };
        return Err(mismatch(problem));
    }

    let output = session.outputs().first().ok_or_else(|| mismatch("the model has no output".into()))?;
    let out_name = output.name();
    let ValueType::Tensor { ty, shape, .. } = output.dtype() else {
        return Err(mismatch(format!("output '{out_name}' is {}, not a tensor", output.dtype())));
    };
    if *ty != TensorElementType::Float32 {
        return Err(mismatch(format!("output '{out_name}' holds {ty}; an embedding must be float32")));
    }
    if shape.is_empty() {
        return Err(mismatch(format!("output '{out_name}' is a scalar, not an embedding")));
    }
    let per_image = if shape.len() == 1 { &shape[..] } else { &shape[1..] };
    if shape.len() > 1 && shape[0] > 1 {
        return Err(mismatch(format!(
            "output '{out_name}' is {}: a batch of {}, but one image goes in",
            dims_text(shape),
            shape[0]
        )));
    }
    let dimension = if per_image.iter().all(|d| *d >= 0) {
        let n: i64 = per_image.iter().product();
        if n < 2 {
            return Err(mismatch(format!("output '{out_name}' is {}: too small to be an embedding", dims_text(shape))));
        }
        Some(n as usize)
    } else {
        None
    };
    Ok(EmbedderInfo {
        input_name: name.to_string(),
        output_name: out_name.to_string(),
        dimension,
        input_shape: input_shape.to_vec(),
        output_shape: shape.to_vec(),
    })
}

/// Why [`embed`] gave no embedding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EmbedFailure {
    /// ONNX Runtime failed, or the output has the wrong length: a fault of the run or the model.
    Model(String),
    /// The model ran, but its output cannot be compared with any other (see [`check_output`]).
    Unusable(String),
}

/// Refuses an output no cosine can be taken of: a NaN or infinity anywhere, or all zeros (a
/// zero vector would score 0 against every face, a silent wrong answer rather than none).
pub fn check_output(values: &[f32]) -> Result<(), String> {
    if values.iter().any(|v| !v.is_finite()) {
        return Err("the model's output is not finite".into());
    }
    if values.iter().all(|v| *v == 0.0) {
        return Err("the model's output has zero norm".into());
    }
    Ok(())
}

/// Runs the embedder on an aligned crop; returns the L2-normalised embedding.
pub fn embed(
    session: &mut Session,
    info: &EmbedderInfo,
    spec: &EmbedderSpec,
    crop: &RgbImage,
) -> Result<Vec<f32>, EmbedFailure> {
    let tensor = spec.tensor(crop);
    let mut outputs =
        runtime::run(session, &spec.input_shape(), &tensor, &[&info.output_name]).map_err(EmbedFailure::Model)?;
    let mut values = outputs.pop().ok_or_else(|| EmbedFailure::Model("the embedder gave no output".into()))?.values;
    if let Some(d) = info.dimension
        && values.len() != d
    {
        return Err(EmbedFailure::Model(format!("the embedder gave {} values; it declares {d}", values.len())));
    }
    if values.len() < 2 {
        return Err(EmbedFailure::Model("the embedder gave an empty embedding".into()));
    }
    check_output(&values).map_err(EmbedFailure::Unusable)?;
    l2_normalize(&mut values);
    Ok(values)
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::Rgb;

    #[test]
    fn default_is_fr_feature() {
        let spec = EmbedderSpec::default();
        assert_eq!(spec.input_shape(), [1, 3, 112, 112]);
        assert_eq!(spec.canonical(), "size=112x112,order=rgb,mean=127:127:127,std=128:128:128,layout=nchw");
        assert_eq!(spec.canonical().parse::<EmbedderSpec>().unwrap(), spec);
        assert_eq!("".parse::<EmbedderSpec>().unwrap(), spec);
    }

    #[test]
    fn parse_spec() {
        let spec: EmbedderSpec = "size=96x112, order=BGR, mean=127.5, std=1:2:4, layout=nhwc".parse().unwrap();
        assert_eq!((spec.input_width, spec.input_height), (96, 112));
        assert_eq!(spec.channel_order, ChannelOrder::Bgr);
        assert_eq!(spec.mean, [127.5; 3]);
        assert_eq!(spec.std, [1.0, 2.0, 4.0]);
        assert_eq!(spec.layout, TensorLayout::Nhwc);
        assert_eq!(spec.input_shape(), [1, 112, 96, 3]);
        let twice = "size=112x112,order=rgb,SIZE=96x96".parse::<EmbedderSpec>().unwrap_err().to_string();
        assert!(twice.contains("key 'size' is given twice ('size=112x112' and 'SIZE=96x96')"), "{twice}");
        for bad in [
            "size=0x5",
            "std=0",
            "std=1e-45",
            "std=1:1:-1e-39",
            "order=rgba",
            "mean=1:2",
            "colour=red",
            "layout",
            "std=1,std=1",
        ] {
            assert!(bad.parse::<EmbedderSpec>().is_err(), "{bad}");
        }
    }

    #[test]
    fn tensor_layouts_and_order() {
        // 2x1 crop: pixel 0 = (10, 20, 30), pixel 1 = (40, 50, 60).
        let crop = RgbImage::from_fn(2, 1, |x, _| if x == 0 { Rgb([10, 20, 30]) } else { Rgb([40, 50, 60]) });
        let nchw = EmbedderSpec { mean: [0.0; 3], std: [1.0; 3], ..EmbedderSpec::default() };
        assert_eq!(nchw.tensor(&crop), vec![10.0, 40.0, 20.0, 50.0, 30.0, 60.0]);
        let nhwc_bgr = EmbedderSpec { layout: TensorLayout::Nhwc, channel_order: ChannelOrder::Bgr, ..nchw };
        assert_eq!(nhwc_bgr.tensor(&crop), vec![30.0, 20.0, 10.0, 60.0, 50.0, 40.0]);
        let scaled = EmbedderSpec { mean: [10.0, 20.0, 30.0], std: [2.0, 4.0, 10.0], ..nchw };
        assert_eq!(scaled.tensor(&crop), vec![0.0, 15.0, 0.0, 7.5, 0.0, 3.0]);
        let fr = EmbedderSpec::default().tensor(&RgbImage::from_pixel(1, 1, Rgb([255, 127, 0])));
        assert_eq!(fr, vec![1.0, 0.0, -127.0 / 128.0]);
    }

    #[test]
    fn outputs_without_a_direction_are_refused() {
        assert_eq!(check_output(&[0.0, f32::NAN, 1.0]).unwrap_err(), "the model's output is not finite");
        assert_eq!(check_output(&[f32::INFINITY, 1.0]).unwrap_err(), "the model's output is not finite");
        assert_eq!(check_output(&[0.0, -0.0, 0.0]).unwrap_err(), "the model's output has zero norm");
        assert_eq!(check_output(&[0.0, 1e-30]), Ok(()));
    }

    #[test]
    fn apparent_layout_by_channel_position() {
        assert_eq!(apparent_layout(&[1, 3, 112, 112]), Some(TensorLayout::Nchw));
        assert_eq!(apparent_layout(&[1, 112, 112, 3]), Some(TensorLayout::Nhwc));
        assert_eq!(apparent_layout(&[1, 3, 3, 3]), None);
        assert_eq!(dims_text(&[-1, 3, 112, 112]), "[?,3,112,112]");
    }
}
