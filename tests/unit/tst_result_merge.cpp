// statelab-cli merge on two hand-made shards: counts add, the histograms merge exactly (the
// merged percentiles are those of the summed histogram), rows align on each shard's traffic
// start, and inputs that are not the shards of one run are refused with one line. A run's worth
// of long timeseries.csv files merges in memory that does not grow with their size.
#include "lab_files.hpp"
#include "metrics/partial_result.hpp"

#include <QTemporaryDir>
#include <QtTest>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>

using namespace statelab;
using json = nlohmann::ordered_json;
namespace fs = std::filesystem;

namespace {

LatencyHistogram histogram_of(std::initializer_list<std::uint64_t> micros) {
    LatencyHistogram h;
    for (auto us : micros) h.record_us(us);
    return h;
}

// A shard's DIR as `run --shard` writes it, with only the figures the test looks at.
void write_shard(const fs::path& dir, unsigned index, unsigned count, double start_s, std::uint64_t requests,
                 const LatencyHistogram& h, const std::string& csv_rows, const std::string& scenario = "t") {
    fs::create_directories(dir);
    json s{{"scenario", scenario}, {"mode", "sticky"}, {"duration_s", 5.0 /* the traffic ran 5 s */}, {"requests", requests},
           {"failures", {{"connect", 1}, {"reset", 0}}},
           {"sessions", {{"created", 3}, {"hits", requests - 3}, {"lost", 0}}},
           {"latency_ms", {{"p50", 0}, {"p99", 0}}},
           {"per_node", json::array({{{"name", "node-1"}, {"requests", requests}, {"sessions_peak", 2}}})},
           {"events", json::array({{{"t_s", start_s}, {"action", "start"}, {"target", "traffic"}}})}};
    write_text(dir / "summary.json", s.dump(2));
    write_text(dir / "timeseries.csv", "t_s,node,requests,errors,hits,misses,lost,p50_ms,p99_ms\n" + csv_rows);
    write_partial(dir, {index, count, start_s}, h);
}

std::string text_of(const fs::path& path) { return read_text(path); }

// A long run's rows after DIR/timeseries.csv's: a "*" row and one a node every interval (0.25 s)
// from the traffic start on. Written as they are made: the test's own memory stays small.
void append_rows(const fs::path& dir, double start_s, int intervals, int nodes) {
    std::ofstream csv(dir / "timeseries.csv", std::ios::binary | std::ios::app);
    char row[128];
    for (int i = 1; i <= intervals; ++i)
        for (int n = 0; n <= nodes; ++n) {
            const std::string node = n ? "node-" + std::to_string(n) : "*";
            std::snprintf(row, sizeof row, "%.3f,%s,%d,%d,%d,%d,%d,%.3f,%.3f\n", start_s + 0.25 * i, node.c_str(), 100 + n,
                          i % 3, 90 + n, 10, i % 2, 1.5 + n, 20.25 + n);
            csv << row;
        }
}

// This process's resident memory (VmRSS) or its peak so far (VmHWM), in MB.
double memory_mb(const std::string& field) {
    std::ifstream status("/proc/self/status");
    for (std::string line; std::getline(status, line);)
        if (line.starts_with(field + ":")) return std::stod(line.substr(field.size() + 1)) / 1024;
    return -1;
}

std::size_t lines_of(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    return static_cast<std::size_t>(std::count(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>(), '\n'));
}

} // namespace

class TestResultMerge : public QObject {
    Q_OBJECT
private slots:
    void histogramSurvivesTheFile() {
        const LatencyHistogram h = histogram_of({1, 31, 32, 999, 123456, 40'000'000});
        const LatencyHistogram back = histogram_from_json(histogram_json(h));
        QCOMPARE(back.count(), h.count());
        QCOMPARE(back.max_us(), h.max_us());
        for (int i = 0; i < LatencyHistogram::bucket_count; ++i) QCOMPARE(back.bucket(i), h.bucket(i));
    }

