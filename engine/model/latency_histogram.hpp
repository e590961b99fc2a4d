#pragma once
// Fixed-memory log-linear latency histogram (the HdrHistogram idea, 3% resolution): values in
// microseconds, 32 linear sub-buckets per power of two, from 1 us to ~70 minutes. Merging is
// adding arrays, so per-thread histograms combine exactly at snapshot time.
#include <array>
#include <cstdint>

namespace statelab {

class LatencyHistogram {
public:
    static constexpr int sub_bucket_bits = 5; // 32 sub-buckets: <= 3.2% error per value
    static constexpr int sub_buckets = 1 << sub_bucket_bits;
    static constexpr int magnitudes = 32;     // 2^32 us ~ 71 minutes
    static constexpr int bucket_count = magnitudes * sub_buckets;

    void record_us(std::uint64_t micros);
    void merge(const LatencyHistogram& other);
    void clear();

    // A shard's histogram written to disk and read back (statelab-cli merge): the stored
    // counts, bucket by bucket, so a merge is as exact as the in-process one.
    std::uint64_t bucket(int index) const { return m_counts[static_cast<std::size_t>(index)]; }
    void add_to_bucket(int index, std::uint32_t count, std::uint64_t max_us);

    std::uint64_t count() const { return m_count; }
    std::uint64_t max_us() const { return m_max; }
    // The value at quantile q (0..1) in microseconds: the upper edge of its bucket, capped at max.
    std::uint64_t quantile_us(double q) const;
    double quantile_ms(double q) const { return static_cast<double>(quantile_us(q)) / 1000.0; }

private:
    static int bucket_of(std::uint64_t micros);
    static std::uint64_t upper_edge(int bucket);

    std::array<std::uint32_t, bucket_count> m_counts{};
    std::uint64_t m_count = 0;
    std::uint64_t m_max = 0;
};

} // namespace statelab
