#pragma once

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <exception>
#include <system_error>
#include <thread>
#include <vector>

/// @file
/// The one way render splits a fixed number of pieces of work over threads: a map's bands
/// (map.cpp) and a large PNG's deflate parts (png.cpp).

namespace choro::render::detail {

/// Calls `piece(k)` for every k in [0, count), on up to `threads` threads (the calling one
/// among them), each taking the next k as it finishes one. When no thread can be started the
/// calling one does all. Rethrows the exception of the lowest k that threw, after every thread
/// has stopped.
template <class Piece>
void for_each_piece(std::size_t count, unsigned threads, const Piece& piece) {
    std::atomic<std::size_t> next{0};
    std::vector<std::exception_ptr> failed(count);
    const auto work = [&] {
        for (std::size_t k = next++; k < count; k = next++) {
            try {
                piece(k);
            } catch (...) {
                failed[k] = std::current_exception();
            }
        }
    };
    std::vector<std::thread> helpers;
    const std::size_t extra = std::min<std::size_t>(std::max(threads, 1u), std::max<std::size_t>(count, 1)) - 1;
    for (std::size_t i = 0; i < extra; ++i) {
        try {
            helpers.emplace_back(work);
        } catch (const std::system_error&) {
            break;  // no thread to spare: the others do the rest
        }
    }
    work();
    for (auto& helper : helpers) {
        helper.join();
    }
    for (const auto& e : failed) {
        if (e) {
            std::rethrow_exception(e);
        }
    }
}

}  // namespace choro::render::detail
