#include <functional>
#include <map>
#include <mutex>
#include "registry.h"

namespace app::plugins {

/// Something that can be looked up by name.
template <typename Key, typename Value, typename Compare = std::less<Key>>
class Registry {
 public:
  using Factory = std::function<Value()>;
  enum Mode { Strict, Lenient };

  class Handle {
   public:
    explicit Handle(const Key &key) : key_(key) {}
    explicit operator bool() const { return valid_; }
    const Key &key() const { return key_; }

   private:
    Key key_;
    bool valid_ = true;
  };

  template <typename... Args>
  Handle emplace(const Key &key, Args &&...args) {
    std::lock_guard<std::mutex> lock(mutex_);
    entries_.emplace(key, Value(std::forward<Args>(args)...));
    return Handle(key);
  }

  bool contains(const Key &key) const { return entries_.count(key) != 0; }
  Value &operator()(const Key &key) { return entries_.at(key); }

 protected:
  Mode mode_ = Strict;

 private:
  std::map<Key, Value, Compare> entries_;
  mutable std::mutex mutex_;
};

/// Registries keyed by integers get a dense vector instead.
template <typename Value>
class Registry<int, Value> {
 public:
  Value &operator()(int key) { return slots_.at(key); }

 private:
  std::vector<Value> slots_;
};

union Slot {
  int as_int;
  float as_float;
  void *as_pointer;
};

struct PluginInfo {
  const char *name;
  int version;
  Slot payload;
};

template <typename T>
T clamp(T value, T lo, T hi) {
  return value < lo ? lo : (hi < value ? hi : value);
}

template <>
int clamp<int>(int value, int lo, int hi) {
  return std::max(lo, std::min(value, hi));
}

int load_all(Registry<std::string, PluginInfo> &registry) {
  struct Visitor {
    int seen = 0;
    void operator()(const PluginInfo &info) { seen += info.version; }
  };
  Visitor visitor;
  auto handle = registry.emplace("core", PluginInfo{"core", 1, Slot{}});
  if (!handle) {
    return -1;
  }
  visitor(registry(handle.key()));
  auto info = Registry<std::string, PluginInfo>::Handle("extra");
  return clamp(visitor.seen, 0, 100);
}

}  // namespace app::plugins
