#pragma once
// Scenarios, lessons, exports and merges: what the window and statelab-cli do with the lab's
// files, and where those files are. Part of the engine's facade with engine.hpp (the running
// lab), target_address.hpp (a system somebody else runs) and bench.hpp (raw HTTP load): declared
// here once, carried out by the engine's parts (scenario/, lesson/, cluster/, metrics/), which
// include this header to define them. It includes only model/ types. No Qt here.
#include "model/cluster_settings.hpp"
#include "model/latency_histogram.hpp"
#include "model/lesson.hpp"
#include "model/scenario.hpp"

#include <filesystem>
#include <iosfwd>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace statelab {

// Where the sibling binaries are (statelab-backend, statelab-balancer): the directory of the
// running executable.
std::filesystem::path executable_dir();

// ---- Scenario files (DESIGN.md, "Scenario file") ------------------------------------------------

// A validated Scenario, or one error line that names the field and its line, because
// `statelab-cli validate` and the window show exactly that line to a user who has to fix the file.
struct ScenarioResult {
    std::optional<Scenario> scenario; // set on success: all defaults applied, timeline sorted
    std::string error; // on failure, one line: "<source>:<line>: field '<path>': <what>"

    bool ok() const { return scenario.has_value(); }
    explicit operator bool() const { return ok(); }
};

// `source_name` prefixes error lines (a file name; "<scenario>" for text that has none).
ScenarioResult parse_scenario(std::string_view json_text,
                              std::string_view source_name = "<scenario>");

// Reads and parses a file; errors are prefixed with the path as given.
ScenarioResult load_scenario_file(const std::filesystem::path& file);

// A Scenario as the JSON that parse_scenario reads back (the window's "Save scenario"):
// pretty-printed, keys in the documented order, every setting written out (defaults included)
// so a saved file shows a user everything they can change. Ends with a newline.
std::string scenario_to_json(const Scenario& scenario);

// A target driven by a built-in journey: what that journey expects there (the lab's shop), said
// by validate and when a run starts. Empty for the lab's own cluster or a declared journey.
std::string builtin_journey_note(const Scenario& scenario);

// `statelab-cli validate SCENARIO.json` (DESIGN.md, "Command lines"): prints "ok: <name> (<mode>,
// N nodes, D s, K timeline actions)" on `out` and returns 0, or one line "statelab-cli:
// <file>:<line>: field '<path>': <what>" on `err` and returns 2.
int validate_command(const std::filesystem::path& file, std::ostream& out, std::ostream& err);

// ---- Lessons (model/lesson.hpp): the window, `statelab-cli lesson` and the tests read them here --

struct LessonResult {
    std::optional<Lesson> lesson;
    std::string error; // one line naming the file and the field
    std::filesystem::path file;
    explicit operator bool() const { return lesson.has_value(); }
};

LessonResult load_lesson_file(const std::filesystem::path& file);

// Where the lessons are: $STATELAB_LESSONS_DIR, then <exe>/../share/statelab/lessons (installed),
// then the source tree's resources/lessons (a build tree). Empty when none is found.
std::filesystem::path lessons_dir(const std::filesystem::path& exe_dir);
// Every lesson file of `dir`, in the order the numbers in their names give.
std::vector<std::filesystem::path> lesson_files(const std::filesystem::path& dir);
// ... each loaded, or with the line that says why it cannot be: the window lists such a lesson
// greyed out, statelab-cli says so; neither gives up on the others.
std::vector<LessonResult> load_lessons(const std::filesystem::path& dir);

// A lesson's prediction held against what the run measured (its summary.json).
struct LessonVerdict {
    bool held = false;
    std::string measured;            // the lesson's "measured" sentence with the run's figures
    std::vector<std::string> misses; // one line per check that did not hold
    // "Predicted: …. Measured: …." and whether it held: the lesson's one-paragraph result.
    std::string paragraph(const Lesson& lesson) const;
};

LessonVerdict check_lesson(const Lesson& lesson, const std::string& summary_json);
// lesson.txt, as the window's "Export for slides" and statelab-cli lesson write it: the title
// and the verdict's paragraph.
std::string lesson_text(const Lesson& lesson, const LessonVerdict& verdict);

// ---- A cluster as configuration (`statelab-cli export-config`, the window's Export ▸ Cluster) ----

// One line saying what could not be exported or written, and why.
struct ConfigExportError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// haproxy.cfg, the Redis and Sentinel files the mode uses, a compose.yaml that runs the same
// topology from public images, and a README.txt, from the generators the lab itself runs (so
// what is exported is what was measured; cluster/config_export.hpp). Writes the files into `dir`
// (created when missing; files of the same names are replaced) and returns their paths in the
// order written. `scenario_name` only labels the files. Throws ConfigExportError for settings that
// are not a cluster (nodes outside 1..max_nodes) or a directory or file that cannot be written.
std::vector<std::filesystem::path> export_cluster_config(const ClusterSettings& settings,
                                                         const std::filesystem::path& dir,
                                                         const std::string& scenario_name = {});

// ---- Runs on many hosts (statelab-cli run --shard I/N, then merge) -----------------------------

// A shard's part of a run: what merge_results needs besides summary.json and timeseries.csv to
// add the parts up exactly. summary.json gains "shard": {"index": I, "count": N,
// "traffic_start_s": T} (T: the run clock at the traffic's start, the origin every shard's rows
// are aligned on).
struct ShardMark {
    unsigned index = 0, count = 1;
    double traffic_start_s = 0;
};

// Adds the shard mark to DIR/summary.json and writes DIR/latency_histogram.json (the whole run's
// histogram bucket by bucket).
void write_partial(const std::filesystem::path& dir, const ShardMark& mark, const LatencyHistogram& histogram);

// statelab-cli merge: the partial results of the N shards of one run added up into the
// summary.json and timeseries.csv one run writes, plus the merged latency_histogram.json.
//
// Exact: every count, per_node requests, the whole-run latency percentiles (from the merged
// histogram). Aligned: each shard's clock is moved so its traffic start falls on shard 0's
// (lowest index); rows of the same interval and node add up. Not exact, said so: a row's
// p50_ms and p99_ms are the largest of the shards' (an upper bound of the true quantile: no
// shard has more than 1% of its requests above its p99, so the union has none above the max);
// load.imbalance_mean and bytes.headers_per_request are request-weighted means; peaks
// (sessions_peak, state_bytes_peak) are the largest; events of all shards, in time order, each
// with the "shard" that logged it.
//
// The timeseries.csv files stream through (a row of each shard in memory at a time, whatever
// their size), so each must be in time order, as `run --shard` writes it.
// Returns an empty string on success, else one line saying why nothing was written (inputs
// that are not all N shards of one scenario, unreadable or malformed files).
std::string merge_results(const std::vector<std::filesystem::path>& inputs, const std::filesystem::path& out);

} // namespace statelab
