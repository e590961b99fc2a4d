#include "model/latency_histogram.hpp"

#include <algorithm>
#include <bit>
#include <cmath>

namespace statelab {

// Values below 32 us map 1:1; above, the magnitude (highest bit) picks a row of 32 buckets
// and the next 5 bits pick the bucket within it.
int LatencyHistogram::bucket_of(std::uint64_t v) {
    if (v < static_cast<std::uint64_t>(sub_buckets)) return static_cast<int>(v);
    const int top = 63 - std::countl_zero(v); // >= sub_bucket_bits
    const int magnitude = top - sub_bucket_bits + 1;
    if (magnitude >= magnitudes) return bucket_count - 1;
    const int sub = static_cast<int>((v >> (top - sub_bucket_bits)) & (sub_buckets - 1));
    return magnitude * sub_buckets + sub;
}

std::uint64_t LatencyHistogram::upper_edge(int bucket) {
    const int magnitude = bucket / sub_buckets;
    const std::uint64_t sub = static_cast<std::uint64_t>(bucket % sub_buckets);
    if (magnitude == 0) return sub;
    const int shift = magnitude - 1;
    return ((static_cast<std::uint64_t>(sub_buckets) + sub + 1) << shift) - 1;
}

void LatencyHistogram::record_us(std::uint64_t micros) {
    ++m_counts[static_cast<std::size_t>(bucket_of(micros))];
    ++m_count;
    m_max = std::max(m_max, micros);
}

void LatencyHistogram::merge(const LatencyHistogram& other) {
    if (other.m_count == 0) return;
    for (int i = 0; i < bucket_count; ++i) m_counts[static_cast<std::size_t>(i)] += other.m_counts[static_cast<std::size_t>(i)];
    m_count += other.m_count;
    m_max = std::max(m_max, other.m_max);
}

void LatencyHistogram::add_to_bucket(int index, std::uint32_t count, std::uint64_t max_us) {
    if (index < 0 || index >= bucket_count) return;
    m_counts[static_cast<std::size_t>(index)] += count;
    m_count += count;
    m_max = std::max(m_max, max_us);
}

void LatencyHistogram::clear() {
    if (m_count == 0) return;
    m_counts.fill(0);
    m_count = 0;
    m_max = 0;
}

std::uint64_t LatencyHistogram::quantile_us(double q) const {
    if (m_count == 0) return 0;
    q = std::clamp(q, 0.0, 1.0);
    const auto rank = std::max<std::uint64_t>(1, static_cast<std::uint64_t>(std::ceil(q * static_cast<double>(m_count))));
    std::uint64_t seen = 0;
    for (int i = 0; i < bucket_count; ++i) {
        seen += m_counts[static_cast<std::size_t>(i)];
        if (seen >= rank) return std::min(upper_edge(i), m_max);
    }
    return m_max;
}

} // namespace statelab
