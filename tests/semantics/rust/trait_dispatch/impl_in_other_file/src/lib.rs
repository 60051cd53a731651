pub mod describe;
pub mod point;
pub mod point_impls;

use crate::describe::Describe;
use crate::point::Point;

pub fn show(p: &Point, d: &dyn Describe) -> String {
    p.norm();
    p.describe();
    d.describe()
}
