use std::collections::HashMap;

#[derive(Default, Clone)]
pub struct Config {
    name: String,
}

impl Config {
    pub fn new(name: &str) -> Self {
        Config { name: name.to_string() }
    }

    pub fn with_defaults() -> Config {
        let mut c = Self::new("default");
        c.normalize();
        c
    }

    fn normalize(&mut self) {
        self.name = self.name.trim().to_string();
    }

    pub fn parse(text: &str) -> Result<Config, String> {
        if text.is_empty() {
            return Err("empty".into());
        }
        Ok(Config::new(text))
    }
}

pub struct Registry {
    configs: HashMap<String, Config>,
    current: Option<Config>,
}

impl Registry {
    pub fn new() -> Registry {
        Registry { configs: HashMap::new(), current: None }
    }

    pub fn load(&mut self, text: &str) -> Result<(), String> {
        let cfg = Config::parse(text)?;
        cfg.clone().normalize();
        self.current = Some(cfg);
        if let Some(c) = &self.current {
            c.clone().normalize();
        }
        self.current.as_ref().unwrap().clone();
        Ok(())
    }
}

pub fn build() -> Registry {
    let mut r = Registry::new();
    r.load("x").unwrap();
    let c = Config::with_defaults();
    Config::parse("y").unwrap().normalize();
    let t = Tuple(1);
    t.get();
    r
}

pub struct Tuple(u32);

impl Tuple {
    fn get(&self) -> u32 {
        self.0
    }
}
