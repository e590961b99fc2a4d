#include "metrics/series_spool.hpp"

#include <fstream>
#include <stdexcept>
#include <unistd.h>

namespace statelab {

void SeriesSpool::append(std::string_view rows) {
    m_buffer.append(rows);
    if (m_buffer.size() >= buffer_limit) spill();
}

void SeriesSpool::spill() {
    if (!m_file) {
        // Unnamed and removed at close by the C library: nothing is left behind, even on a crash.
        std::FILE* file = std::tmpfile();
        if (!file) throw std::runtime_error("cannot create a temporary file for the run's time series");
        m_file.reset(file, [](std::FILE* f) { std::fclose(f); });
    }
    // pwrite at an offset of our own (no stdio buffer, no shared file position): a View's reader
    // may pread the part before it at the same time.
    const int fd = fileno(m_file.get());
    for (std::size_t done = 0; done < m_buffer.size();) {
        const ssize_t n = ::pwrite(fd, m_buffer.data() + done, m_buffer.size() - done, static_cast<off_t>(m_file_bytes + done));
        if (n <= 0) throw std::runtime_error("cannot write the run's time series to a temporary file");
        done += static_cast<std::size_t>(n);
    }
    m_file_bytes += m_buffer.size();
    m_buffer.clear();
    m_buffer.shrink_to_fit(); // the buffer's peak goes back to the system between spills
}

void write_spooled(const std::filesystem::path& path, std::string_view head, const SeriesSpool::View& rows) {
    const auto tmp = path.string() + ".tmp";
    {
        std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
        out << head;
        if (rows.file) {
            const int fd = fileno(rows.file.get());
            std::string chunk(64 * 1024, '\0');
            for (std::uint64_t at = 0; at < rows.file_bytes;) {
                const std::size_t want = static_cast<std::size_t>(std::min<std::uint64_t>(chunk.size(), rows.file_bytes - at));
                const ssize_t n = ::pread(fd, chunk.data(), want, static_cast<off_t>(at));
                if (n <= 0) throw std::runtime_error("cannot read the run's time series back from its temporary file");
                out.write(chunk.data(), n);
                at += static_cast<std::uint64_t>(n);
            }
        }
        out << rows.tail;
        out.close();
        if (!out) throw std::runtime_error("cannot write " + tmp);
    }
    std::filesystem::rename(tmp, path);
}

} // namespace statelab
