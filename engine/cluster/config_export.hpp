#pragma once
// A scenario's cluster in production terms (`statelab-cli export-config`, and the window's
// Export ▸ Cluster as configuration…): haproxy.cfg, the Redis and Sentinel files its mode uses, a
// compose.yaml that runs the same topology from public images, and a README.txt. The config
// files come from the generators the lab itself runs (config_text.hpp), so what is exported is
// what was measured.
#include "model/cluster_settings.hpp"

#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

namespace statelab {

// One line saying what could not be exported or written, and why.
struct ConfigExportError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// What the exported files carry instead of a secret: never a password from a run.
inline constexpr const char* exported_secret_placeholder = "CHANGE-ME";
// The ports the exported services listen on (inside compose's network; the balancer's is also
// published on the host).
inline constexpr int exported_app_port = 8080;
inline constexpr int exported_balancer_port = 8080;
inline constexpr int exported_redis_port = 6379;
inline constexpr int exported_sentinel_port = 26379;

// Writes the files into `dir` (created when missing; files of the same names are replaced) and
// returns their paths in the order written. `scenario_name` only labels the files. Throws
// ConfigExportError for settings that are not a cluster (nodes outside 1..max_nodes) or a
// directory or file that cannot be written.
std::vector<std::filesystem::path> export_cluster_config(const ClusterSettings& settings,
                                                         const std::filesystem::path& dir,
                                                         const std::string& scenario_name = {});

} // namespace statelab
