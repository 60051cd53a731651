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
