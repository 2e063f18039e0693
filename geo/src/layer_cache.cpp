#include "choro/geo/layer_cache.hpp"

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "detail/layer_cache.hpp"
#include <fcntl.h>
#include <gdal_version.h>
#include <unistd.h>
#include <xxhash.h>

#include "choro/geo/layer.hpp"

namespace choro::geo {

namespace fs = std::filesystem;

namespace {

// Bump when the reader's output or this format changes: old entries are then simply not found.
constexpr std::string_view format_tag = "choro prepared layer v1";
constexpr char magic[8] = {'C', 'H', 'O', 'R', 'O', 'L', 'C', '1'};
constexpr std::size_t header_size = sizeof(magic) + 16 + 8 + 16;  // magic, key, payload size, checksum

struct Hash128 {
    std::uint64_t lo = 0;
    std::uint64_t hi = 0;
};

std::string hex(const Hash128& h) {
    static constexpr char digits[] = "0123456789abcdef";
    std::string out(32, '0');
    for (std::size_t i = 0; i < 16; ++i) {
        const std::uint64_t word = i < 8 ? h.hi : h.lo;
        const auto byte = static_cast<unsigned>((word >> (8 * (7 - (i % 8)))) & 0xffU);
        out[2 * i] = digits[byte >> 4U];
        out[2 * i + 1] = digits[byte & 0xfU];
    }
    return out;
}

/// RAII for the streaming XXH3 state.
class Hasher {
public:
    Hasher() : m_state(XXH3_createState()) {
        if (m_state == nullptr) {
            throw std::bad_alloc();
        }
        XXH3_128bits_reset(m_state);
    }
    ~Hasher() { XXH3_freeState(m_state); }
    Hasher(const Hasher&) = delete;
    Hasher& operator=(const Hasher&) = delete;
    Hasher(Hasher&&) = delete;
    Hasher& operator=(Hasher&&) = delete;

    void bytes(const void* data, std::size_t size) { XXH3_128bits_update(m_state, data, size); }
    /// A length-prefixed string, so ("ab","c") and ("a","bc") differ.
    void text(std::string_view s) {
        const std::uint64_t n = s.size();
        bytes(&n, sizeof n);
        bytes(s.data(), s.size());
    }
    [[nodiscard]] Hash128 digest() const {
        const XXH128_hash_t h = XXH3_128bits_digest(m_state);
        return {h.low64, h.high64};
    }

private:
    XXH3_state_t* m_state;
};

Hash128 hash_of(std::string_view data) {
    const XXH128_hash_t h = XXH3_128bits(data.data(), data.size());
    return {h.low64, h.high64};
}

bool is_local(const std::string& path) {
    return !path.empty() && path.rfind("/vsi", 0) != 0 && path.find(':') == std::string::npos;
}

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return s;
}

/// The files a source consists of, sorted: a shapefile and its sidecars (every file beside it with
/// the same stem), every file of a folder source, else the file itself. nullopt when the source is
/// not a local file or folder.
std::optional<std::vector<fs::path>> source_files(const std::string& path) {
    if (!is_local(path)) {
        return std::nullopt;
    }
    std::error_code ec;
    const fs::path p(path);
    const auto status = fs::status(p, ec);
    std::vector<fs::path> files;
    if (fs::is_regular_file(status)) {
        const std::string ext = lower(p.extension().string());
        if (ext == ".shp" || ext == ".dbf" || ext == ".shx") {
            const fs::path dir = p.has_parent_path() ? p.parent_path() : fs::path(".");
            for (const auto& entry : fs::directory_iterator(dir, ec)) {
                if (entry.is_regular_file(ec) && entry.path().stem() == p.stem()) {
                    files.push_back(entry.path());
                }
            }
        } else {
            files.push_back(p);
        }
    } else if (fs::is_directory(status)) {
        for (const auto& entry : fs::recursive_directory_iterator(p, ec)) {
            if (entry.is_regular_file(ec)) {
                files.push_back(entry.path());
            }
        }
    } else {
        return std::nullopt;
    }
    if (ec) {
        return std::nullopt;
    }
    std::sort(files.begin(), files.end());
    return files;
}

/// Hashes one file's name (relative to its source) and bytes; false when it cannot be read.
bool hash_file(Hasher& h, const fs::path& file, std::vector<char>& buffer) {
    const int fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        return false;
    }
    h.text(file.filename().string());
    bool ok = true;
    for (;;) {
        const ssize_t n = ::read(fd, buffer.data(), buffer.size());
        if (n < 0) {
            ok = false;
            break;
        }
        if (n == 0) {
            break;
        }
        h.bytes(buffer.data(), static_cast<std::size_t>(n));
    }
    ::close(fd);
    return ok;
}

