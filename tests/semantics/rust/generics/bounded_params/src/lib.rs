pub trait Store {
    fn get(&self, key: &str) -> Option<String>;
    fn put(&mut self, key: &str, value: String);
}

pub struct MemStore {
    items: Vec<(String, String)>,
}

impl Store for MemStore {
    fn get(&self, key: &str) -> Option<String> {
        self.items.iter().find(|(k, _)| k == key).map(|(_, v)| v.clone())
    }

    fn put(&mut self, key: &str, value: String) {
        self.items.push((key.to_string(), value));
    }
}

pub struct Cache<S: Store> {
    backend: S,
    hits: u32,
}

impl<S: Store> Cache<S> {
    pub fn new(backend: S) -> Self {
        Cache { backend, hits: 0 }
    }

    pub fn lookup(&mut self, key: &str) -> Option<String> {
        self.hits += 1;
        self.backend.get(key)
    }
}

pub fn fill<T>(store: &mut T, n: usize)
where
    T: Store,
{
    for i in 0..n {
        store.put(&i.to_string(), String::new());
    }
}

pub fn first(store: impl Store) -> Option<String> {
    store.get("a")
}

pub fn run() {
    let mut cache = Cache::new(MemStore { items: Vec::new() });
    cache.lookup("a");
    let mut mem = MemStore { items: vec![] };
    fill(&mut mem, 3);
    first(mem);
}
