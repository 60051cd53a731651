pub fn retry(n: u32) -> u32 {
    n
}
