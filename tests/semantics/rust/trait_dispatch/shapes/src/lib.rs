pub mod shape;
pub mod circle;

use crate::circle::Circle;
use crate::shape::{Named, Shape};

pub struct Square {
    side: f64,
}

impl Shape for Square {
    fn area(&self) -> f64 {
        self.side * self.side
    }
}

impl Named for Square {
    fn name(&self) -> String {
        String::from("square")
    }
}

pub fn total(shapes: &[Box<dyn Shape>]) -> f64 {
    let mut sum = 0.0;
    for s in shapes {
        sum += s.area();
    }
    sum
}

pub fn report(n: &dyn Named) -> String {
    n.describe()
}

pub fn concrete() -> f64 {
    let c = Circle::new(2.0);
    let sq = Square { side: 1.0 };
    sq.describe();
    c.area() + sq.area()
}
