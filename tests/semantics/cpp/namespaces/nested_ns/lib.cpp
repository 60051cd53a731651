#include <string>

namespace net {
namespace http {

class Request {
public:
    std::string path() const { return "/"; }
};

Request parse(const std::string& raw) {
    return Request();
}

}  // namespace http

void serve(const std::string& raw) {
    http::Request req = http::parse(raw);
    req.path();
}

}  // namespace net

namespace util {
void log(const char* msg) {}
void parse() {}
}

using namespace util;

int main() {
    net::serve("GET /");
    net::http::parse("x").path();
    log("done");
    util::parse();
    return 0;
}
