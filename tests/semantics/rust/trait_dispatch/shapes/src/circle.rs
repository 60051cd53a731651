use crate::shape::{Named, Shape};

pub struct Circle {
    radius: f64,
}

impl Circle {
    pub fn new(radius: f64) -> Self {
        Self { radius }
    }
}

impl Shape for Circle {
    fn area(&self) -> f64 {
        3.14 * self.radius * self.radius
    }
}

impl Named for Circle {
    fn name(&self) -> String {
        "circle".to_string()
    }

    fn describe(&self) -> String {
        format!("a circle: {}", self.name())
    }
}
