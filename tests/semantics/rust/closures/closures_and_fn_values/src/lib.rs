pub struct Job;

impl Job {
    pub fn run(&self) {}
}

fn log(msg: &str) {
    println!("{}", msg);
}

fn make_job() -> Job {
    Job
}

pub fn schedule(jobs: Vec<Job>) {
    let notify = |j: &Job| {
        j.run();
        log("done");
    };
    for job in &jobs {
        notify(job);
    }
    let f = make_job;
    f().run();
    jobs.iter().for_each(|j| j.run());
    let step = log;
    step("x");
}

pub fn nested() {
    fn inner() -> Job {
        Job
    }
    inner().run();
}

fn double(x: i32) -> i32 {
    x * 2
}

fn triple(x: i32) -> i32 {
    x * 3
}

fn apply<F: Fn(i32) -> i32>(f: F, x: i32) -> i32 {
    f(x)
}

fn apply_ptr(f: fn(i32) -> i32, x: i32) -> i32 {
    f(x)
}

pub fn higher_order(jobs: &[Job], maybe: Option<Job>) -> i32 {
    let names: Vec<usize> = jobs.iter().map(|j| { j.run(); 1 }).collect();
    maybe.map(|m| m.run());
    apply(double, 1) + apply_ptr(triple, 2) + names.len() as i32
}

pub fn pipeline() -> i32 {
    let steps = vec![double, triple];
    let mut acc = 1;
    for step in steps {
        acc = step(acc);
    }
    let typed: Vec<fn(i32) -> i32> = vec![double];
    typed[0](acc)
}
