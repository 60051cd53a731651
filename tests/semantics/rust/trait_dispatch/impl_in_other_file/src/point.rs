pub struct Point {
    pub x: f64,
}

impl Point {
    pub fn norm(&self) -> f64 {
        self.x.abs()
    }
}
