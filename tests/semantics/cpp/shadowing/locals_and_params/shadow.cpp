struct Engine {
    void run() {}
};

struct Wheel {
    void spin() {}
};

void run() {}
void spin() {}

void drive(Engine engine, void (*run)()) {
    run();
    engine.run();
    {
        Wheel engine;
        engine.spin();
    }
    engine.run();
}

void later() {
    run();
    spin();
    auto spin = []() {};
    spin();
}