/// The entry key; nullopt when the source cannot be cached.
std::optional<Hash128> entry_key(const std::string& path, const LayerOptions& options) {
    const auto files = source_files(path);
    if (!files || files->empty()) {
        return std::nullopt;
    }
    Hasher h;
    h.text(format_tag);
    // The GDAL choro was built against (its readers and GEOS repairs shape the result); read from the
    // header, so computing a key loads nothing from libgdal.
    h.text(GDAL_RELEASE_NAME);
    // The path as given: the layer records it (Layer::source, warnings), so it is part of the output.
    h.text(path);
    h.text(options.layer);
    h.text(options.key_field);
    h.text(options.name_field);
    h.text(options.srs);
    std::vector<char> buffer(std::size_t{1} << 20U);
    for (const auto& f : *files) {
        if (!hash_file(h, f, buffer)) {
            return std::nullopt;
        }
    }
    return h.digest();
}

fs::path entry_path(const std::string& cache_dir, const Hash128& key) {
    return fs::path(cache_dir) / "layers" / (hex(key) + ".layer");
}

// ---------------------------------------------------------------- serialisation

class Writer {
public:
    template <class T>
    void pod(const T& v) {
        static_assert(std::is_trivially_copyable_v<T>);
        m_out.append(reinterpret_cast<const char*>(&v), sizeof v);
    }
    void size(std::size_t n) { pod(static_cast<std::uint64_t>(n)); }
    void text(const std::string& s) {
        size(s.size());
        m_out.append(s);
    }
    [[nodiscard]] std::string& bytes() { return m_out; }

private:
    std::string m_out;
};

/// Bounds-checked reading: any overrun sets !ok() and yields zeros, so a damaged payload that
/// slipped past the checksum still cannot read out of bounds.
class Reader {
public:
    Reader(const char* begin, const char* end) : m_p(begin), m_end(end) {}

    template <class T>
    T pod() {
        static_assert(std::is_trivially_copyable_v<T>);
        T v{};
        if (static_cast<std::size_t>(m_end - m_p) < sizeof v) {
            m_ok = false;
            m_p = m_end;
            return v;
        }
        std::memcpy(&v, m_p, sizeof v);
        m_p += sizeof v;
        return v;
    }
    /// A count of items of at least `min_item` bytes each; 0 (and !ok) when it cannot fit.
    std::size_t size(std::size_t min_item = 1) {
        const auto n = pod<std::uint64_t>();
        if (n > static_cast<std::uint64_t>(m_end - m_p) / std::max<std::size_t>(min_item, 1)) {
            m_ok = false;
            m_p = m_end;
            return 0;
        }
        return static_cast<std::size_t>(n);
    }
    std::string text() {
        const std::size_t n = size();
        std::string s(m_p, n);
        m_p += n;
        return s;
    }
    template <class P>
    void points(Ring<P>& ring) {
        const std::size_t n = size(sizeof(P));
        ring.resize(n);
        if (n > 0) {
            std::memcpy(static_cast<void*>(ring.data()), m_p, n * sizeof(P));
            m_p += n * sizeof(P);
        }
    }
    [[nodiscard]] bool ok() const noexcept { return m_ok; }
    [[nodiscard]] bool at_end() const noexcept { return m_p == m_end; }

private:
    const char* m_p;
    const char* m_end;
    bool m_ok = true;
};

