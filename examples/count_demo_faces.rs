fn main() {
    let engine = pairscope::face::FaceEngine::builtin().unwrap();
    for (name, bytes) in pairscope::demo::photos() {
        let img = image::load_from_memory(bytes).unwrap().to_rgb8();
        let faces = engine.detect_faces(&img).unwrap();
        println!("{name}: {} faces {:?}", faces.len(), faces.iter().map(|f| (f.x1 as i32, f.y1 as i32, f.width() as i32)).collect::<Vec<_>>());
    }
}
