#pragma once
// The two exported files that are not a component's own config: compose.yaml (the topology, from
// the cluster's plan) and README.txt (what each file is, what to change, what the mode leaves to
// the app). Written by export_cluster_config (lab_files.hpp).
#include "model/cluster_settings.hpp"

#include <string>
#include <vector>

namespace statelab {

// `scenario "NAME" (mode sticky, 3 app servers)`: what the files' first comment says they are.
std::string exported_label(const ClusterSettings& settings, const std::string& scenario_name);

std::string compose_yaml_text(const ClusterSettings& settings, const std::string& scenario_name);

// `files`: the names written, in order (README.txt last).
std::string export_readme_text(const ClusterSettings& settings, const std::string& scenario_name,
                               const std::vector<std::string>& files);

} // namespace statelab
