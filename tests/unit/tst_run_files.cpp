// What a run leaves behind, for a long run: the time series does not live in memory (a day-long
// run grew the engine by ~170 MB), and timeseries.csv still holds every row, in order.
#include "metrics/run_recorder.hpp"

#include <QTemporaryDir>
#include <QtTest>

#include <fstream>
#include <unistd.h>

using namespace statelab;

namespace {
long resident_bytes() {
    std::ifstream statm("/proc/self/statm");
    long pages = 0, resident = 0;
    statm >> pages >> resident;
    return resident * sysconf(_SC_PAGESIZE);
}
} // namespace

class TestRunFiles : public QObject {
    Q_OBJECT
private slots:
    // Six hours at four snapshots a second, four nodes: ~90 MB of rows.
    void aLongRunsTimeSeriesStaysOnDisk() {
        constexpr int intervals = 6 * 3600 * 4;
        RunRecorder recorder;
        Snapshot snap;
        snap.total.name = "*";
        for (int n = 1; n <= 4; ++n) {
            NodeSample node;
            node.name = "node-" + std::to_string(n);
            snap.nodes.push_back(node);
        }
        const IntervalStats interval;
        const long before = resident_bytes();
        for (int i = 0; i < intervals; ++i) {
            snap.t_s = i * 0.25;
            snap.total.requests = static_cast<std::uint64_t>(i);
            recorder.add(snap, interval);
        }
        const long grown = resident_bytes() - before;
        qInfo("the recorder grew by %.1f MB for %d intervals", grown / 1e6, intervals);
        QVERIFY2(grown < 4 * 1024 * 1024, qPrintable(QStringLiteral("the recorder grew by %1 MB for %2 intervals")
                                                          .arg(grown / 1e6, 0, 'f', 1).arg(intervals)));

        QTemporaryDir dir;
        write_run_files(dir.path().toStdString(), recorder.files("long", "sticky"));
        std::ifstream csv(dir.filePath(QStringLiteral("timeseries.csv")).toStdString());
        std::string line, first, last;
        std::size_t lines = 0;
        while (std::getline(csv, line)) {
            if (lines == 1) first = line;
            if (line.find(",*,") != std::string::npos) last = line;
            ++lines;
        }
        QCOMPARE(lines, std::size_t(1 + intervals * 5));
        QVERIFY2(first.starts_with("0.000,*,0,"), first.c_str());
        QVERIFY2(last.starts_with("21599.750,*,86399,"), last.c_str());
    }
};

QTEST_GUILESS_MAIN(TestRunFiles)
#include "tst_run_files.moc"
