pub trait Shape {
    fn area(&self) -> f64;
}

pub trait Named: Shape {
    fn name(&self) -> String;

    fn describe(&self) -> String {
        format!("{} of area {}", self.name(), self.area())
    }
}
