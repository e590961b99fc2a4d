#pragma once
// A scenario's cluster in production terms: what export_cluster_config (lab_files.hpp: the
// `statelab-cli export-config` and the window's Export ▸ Cluster as configuration…) writes, and
// the values the exported files share. The config files come from the generators the lab itself
// runs (config_text.hpp), so what is exported is what was measured.
namespace statelab {

// What the exported files carry instead of a secret: never a password from a run.
inline constexpr const char* exported_secret_placeholder = "CHANGE-ME";
// The ports the exported services listen on (inside compose's network; the balancer's is also
// published on the host).
inline constexpr int exported_app_port = 8080;
inline constexpr int exported_balancer_port = 8080;
inline constexpr int exported_redis_port = 6379;
inline constexpr int exported_sentinel_port = 26379;

} // namespace statelab
