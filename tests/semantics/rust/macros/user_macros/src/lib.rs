macro_rules! square {
    ($x:expr) => {
        $x * $x
    };
}

pub struct Counter {
    n: u32,
}

impl Counter {
    fn value(&self) -> u32 {
        self.n
    }

    fn show(&self) -> String {
        format!("{} {}", self.value(), square!(2))
    }
}

fn compute() -> u32 {
    3
}

pub fn run(c: Counter) {
    println!("{}", compute());
    assert_eq!(c.value(), square!(3));
    let v = vec![1, 2];
    c.show();
}