    void twoShardsAddUp() {
        QTemporaryDir tmp;
        const fs::path root = tmp.path().toStdString();
        const auto h0 = histogram_of({100, 200, 300, 400}), h1 = histogram_of({1000, 5000, 9000});
        // Shard 1 started its traffic 0.5 s later on its own clock: its row at 1.75 s is the
        // same interval (the first after the start) as shard 0's row at 1.25 s.
        write_shard(root / "s0", 0, 2, 1.0, 14, h0, "1.250,*,10,1,9,0,0,0.200,0.400\n1.250,node-1,10,1,9,0,0,0.200,0.400\n1.500,*,4,0,4,0,0,0.300,0.300\n");
        write_shard(root / "s1", 1, 2, 1.5, 6, h1, "1.750,*,6,0,5,1,0,5.000,9.000\n1.750,node-2,6,0,5,1,0,5.000,9.000\n");
        QCOMPARE(QString::fromStdString(merge_results({root / "s1", root / "s0"}, root / "m")), QString());

        const json s = json::parse(text_of(root / "m" / "summary.json"));
        QCOMPARE(s["requests"].get<int>(), 20);
        QCOMPARE(s["failures"]["connect"].get<int>(), 2);
        QCOMPARE(s["sessions"]["created"].get<int>(), 6);
        QCOMPARE(s["per_node"][0]["requests"].get<int>(), 20);
        QCOMPARE(s["per_node"][0]["sessions_peak"].get<int>(), 2); // a peak of one cluster: not added
        LatencyHistogram sum = h0;
        sum.merge(h1);
        const std::pair<const char*, double> quantiles[] = {{"p50", 0.5}, {"p95", 0.95}, {"p99", 0.99}};
        for (const auto& [key, q] : quantiles)
            QCOMPARE(s["latency_ms"][key].get<double>(), std::round(sum.quantile_ms(q) * 1000) / 1000);
        QCOMPARE(s["latency_ms"]["max"].get<double>(), 9.0);
        QCOMPARE(static_cast<int>(s["events"].size()), 2);
        QCOMPARE(s["events"][1]["t_s"].get<double>(), 1.0); // shard 1's start moved onto shard 0's
        QCOMPARE(s["duration_s"].get<double>(), 5.0); // the traffic's, the longest shard's

        QCOMPARE(QString::fromStdString(text_of(root / "m" / "timeseries.csv")),
                 QStringLiteral("t_s,node,requests,errors,hits,misses,lost,p50_ms,p99_ms\n"
                                "1.250,*,16,1,14,1,0,5.000,9.000\n"
                                "1.250,node-1,10,1,9,0,0,0.200,0.400\n"
                                "1.250,node-2,6,0,5,1,0,5.000,9.000\n"
                                "1.500,*,4,0,4,0,0,0.300,0.300\n"));
        QCOMPARE(histogram_from_json(text_of(root / "m" / histogram_file)).count(), std::uint64_t{7});
    }

    void refusesWhatIsNotOneRun_data() {
        QTest::addColumn<unsigned>("index");
        QTest::addColumn<unsigned>("count");
        QTest::addColumn<QString>("scenario");
        QTest::addColumn<QString>("says");
        QTest::newRow("another count") << 1u << 3u << "t" << "not of 2";
        QTest::newRow("same shard twice") << 0u << 2u << "t" << "given twice";
        QTest::newRow("another scenario") << 1u << 2u << "other" << "another scenario";
    }
    void refusesWhatIsNotOneRun() {
        QFETCH(unsigned, index);
        QFETCH(unsigned, count);
        QFETCH(QString, scenario);
        QFETCH(QString, says);
        QTemporaryDir tmp;
        const fs::path root = tmp.path().toStdString();
        write_shard(root / "a", 0, 2, 1.0, 5, histogram_of({10}), "");
        write_shard(root / "b", index, count, 1.0, 5, histogram_of({10}), "", scenario.toStdString());
        const QString problem = QString::fromStdString(merge_results({root / "a", root / "b"}, root / "m"));
        QVERIFY2(problem.contains(says), qPrintable(problem));
        QVERIFY(!problem.contains('\n'));
        QVERIFY(!fs::exists(root / "m"));
    }

