#pragma once
// Kills a QProcess still running when a test bails out early (a failed QVERIFY returns from the
// test function), so no program the test started, nor the cluster it owns, outlives the test.
#include <QProcess>

struct KillOnExit {
    QProcess& process;
    ~KillOnExit() {
        if (process.state() != QProcess::NotRunning) {
            process.kill();
            process.waitForFinished(5000);
        }
    }
};
