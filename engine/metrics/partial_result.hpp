#pragma once
// A shard's part of a run (statelab-cli run --shard I/N): what `merge` needs besides
// summary.json and timeseries.csv to add the parts up exactly. DIR/latency_histogram.json holds
// the whole run's histogram bucket by bucket; summary.json gains
// "shard": {"index": I, "count": N, "traffic_start_s": T} (T: the run clock at the traffic's
// start, the origin every shard's rows are aligned on).
#include "model/latency_histogram.hpp"

#include <filesystem>
#include <fstream>
#include <string>

namespace statelab {

struct ShardMark {
    unsigned index = 0, count = 1;
    double traffic_start_s = 0;
};

inline constexpr const char* histogram_file = "latency_histogram.json";

std::string histogram_json(const LatencyHistogram& histogram);
// Throws std::runtime_error naming what is wrong.
LatencyHistogram histogram_from_json(const std::string& text);

// Adds the shard mark to DIR/summary.json and writes DIR/latency_histogram.json.
void write_partial(const std::filesystem::path& dir, const ShardMark& mark, const LatencyHistogram& histogram);

std::ifstream open_to_read(const std::filesystem::path& path); // throws std::runtime_error, as read_text
std::string read_text(const std::filesystem::path& path); // throws std::runtime_error
void write_text(const std::filesystem::path& path, const std::string& text); // write then rename

} // namespace statelab
