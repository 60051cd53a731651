//! Every form of `use`, `extern crate` and `mod`, plus every kind of call.

#[macro_use]
extern crate log;
extern crate serde_json as json;

use std::io::{self, BufRead, Write as _};
use std::sync::{
    atomic::{AtomicUsize, Ordering},
    Arc, Mutex,
};
use std::path::PathBuf as Path;
use std::fs;
use std::env::*;
use ::regex::Regex;
use crate::config::Settings;
use self::cache::Cache;
use super::errors::{Error, Result};
pub use crate::config::Mode;
pub(crate) use self::cache::Entry as CacheEntry;
use std::time::Duration;

mod cache;
pub mod config;
#[path = "platform/unix.rs"]
mod platform;

static HITS: AtomicUsize = AtomicUsize::new(0);

pub struct Service {
    settings: Settings,
    cache: Arc<Mutex<Cache>>,
}

impl Service {
    pub fn new(settings: Settings) -> Self {
        let cache = Arc::new(Mutex::new(Cache::default()));
        Service { settings, cache }
    }

    pub fn load(&self, name: &str) -> Result<String> {
        HITS.fetch_add(1, Ordering::Relaxed);
        let re = Regex::new(r"^\w+$").map_err(Error::from)?;
        if !re.is_match(name) {
            warn!("bad name {}", name);
            return Err(Error::InvalidName(name.to_string()));
        }
        let path: Path = self.settings.root.join(name);
        let text = fs::read_to_string(&path).map_err(|e| Error::Io(e))?;
        let parsed: json::Value = json::from_str(&text)?;
        self.cache.lock().unwrap().insert(name, parsed.clone());
        Ok(parsed.to_string())
    }

    pub fn lines(&self) -> io::Result<Vec<String>> {
        let stdin = io::stdin();
        let handle = stdin.lock();
        BufRead::lines(handle).collect::<Result<Vec<_>, _>>()
    }
}

fn helper<T: Into<String>>(value: T) -> String {
    let s: String = value.into();
    format!("{}-{}", s, s.len(),)
}

pub fn run() {
    let service = Service::new(Settings::from_env());
    let names = vec!["a", "b"];
    for n in names.iter() {
        match service.load(n) {
            Ok(v) => println!("{v}"),
            Err(e) => eprintln!("error: {:?}", e),
        }
    }
    let counter = Some(helper::<&str>("x"));
    let _ = std::mem::take(&mut vec![0u8; 4]);
    log::info!(target: "svc", "done {}", counter.unwrap_or_default());
    std::thread::sleep(Duration::from_millis(10));
}

mod inner {
    use super::helper;
    use self::deep::Thing;
    use super::super::Shared;

    mod deep;

    pub fn call() -> String {
        helper(Thing::name())
    }
}
