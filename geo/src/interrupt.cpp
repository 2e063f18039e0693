#include "choro/geo/interrupt.hpp"

#include <array>
#include <atomic>
#include <cstring>
#include <string>

#include "detail/gdal_module.hpp"
#include <limits.h>
#include <signal.h>
#include <unistd.h>

namespace choro::geo {

namespace {

std::atomic<int> g_own_signal{0};
// The flag in use: this copy's own, or in libchoro_gdal.so (which holds a copy of this file) the
// loading process's (use_interrupt_flag), set once before the module reads anything.
std::atomic<int>* g_signal = &g_own_signal;

/// A fixed table (no allocation, no lock) the signal handler can walk: a slot is claimed with a
/// compare-exchange, its path written, then published by setting `ready`.
struct Slot {
    std::atomic<bool> claimed{false};
    std::atomic<bool> ready{false};
    char path[PATH_MAX] = {};
};

constexpr int slot_count = 64;
std::array<Slot, slot_count> g_slots;

static_assert(std::atomic<int>::is_always_lock_free && std::atomic<bool>::is_always_lock_free,
              "the signal handler needs lock-free atomics");

}  // namespace

Interrupted::Interrupted(int signal)
    : Error(std::string("interrupted by ") +
            (signal == SIGTERM  ? "SIGTERM"
             : signal == SIGINT ? "SIGINT"
                                : "a signal") +
            "; temporary files removed, previous outputs left as they were"),
      m_signal(signal) {}

std::atomic<int>* detail::interrupt_flag() noexcept {
    return g_signal;
}

void detail::use_interrupt_flag(std::atomic<int>* flag) noexcept {
    g_signal = flag != nullptr ? flag : &g_own_signal;
}

void request_interrupt(int signal) noexcept {
    g_signal->store(signal == 0 ? SIGINT : signal, std::memory_order_relaxed);
}

void reset_interrupt() noexcept {
    g_signal->store(0, std::memory_order_relaxed);
}

bool interrupted() noexcept {
    return g_signal->load(std::memory_order_relaxed) != 0;
}

void check_interrupted() {
    if (const int s = g_signal->load(std::memory_order_relaxed); s != 0) {
        throw Interrupted(s);
    }
}

int register_temporary(const std::filesystem::path& path) noexcept {
    const std::string& text = path.native();
    if (text.size() + 1 > sizeof(Slot::path)) {
        return -1;
    }
    for (int i = 0; i < slot_count; ++i) {
        bool expected = false;
        if (g_slots[static_cast<std::size_t>(i)].claimed.compare_exchange_strong(expected, true)) {
            Slot& s = g_slots[static_cast<std::size_t>(i)];
            std::memcpy(s.path, text.c_str(), text.size() + 1);
            s.ready.store(true, std::memory_order_release);
            return i;
        }
    }
    return -1;
}

void unregister_temporary(int slot) noexcept {
    if (slot < 0 || slot >= slot_count) {
        return;
    }
    Slot& s = g_slots[static_cast<std::size_t>(slot)];
    s.ready.store(false, std::memory_order_release);
    s.claimed.store(false, std::memory_order_release);
}

void remove_registered_temporaries() noexcept {
    for (auto& s : g_slots) {
        if (s.ready.load(std::memory_order_acquire)) {
            (void)::unlink(s.path);
        }
    }
}

}  // namespace choro::geo