    void refusesAMissingShardAndAWholeRun() {
        QTemporaryDir tmp;
        const fs::path root = tmp.path().toStdString();
        write_shard(root / "a", 0, 2, 1.0, 5, histogram_of({10}), "");
        QVERIFY(QString::fromStdString(merge_results({root / "a"}, root / "m")).contains("expected the 2 shards"));
        fs::remove(root / "a" / histogram_file);
        write_text(root / "a" / "summary.json", R"({"scenario": "t", "mode": "sticky"})");
        QVERIFY(QString::fromStdString(merge_results({root / "a"}, root / "m")).contains("not a shard"));
    }

    // Inputs that would make the figures lie or the merge eat its own input: one line each.
    void refusesWhatWouldLie() {
        QTemporaryDir tmp;
        const fs::path root = tmp.path().toStdString();
        write_shard(root / "a", 0, 2, 1.0, 5, histogram_of({10}), "");
        write_shard(root / "b", 1, 2, 1.0, 5, histogram_of({10}), "");
        QVERIFY(QString::fromStdString(merge_results({root / "a", root / "b"}, root / "a")).contains("is one of the inputs"));
        QVERIFY(QString::fromStdString(merge_results({root / "a", root / "b"}, root / "b" / ".")).contains("is one of the inputs"));
        // A count of -1 once wrapped to 4294967295: every percentile came out as the max.
        const std::string good = read_text(root / "b" / histogram_file);
        std::string negative = good;
        const auto at = negative.find("\"buckets\"");
        QVERIFY(at != std::string::npos);
        negative.replace(at, std::string("\"buckets\"").size(), "\"buckets\": [[3, -1]], \"was\"");
        write_text(root / "b" / histogram_file, negative);
        QString problem = QString::fromStdString(merge_results({root / "a", root / "b"}, root / "m"));
        QVERIFY2(problem.contains("a bucket is not"), qPrintable(problem));
        write_text(root / "b" / histogram_file, good);
        // A shard count of 0, a start out of range.
        write_text(root / "b" / "summary.json", std::string(R"({"scenario": "t", "mode": "sticky", "shard": {"index": 0, "count": 0, "traffic_start_s": 1}})"));
        problem = QString::fromStdString(merge_results({root / "a", root / "b"}, root / "m"));
        QVERIFY2(problem.contains("is not one of 1..10000 shards"), qPrintable(problem));
        write_text(root / "b" / "summary.json", std::string(R"({"scenario": "t", "mode": "sticky", "shard": {"index": 1, "count": 2, "traffic_start_s": -5}})"));
        problem = QString::fromStdString(merge_results({root / "a", root / "b"}, root / "m"));
        QVERIFY2(problem.contains("traffic_start_s must be"), qPrintable(problem));
        // Counts that would wrap when added, or that are not counts: refused, not summed.
        write_text(root / "b" / "summary.json", std::string(R"({"scenario": "t", "mode": "sticky", "requests": 18446744073709551615, "shard": {"index": 1, "count": 2, "traffic_start_s": 1}})"));
        problem = QString::fromStdString(merge_results({root / "a", root / "b"}, root / "m"));
        QVERIFY2(problem.contains("too large to add up"), qPrintable(problem));
        write_text(root / "b" / "summary.json", std::string(R"({"scenario": "t", "mode": "sticky", "requests": 5, "failures": {"connect": -3}, "shard": {"index": 1, "count": 2, "traffic_start_s": 1}})"));
        problem = QString::fromStdString(merge_results({root / "a", root / "b"}, root / "m"));
        QVERIFY2(problem.contains("not a whole number of 0 or more"), qPrintable(problem));
        QVERIFY(!fs::exists(root / "m"));
    }

