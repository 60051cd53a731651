pub trait Describe {
    fn describe(&self) -> String;
}
