use super::super::util::retry;

pub struct Client {
    addr: String,
}

impl Client {
    pub fn connect(addr: &str) -> Client {
        retry(1);
        Client { addr: addr.to_string() }
    }

    pub fn send(&self, data: &[u8]) -> usize {
        self.flush();
        data.len()
    }

    fn flush(&self) {}
}
