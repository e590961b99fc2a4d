#pragma once
// A shard's part of a run (statelab-cli run --shard I/N; write_partial and merge_results,
// lab_files.hpp): DIR/latency_histogram.json holds the whole run's histogram bucket by bucket, as
// this text; and the file reading and writing the merge shares.
#include "model/latency_histogram.hpp"

#include <filesystem>
#include <fstream>
#include <string>

namespace statelab {

inline constexpr const char* histogram_file = "latency_histogram.json";

std::string histogram_json(const LatencyHistogram& histogram);
// Throws std::runtime_error naming what is wrong.
LatencyHistogram histogram_from_json(const std::string& text);

std::ifstream open_to_read(const std::filesystem::path& path); // throws std::runtime_error, as read_text
std::string read_text(const std::filesystem::path& path); // throws std::runtime_error
void write_text(const std::filesystem::path& path, const std::string& text); // write then rename

} // namespace statelab
