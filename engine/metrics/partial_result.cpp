#include "metrics/partial_result.hpp"

#include "lab_files.hpp"

#include <nlohmann/json.hpp>

#include <fstream>
#include <sstream>
#include <stdexcept>

namespace statelab {

std::string histogram_json(const LatencyHistogram& h) {
    // Sparse [bucket, count] pairs: a run fills a few dozen of the 1024 buckets.
    nlohmann::ordered_json buckets = nlohmann::ordered_json::array();
    for (int i = 0; i < LatencyHistogram::bucket_count; ++i)
        if (const auto n = h.bucket(i)) buckets.push_back({i, n});
    nlohmann::ordered_json j{{"unit", "us"},
                             {"sub_bucket_bits", LatencyHistogram::sub_bucket_bits},
                             {"count", h.count()},
                             {"max_us", h.max_us()},
                             {"buckets", buckets}};
    return j.dump() + "\n";
}

LatencyHistogram histogram_from_json(const std::string& text) {
    LatencyHistogram h;
    try {
        const auto j = nlohmann::json::parse(text);
        if (j.at("sub_bucket_bits").get<int>() != LatencyHistogram::sub_bucket_bits)
            throw std::runtime_error("written with another bucket layout");
        const auto max_us = j.at("max_us").get<std::uint64_t>();
        for (const auto& pair : j.at("buckets")) {
            // Whole numbers that fit: a -1 once wrapped to 4294967295 and every percentile
            // came out as the max.
            const auto& bucket = pair.at(0);
            const auto& count = pair.at(1);
            if (!bucket.is_number_integer() || !count.is_number_unsigned() || count.get<std::uint64_t>() > UINT32_MAX ||
                bucket.get<long long>() < 0 || bucket.get<long long>() >= LatencyHistogram::bucket_count)
                throw std::runtime_error("a bucket is not [index 0.." + std::to_string(LatencyHistogram::bucket_count - 1) +
                                         ", count 0..4294967295]: " + pair.dump());
            h.add_to_bucket(bucket.get<int>(), count.get<std::uint32_t>(), max_us);
        }
        if (h.count() != j.at("count").get<std::uint64_t>()) throw std::runtime_error("bucket counts do not add up to count");
    } catch (const nlohmann::json::exception& e) {
        throw std::runtime_error(e.what());
    }
    return h;
}

std::ifstream open_to_read(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw std::runtime_error("cannot read " + path.string());
    return in;
}

std::string read_text(const std::filesystem::path& path) {
    std::ifstream in = open_to_read(path);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

void write_text(const std::filesystem::path& path, const std::string& text) {
    // Write then rename: a reader never sees half a file.
    const auto tmp = path.string() + ".tmp";
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out << text;
    out.close();
    if (!out) throw std::runtime_error("cannot write " + tmp);
    std::filesystem::rename(tmp, path);
}

void write_partial(const std::filesystem::path& dir, const ShardMark& mark, const LatencyHistogram& histogram) {
    auto summary = nlohmann::ordered_json::parse(read_text(dir / "summary.json"));
    summary["shard"] = {{"index", mark.index}, {"count", mark.count}, {"traffic_start_s", mark.traffic_start_s}};
    write_text(dir / histogram_file, histogram_json(histogram));
    write_text(dir / "summary.json", summary.dump(2) + "\n");
}

} // namespace statelab
