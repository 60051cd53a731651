use crate::describe::Describe;
use crate::point::Point;

impl Describe for Point {
    fn describe(&self) -> String {
        format!("{}", self.norm())
    }
}
