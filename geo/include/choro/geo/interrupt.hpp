#pragma once

#include <filesystem>

#include "choro/geo/error.hpp"

/// @file
/// Stopping on SIGINT/SIGTERM without leaving anything behind. The CLI's signal handler calls
/// request_interrupt(); long loops call check_interrupted() at safe points, which throws
/// Interrupted, so the stack unwinds, every AtomicFile removes its temporary and the previous
/// outputs stay as they were. Temporaries are also registered here, so a second signal (the user
/// insisting) can remove them from the handler itself and exit at once.

namespace choro::geo {

/// Thrown at a safe point after SIGINT/SIGTERM. The CLI maps it to exit code 8.
class Interrupted : public Error {
public:
    explicit Interrupted(int signal);
    [[nodiscard]] int signal() const noexcept { return m_signal; }

private:
    int m_signal;
};

/// Records that `signal` arrived. Async-signal-safe (a lock-free atomic store).
void request_interrupt(int signal) noexcept;

/// True once request_interrupt() was called. Cheap (one relaxed atomic load): call it in loops.
[[nodiscard]] bool interrupted() noexcept;

/// Forgets a requested interrupt (for tests, and programs that handled it and go on).
void reset_interrupt() noexcept;

/// Throws Interrupted when an interrupt was requested.
///
///     for (auto& feature : layer) { geo::check_interrupted(); … }
void check_interrupted();

/// Registers a temporary file for removal by remove_registered_temporaries(); returns a slot
/// (-1 when the table is full or the path too long: then only the normal unwinding removes it).
/// Thread-safe. O(slots).
[[nodiscard]] int register_temporary(const std::filesystem::path& path) noexcept;

/// Forgets a slot returned by register_temporary() (after a commit or a removal). Thread-safe.
void unregister_temporary(int slot) noexcept;

/// Unlinks every registered temporary. Async-signal-safe (only atomics and unlink(2)).
void remove_registered_temporaries() noexcept;

}  // namespace choro::geo
