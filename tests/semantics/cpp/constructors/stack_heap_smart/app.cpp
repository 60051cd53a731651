#include <memory>
#include <string>

class Logger {
public:
    Logger() {}
    explicit Logger(const std::string& prefix) : prefix_(prefix) {}
    void log(const std::string& msg) { write(prefix_ + msg); }
private:
    void write(const std::string& line) {}
    std::string prefix_;
};

class Service {
public:
    Service(Logger* logger) : logger_(logger) {}
    void start() { logger_->log("start"); }
    static Service* create(Logger* logger) { return new Service(logger); }
private:
    Logger* logger_;
};

Logger make_logger() {
    return Logger("app: ");
}

int main() {
    Logger plain;
    Logger named("x");
    Logger braced{"y"};
    auto heap = new Logger("z");
    auto shared = std::make_shared<Logger>("s");
    auto made = make_logger();
    Service* svc = Service::create(heap);
    svc->start();
    named.log("a");
    braced.log("b");
    heap->log("c");
    shared->log("d");
    made.log("e");
    Logger("tmp").log("f");
    delete heap;
    return 0;
}

int owner() {
    std::unique_ptr<Logger> held = std::make_unique<Logger>("h");
    held->log("g");
    Logger* raw = held.get();
    raw->log("r");
    return 0;
}
