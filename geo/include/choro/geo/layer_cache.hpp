#pragma once

#include <string>
#include <string_view>

#include "choro/geo/layer.hpp"

/// @file
/// The prepared-geometry cache of read_layer(): layers as read, repaired and rewound, stored in a
/// compact binary form so a second run on the same inputs skips GDAL, GEOS and the rewinding.
/// Enabled by setting LayerOptions::cache_dir (the CLI sets it unless `--no-cache` is given).
///
/// An entry is keyed by the content hash (XXH3-128) of every file the source consists of (a
/// shapefile's .shp, .dbf, .shx, .prj, .cpg… are all hashed), the path as given, the reader settings
/// (layer, key, name field, srs), the GDAL version and the cache format, so a change to any input
/// byte or setting selects another entry. Entries carry a checksum of their contents; a corrupt or
/// truncated entry is ignored and rewritten. Entries are written to a unique temporary name and
/// renamed into place, so concurrent runs on the same inputs both succeed. Sources that are not
/// local files (`/vsicurl/…`, `PG:…`) are never cached. Entries are never evicted: the folder can
/// be deleted at any time.

namespace choro::geo {

/// The user's cache folder for choro: `$XDG_CACHE_HOME/choro`, else `$HOME/.cache/choro`; "" when
/// neither variable is set (no cache then).
///
///     options.cache_dir = choro::geo::default_layer_cache_dir();
[[nodiscard]] std::string default_layer_cache_dir();

/// The file read_layer() would use in `cache_dir` for `path` read with `options` (whether or not it
/// exists yet); "" when the source cannot be cached (not a local file, or unreadable). Hashes the
/// source's files, so it costs one read of them. For tests and tools (`rm` one entry).
[[nodiscard]] std::string layer_cache_entry(const std::string& path,
                                            const LayerOptions& options,
                                            const std::string& cache_dir);

/// XXH3-128 of `bytes` as 32 hex digits, the hash the cache keys use (for fingerprints and
/// manifests). Throws only std::bad_alloc.
///
///     const std::string h = choro::geo::content_hash(bytes);
[[nodiscard]] std::string content_hash(std::string_view bytes);

/// XXH3-128, as 32 hex digits, of every file a source consists of (the same set the cache key
/// hashes: a shapefile with its sidecars, every file of a folder), each by file name and bytes;
/// "" when the source is not a local file or folder or a file cannot be read. Reads the files once.
[[nodiscard]] std::string source_hash(const std::string& path);

}  // namespace choro::geo
