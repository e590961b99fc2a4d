#pragma once
// statelab-cli merge: the partial results of the N shards of one run (see partial_result.hpp)
// added up into the summary.json and timeseries.csv one run writes, plus the merged
// latency_histogram.json.
//
// Exact: every count, per_node requests, the whole-run latency percentiles (from the merged
// histogram). Aligned: each shard's clock is moved so its traffic start falls on shard 0's
// (lowest index); rows of the same interval and node add up. Not exact, said so: a row's
// p50_ms and p99_ms are the largest of the shards' (an upper bound of the true quantile: no
// shard has more than 1% of its requests above its p99, so the union has none above the max);
// load.imbalance_mean and bytes.headers_per_request are request-weighted means; peaks
// (sessions_peak, state_bytes_peak) are the largest; events of all shards, in time order, each
// with the "shard" that logged it.
#include <filesystem>
#include <string>
#include <vector>

namespace statelab {

// The timeseries.csv files stream through (a row of each shard in memory at a time, whatever
// their size), so each must be in time order, as `run --shard` writes it.
// Returns an empty string on success, else one line saying why nothing was written (inputs
// that are not all N shards of one scenario, unreadable or malformed files).
std::string merge_results(const std::vector<std::filesystem::path>& inputs, const std::filesystem::path& out);

} // namespace statelab
