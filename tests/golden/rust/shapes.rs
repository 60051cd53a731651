//! Geometric shapes with area and perimeter.
//!
//! Crate-level docs are inner comments and belong to no symbol.

use std::collections::HashMap;
use std::fmt::{self, Debug, Display};

/// Default tolerance for float comparisons.
pub const EPSILON: f64 = 1e-9;

static mut COUNTER: usize = 0;

/// A point in the plane.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Point {
    /// Horizontal coordinate.
    pub x: f64,
    pub y: f64,
}

/// Things that enclose an area.
pub trait Shape: Debug {
    /// Name of the shape family.
    const KIND: &'static str;
    type Unit;

    fn area(&self) -> f64;

    /// Perimeter; defaults to zero for degenerate shapes.
    fn perimeter(&self) -> f64 {
        0.0
    }
}

#[derive(Debug)]
pub enum Figure {
    Circle { center: Point, radius: f64 },
    Square(Point, f64),
    Empty,
}

pub(crate) type Registry<'a> = HashMap<&'a str, Box<dyn Shape<Unit = f64>>>;

impl Point {
    /// The origin.
    pub const ORIGIN: Point = Point { x: 0.0, y: 0.0 };

    pub fn new(x: f64, y: f64) -> Self {
        unsafe {
            COUNTER += 1;
        }
        Point { x, y }
    }

    pub fn distance(&self, other: &Point) -> f64 {
        ((self.x - other.x).powi(2) + (self.y - other.y).powi(2)).sqrt()
    }

    fn scale(&mut self, factor: f64) {
        self.x *= factor;
        self.y *= factor;
    }
}

impl Display for Point {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "({}, {})", self.x, self.y)
    }
}

impl fmt::LowerExp for Point {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "({:e}, {:e})", self.x, self.y)
    }
}

impl Shape for Figure {
    const KIND: &'static str = "figure";
    type Unit = f64;

    fn area(&self) -> f64 {
        match self {
            Figure::Circle { radius, .. } => std::f64::consts::PI * radius * radius,
            Figure::Square(_, side) => side * side,
            Figure::Empty => 0.0,
        }
    }
}

/// Largest area among `shapes`, if any.
pub fn largest<'a, S>(shapes: &'a [S]) -> Option<&'a S>
where
    S: Shape + ?Sized,
{
    shapes.iter().max_by(|a, b| a.area().partial_cmp(&b.area()).unwrap())
}

#[repr(C)]
pub union Bits {
    pub float: f64,
    int: u64,
}

#[macro_export]
macro_rules! point {
    ($x:expr, $y:expr) => {
        $crate::Point::new($x, $y)
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn circle_area() {
        let c = Figure::Circle { center: Point::new(0.0, 0.0), radius: 1.0 };
        assert!((c.area() - std::f64::consts::PI).abs() < EPSILON);
    }
}
