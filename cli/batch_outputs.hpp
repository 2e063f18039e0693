#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

/// @file
/// The atlas files of `choro batch` beside its maps: manifest.json (what was drawn, from what,
/// how) and index.html (the contact sheet). Written by cmd_batch.cpp and by --merge-manifests.

namespace choro::cli {

/// One file of one map in the manifest.
struct BatchFile {
    std::string format;       ///< png, svg, pdf
    std::string path;         ///< relative to the atlas folder
    std::string xxh3;         ///< of the file's bytes
    std::string fingerprint;  ///< of what was drawn (pipeline::scene_fingerprint)
};

/// The contact sheet: a card per map (thumbnail from its PNG when there is one, name, key
/// figures from the manifest entry, links to every format) and the failed maps with their
/// reasons. Self-contained (inline CSS, relative links): opens offline.
[[nodiscard]] std::string batch_index_html(const nlohmann::ordered_json& manifest);

/// Reads and parses a manifest; throws InputError naming the file when it is not one.
[[nodiscard]] nlohmann::ordered_json read_manifest(const std::filesystem::path& path);

/// `choro batch JOB --merge-manifests PART_DIR... -o DIR`: joins the part manifests
/// (manifest.part-IIII-of-NNNN.json) found in the folders into one manifest (maps sorted by key,
/// no "shard", no "atlas": the caller adds atlas.pdf and writes manifest.json and index.html),
/// copying maps into DIR when they were written elsewhere. Every part of the same N must be there
/// once, with the same settings and inputs; throws InputError naming what is missing or differs.
/// `head` is the merge's own manifest head (its job and flags): every key in it must be the
/// parts' too, else UsageError naming the key, before anything is copied.
[[nodiscard]] nlohmann::ordered_json merge_batch_manifests(const std::vector<std::string>& parts,
                                                           const std::filesystem::path& out,
                                                           const nlohmann::ordered_json& head);

}  // namespace choro::cli
