#include <functional>
#include <string>

class Printer {
public:
    Printer() {}
    Printer(int width) : width_(width) {}
    Printer(int width, char fill) : width_(width) {}
    void print(int value) { pad(); }
    void print(const std::string& text, int times) { print(times); }
    void pad() {}
private:
    int width_ = 0;
};

void report() {}

void run() {
    Printer p(80, ' ');
    p.print(1);
    p.print("x", 2);
    Printer* q = new Printer(40);
    q->print(3);
    std::function<void()> done = report;
    done();
}
