//! Face boxes: overlap, non-maximum suppression, clipping.

/// A detected face: corners in pixels and the detector's face probability.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FaceBox {
    pub x1: f32,
    pub y1: f32,
    pub x2: f32,
    pub y2: f32,
    pub score: f32,
}

impl FaceBox {
    pub fn width(&self) -> f32 {
        (self.x2 - self.x1).max(0.0)
    }

    pub fn height(&self) -> f32 {
        (self.y2 - self.y1).max(0.0)
    }

    pub fn area(&self) -> f32 {
        self.width() * self.height()
    }

    /// Intersection over union, 0 when either box is empty.
    pub fn iou(&self, other: &FaceBox) -> f32 {
        let w = (self.x2.min(other.x2) - self.x1.max(other.x1)).max(0.0);
        let h = (self.y2.min(other.y2) - self.y1.max(other.y1)).max(0.0);
        let inter = w * h;
        let union = self.area() + other.area() - inter;
        if union > 0.0 { inter / union } else { 0.0 }
    }

    /// The box cut to `[0, width] x [0, height]`; `None` if nothing of it is left or a
    /// coordinate is not finite.
    pub fn clipped(&self, width: f32, height: f32) -> Option<FaceBox> {
        if ![self.x1, self.y1, self.x2, self.y2].iter().all(|v| v.is_finite()) {
            return None;
        }
        let b = FaceBox {
            x1: self.x1.clamp(0.0, width),
            y1: self.y1.clamp(0.0, height),
            x2: self.x2.clamp(0.0, width),
            y2: self.y2.clamp(0.0, height),
            score: self.score,
        };
        (b.width() > 0.0 && b.height() > 0.0).then_some(b)
    }

    /// The same box shifted by (dx, dy).
    pub fn translated(&self, dx: f32, dy: f32) -> FaceBox {
        FaceBox { x1: self.x1 + dx, y1: self.y1 + dy, x2: self.x2 + dx, y2: self.y2 + dy, score: self.score }
    }
}

/// Greedy non-maximum suppression: boxes by falling score, each kept unless it overlaps an
/// already kept box by IoU above `iou_threshold`. Ties keep input order.
pub fn nms(mut boxes: Vec<FaceBox>, iou_threshold: f32) -> Vec<FaceBox> {
    boxes.sort_by(|a, b| b.score.total_cmp(&a.score));
    let mut kept: Vec<FaceBox> = Vec::new();
    for candidate in boxes {
        if kept.iter().all(|k| k.iou(&candidate) <= iou_threshold) {
            kept.push(candidate);
        }
    }
    kept
}

/// The box with the largest area (the first of equals), if any.
pub fn largest(boxes: &[FaceBox]) -> Option<FaceBox> {
    boxes.iter().copied().reduce(|best, b| if b.area() > best.area() { b } else { best })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn b(x1: f32, y1: f32, x2: f32, y2: f32, score: f32) -> FaceBox {
        FaceBox { x1, y1, x2, y2, score }
    }

    #[test]
    fn iou_by_hand() {
        let a = b(0.0, 0.0, 10.0, 10.0, 1.0);
        assert_eq!(a.iou(&a), 1.0);
        // Overlap 5x10 = 50, union 100 + 100 - 50 = 150.
        assert!((a.iou(&b(5.0, 0.0, 15.0, 10.0, 1.0)) - 50.0 / 150.0).abs() < 1e-6);
        assert_eq!(a.iou(&b(20.0, 20.0, 30.0, 30.0, 1.0)), 0.0);
        assert_eq!(a.iou(&b(3.0, 3.0, 3.0, 9.0, 1.0)), 0.0); // empty box
    }

    #[test]
    fn nms_keeps_best_of_each_cluster() {
        let boxes = vec![
            b(0.0, 0.0, 10.0, 10.0, 0.8),
            b(1.0, 1.0, 11.0, 11.0, 0.9), // IoU with the first = 81/119 = 0.68
            b(50.0, 50.0, 60.0, 60.0, 0.7),
            b(5.0, 0.0, 15.0, 10.0, 0.75), // IoU with the 0.9 box = 54/146 = 0.37: kept
        ];
        let kept = nms(boxes, 0.4);
        let scores: Vec<f32> = kept.iter().map(|k| k.score).collect();
        assert_eq!(scores, vec![0.9, 0.75, 0.7]);
    }

    #[test]
    fn nms_threshold_is_exclusive() {
        // IoU exactly 1/3 with threshold 1/3 is kept (suppression needs IoU above it).
        let kept = nms(vec![b(0.0, 0.0, 10.0, 10.0, 0.9), b(5.0, 0.0, 15.0, 10.0, 0.8)], 50.0 / 150.0);
        assert_eq!(kept.len(), 2);
        assert_eq!(nms(Vec::new(), 0.4), Vec::new());
    }

    #[test]
    fn clipping_cuts_to_the_frame() {
        let c = b(-5.0, 2.0, 50.0, 120.0, 0.7).clipped(40.0, 100.0).unwrap();
        assert_eq!(c, b(0.0, 2.0, 40.0, 100.0, 0.7));
        assert_eq!(b(-5.0, -5.0, -1.0, 10.0, 0.7).clipped(40.0, 100.0), None);
        assert_eq!(b(f32::NAN, 0.0, 1.0, 1.0, 0.7).clipped(40.0, 100.0), None);
    }

    #[test]
    fn largest_by_area() {
        let boxes = [b(0.0, 0.0, 10.0, 10.0, 0.99), b(0.0, 0.0, 20.0, 6.0, 0.7), b(0.0, 0.0, 5.0, 5.0, 0.8)];
        assert_eq!(largest(&boxes).unwrap().score, 0.7);
        assert_eq!(largest(&[]), None);
    }
}