static_assert(sizeof(LonLat) == 2 * sizeof(double) && std::is_trivially_copyable_v<LonLat>,
              "points are stored as two raw doubles");

std::string serialise(const Layer& layer) {
    Writer w;
    w.text(layer.source);
    w.text(layer.name);
    w.text(layer.source_crs);
    const ReadStats& s = layer.stats;
    for (const std::size_t n : {s.features_read, s.empty_geometries, s.repaired, s.rewound, s.non_polygon_skipped}) {
        w.size(n);
    }
    w.size(s.warnings.size());
    for (const auto& line : s.warnings) {
        w.text(line);
    }
    w.size(layer.features.size());
    for (const auto& f : layer.features) {
        w.text(f.key);
        w.text(f.name);
        w.pod(static_cast<std::int64_t>(f.fid));
        w.size(f.geometry.size());
        for (const auto& poly : f.geometry) {
            w.size(poly.size());
            for (const auto& ring : poly) {
                w.size(ring.size());
                w.bytes().append(reinterpret_cast<const char*>(ring.data()), ring.size() * sizeof(LonLat));
            }
        }
        w.size(f.attributes.size());
        for (const auto& [name, value] : f.attributes) {
            w.text(name);
            w.text(value);
        }
    }
    return std::move(w.bytes());
}

std::optional<Layer> deserialise(const char* begin, const char* end) {
    Reader r(begin, end);
    Layer layer;
    layer.source = r.text();
    layer.name = r.text();
    layer.source_crs = r.text();
    ReadStats& s = layer.stats;
    for (std::size_t* n : {&s.features_read, &s.empty_geometries, &s.repaired, &s.rewound, &s.non_polygon_skipped}) {
        *n = static_cast<std::size_t>(r.pod<std::uint64_t>());
    }
    s.warnings.resize(r.size(8));
    for (auto& line : s.warnings) {
        line = r.text();
    }
    // Minimum bytes of a feature: two empty strings, fid, two counts.
    layer.features.resize(r.size(std::size_t{5} * 8));
    for (auto& f : layer.features) {
        f.key = r.text();
        f.name = r.text();
        f.fid = static_cast<long long>(r.pod<std::int64_t>());
        f.geometry.resize(r.size(8));
        for (auto& poly : f.geometry) {
            poly.resize(r.size(8));
            for (auto& ring : poly) {
                r.points(ring);
            }
        }
        f.attributes.resize(r.size(16));
        for (auto& [name, value] : f.attributes) {
            name = r.text();
            value = r.text();
        }
        if (!r.ok()) {
            return std::nullopt;
        }
    }
    if (!r.ok() || !r.at_end()) {
        return std::nullopt;
    }
    return layer;
}

// ---------------------------------------------------------------- entries on disk

std::optional<std::string> read_whole(const fs::path& file) {
    const int fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        return std::nullopt;
    }
    std::string data;
    std::error_code ec;
    const auto size = fs::file_size(file, ec);
    if (!ec) {
        data.resize(static_cast<std::size_t>(size));
    }
    std::size_t got = 0;
    bool ok = !ec;
    while (ok && got < data.size()) {
        const ssize_t n = ::read(fd, data.data() + got, data.size() - got);
        if (n <= 0) {
            ok = false;
            break;
        }
        got += static_cast<std::size_t>(n);
    }
    ::close(fd);
    if (!ok) {
        return std::nullopt;
    }
    return data;
}

/// The layer stored in `file` under `key`; nullopt when missing, truncated, corrupt or another key's.
std::optional<Layer> load(const fs::path& file, const Hash128& key) {
    const auto data = read_whole(file);
    if (!data || data->size() < header_size || std::memcmp(data->data(), magic, sizeof magic) != 0) {
        return std::nullopt;
    }
    const char* p = data->data() + sizeof magic;
    Hash128 stored_key;
    std::uint64_t payload_size = 0;
    Hash128 checksum;
    std::memcpy(&stored_key.lo, p, 8);
    std::memcpy(&stored_key.hi, p + 8, 8);
    std::memcpy(&payload_size, p + 16, 8);
    std::memcpy(&checksum.lo, p + 24, 8);
    std::memcpy(&checksum.hi, p + 32, 8);
    if (stored_key.lo != key.lo || stored_key.hi != key.hi || payload_size != data->size() - header_size) {
        return std::nullopt;
    }
    const std::string_view payload(data->data() + header_size, data->size() - header_size);
    const Hash128 actual = hash_of(payload);
    if (actual.lo != checksum.lo || actual.hi != checksum.hi) {
        return std::nullopt;
    }
    return deserialise(payload.data(), payload.data() + payload.size());
}

