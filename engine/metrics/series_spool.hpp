#pragma once
// A run's time series (timeseries.csv's rows) in bounded memory: past a small buffer the rows go
// to an anonymous temporary file (gone with the process), so a day-long run costs disk, not the
// ~170 MB of memory it took as one string. Appended by one thread (the snapshot loop, under the
// engine's lock); a View taken under that lock can be written out by another thread while the
// appends go on: it reads only what was there when it was taken.
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

namespace statelab {

class SeriesSpool {
public:
    static constexpr std::size_t buffer_limit = 256 * 1024;

    SeriesSpool() = default;
    SeriesSpool(SeriesSpool&&) = default;
    SeriesSpool& operator=(SeriesSpool&&) = default;
    SeriesSpool(const SeriesSpool&) = delete; // two recorders appending to one file would mix rows
    SeriesSpool& operator=(const SeriesSpool&) = delete;

    void append(std::string_view rows); // throws std::runtime_error when the disk refuses them
    std::size_t bytes_in_memory() const { return m_buffer.capacity(); }

    // What was appended up to now: the spilled bytes (a shared handle on the file) and the rest.
    struct View {
        std::shared_ptr<std::FILE> file;
        std::uint64_t file_bytes = 0;
        std::string tail;
    };
    View view() const { return {m_file, m_file_bytes, m_buffer}; }

private:
    void spill();

    std::shared_ptr<std::FILE> m_file;
    std::uint64_t m_file_bytes = 0;
    std::string m_buffer;
};

// Writes `head`, then the view's rows, to `path` (through PATH.tmp and a rename: a reader never
// sees half a file); throws std::runtime_error on I/O errors.
void write_spooled(const std::filesystem::path& path, std::string_view head, const SeriesSpool::View& rows);

} // namespace statelab
