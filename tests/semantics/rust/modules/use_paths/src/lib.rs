pub mod net;
pub mod util;

use crate::net::client::Client;
use crate::util as helpers;

pub fn main_entry() {
    let c = Client::connect("x");
    c.send(b"hi");
    helpers::retry(3);
    util::retry(1);
    inline::inner_fn();
    self::inline::inner_fn();
}

mod inline {
    pub fn inner_fn() {
        super::util::retry(2);
        helper();
    }

    fn helper() {}
}

pub fn via_mod() -> u32 {
    util::retry(5)
}

pub fn from_root() -> u32 {
    crate::util::retry(6)
}