/// Writes the entry under a name no other writer uses, then renames it over `file` (atomic on
/// POSIX): a reader sees the old entry, the new one or none, never half of one. Failures are
/// ignored: the cache is an optimisation and a read-only or full disk must not fail the run.
void store(const fs::path& file, const Hash128& key, const Layer& layer) {
    static std::atomic<unsigned> counter{0};
    std::error_code ec;
    fs::create_directories(file.parent_path(), ec);
    if (ec) {
        return;
    }
    const std::string payload = serialise(layer);
    const Hash128 checksum = hash_of(payload);
    std::string header(magic, sizeof magic);
    const std::uint64_t payload_size = payload.size();
    header.append(reinterpret_cast<const char*>(&key.lo), 8);
    header.append(reinterpret_cast<const char*>(&key.hi), 8);
    header.append(reinterpret_cast<const char*>(&payload_size), 8);
    header.append(reinterpret_cast<const char*>(&checksum.lo), 8);
    header.append(reinterpret_cast<const char*>(&checksum.hi), 8);

    const fs::path temp = file.string() + ".tmp-" + std::to_string(::getpid()) + "-" +
                          std::to_string(counter.fetch_add(1)) + "-" + std::to_string(std::random_device{}());
    const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (fd < 0) {
        return;
    }
    bool ok = true;
    for (const std::string* part : {static_cast<const std::string*>(&header), &payload}) {
        std::size_t done = 0;
        while (ok && done < part->size()) {
            const ssize_t n = ::write(fd, part->data() + done, part->size() - done);
            ok = n > 0;
            done += ok ? static_cast<std::size_t>(n) : 0;
        }
    }
    ok = ::close(fd) == 0 && ok;
    if (!ok || ::rename(temp.c_str(), file.c_str()) != 0) {
        ::unlink(temp.c_str());
    }
}

}  // namespace

std::string default_layer_cache_dir() {
    if (const char* xdg = std::getenv("XDG_CACHE_HOME"); xdg != nullptr && *xdg == '/') {
        return (fs::path(xdg) / "choro").string();
    }
    if (const char* home = std::getenv("HOME"); home != nullptr && *home != '\0') {
        return (fs::path(home) / ".cache" / "choro").string();
    }
    return {};
}

std::string content_hash(std::string_view bytes) {
    return hex(hash_of(bytes));
}

std::string source_hash(const std::string& path) {
    const auto files = source_files(path);
    if (!files || files->empty()) {
        return {};
    }
    Hasher h;
    std::vector<char> buffer(std::size_t{1} << 20U);
    for (const auto& f : *files) {
        if (!hash_file(h, f, buffer)) {
            return {};
        }
    }
    return hex(h.digest());
}

std::string layer_cache_entry(const std::string& path, const LayerOptions& options, const std::string& cache_dir) {
    const auto key = entry_key(path, options);
    return key && !cache_dir.empty() ? entry_path(cache_dir, *key).string() : std::string();
}

Layer read_layer(const std::string& path, const LayerOptions& options) {
    if (options.cache_dir.empty()) {
        return detail::read_layer_uncached(path, options);
    }
    const auto key = entry_key(path, options);
    if (!key) {
        return detail::read_layer_uncached(path, options);
    }
    const fs::path file = entry_path(options.cache_dir, *key);
    if (auto cached = load(file, *key)) {
        return std::move(*cached);
    }
    Layer layer = detail::read_layer_uncached(path, options);
    store(file, *key, layer);
    return layer;
}

}  // namespace choro::geo