    // A row the merge cannot add up, or one that comes after a later one (the merge streams the
    // rows in time order): refused in one line, and --out as it was before.
    void refusesARowItCannotMerge_data() {
        QTest::addColumn<QString>("rows");
        QTest::addColumn<QString>("says");
        QTest::newRow("short row") << "1.250,*,1,0,1,0,0\n" << "has a short row";
        QTest::newRow("out of time order") << "1.500,*,1,0,1,0,0,0.1,0.1\n1.250,*,1,0,1,0,0,0.1,0.1\n"
                                           << "is not in time order: line 3 (t_s 1.250)";
    }
    void refusesARowItCannotMerge() {
        QFETCH(QString, rows);
        QFETCH(QString, says);
        QTemporaryDir tmp;
        const fs::path root = tmp.path().toStdString();
        write_shard(root / "a", 0, 2, 1.0, 5, histogram_of({10}), "1.250,*,1,0,1,0,0,0.1,0.1\n");
        write_shard(root / "b", 1, 2, 1.0, 5, histogram_of({10}), rows.toStdString());
        QString problem = QString::fromStdString(merge_results({root / "a", root / "b"}, root / "new" / "m"));
        QVERIFY2(problem.contains(says), qPrintable(problem));
        QVERIFY(!problem.contains('\n'));
        QVERIFY(!fs::exists(root / "new"));
        fs::create_directories(root / "old");
        write_text(root / "old" / "timeseries.csv", "kept\n");
        problem = QString::fromStdString(merge_results({root / "a", root / "b"}, root / "old"));
        QVERIFY2(problem.contains(says), qPrintable(problem));
        QCOMPARE(std::distance(fs::directory_iterator(root / "old"), fs::directory_iterator()), 1);
        QCOMPARE(QString::fromStdString(text_of(root / "old" / "timeseries.csv")), QStringLiteral("kept\n"));
    }

    // The issue: a 106 MB timeseries.csv cost 1.7 GB to merge (every shard's rows held at once).
    // Two shards of ~50 MB each must merge with the memory of a few rows.
    void mergesLongRunsInBoundedMemory() {
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
        QSKIP("a sanitizer's allocator holds freed memory back: the process's peak says nothing of the merge's");
#endif
        QTemporaryDir tmp;
        const fs::path root = tmp.path().toStdString();
        const int intervals = 140'000, nodes = 8; // 39 hours of 0.25 s intervals
        write_shard(root / "s0", 0, 2, 1.0, 5, histogram_of({10}), "");
        write_shard(root / "s1", 1, 2, 1.5, 5, histogram_of({10}), "");
        append_rows(root / "s0", 1.0, intervals, nodes);
        append_rows(root / "s1", 1.5, intervals, nodes);
        const double input_mb = static_cast<double>(fs::file_size(root / "s0" / "timeseries.csv") +
                                                    fs::file_size(root / "s1" / "timeseries.csv")) / (1 << 20);

        const double before_mb = memory_mb("VmRSS");
        const auto started = std::chrono::steady_clock::now();
        QCOMPARE(QString::fromStdString(merge_results({root / "s0", root / "s1"}, root / "m")), QString());
        const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
        const double grew_mb = memory_mb("VmHWM") - before_mb;
        qInfo("merged %.0f MB of timeseries.csv in %.1f s; peak memory grew %.1f MB", input_mb, seconds, grew_mb);
        QVERIFY(input_mb > 90);
        QVERIFY2(grew_mb < 64, qPrintable(QStringLiteral("peak memory grew %1 MB").arg(grew_mb)));
        // The shards' intervals line up (each shard's start moved onto shard 0's): one row each.
        QCOMPARE(lines_of(root / "m" / "timeseries.csv"), std::size_t{1} + intervals * (nodes + 1));
    }
};

QTEST_GUILESS_MAIN(TestResultMerge)
#include "tst_result_merge.moc"
