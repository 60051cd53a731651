package sh;

public class Runner {
    private Helper helper = new Helper();

    void run() { }

    void a() { helper.run(); }

    void b(Worker helper) { helper.run(); }

    void c() {
        Worker Helper = new Worker();
        Helper.run();
    }

    void d() {
        run();
        this.run();
    }

    void e() {
        for (Worker helper : new Worker[0]) {
            helper.run();
        }
        helper.run();
    }
}
