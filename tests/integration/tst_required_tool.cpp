// REQUIRE_TOOL, as a test run sees it: a missing tool skips the test on a developer's machine
// and fails it in CI, where a skip would let the suite pass with the test never run.
#include "support/required_tool.hpp"

#include <QProcess>
#include <QStandardPaths>
#include <QtTest>

class TestRequiredTool : public QObject {
    Q_OBJECT
private slots:
    void missingToolSkipsOutsideCiAndFailsInCi_data() {
        QTest::addColumn<QString>("ci"); // the CI variable; empty: not set at all
        QTest::addColumn<bool>("fails");
        QTest::newRow("CI not set") << QString() << false;
        QTest::newRow("CI=false") << QStringLiteral("false") << false;
        QTest::newRow("CI=true") << QStringLiteral("true") << true;
    }
    void missingToolSkipsOutsideCiAndFailsInCi() {
        QFETCH(QString, ci);
        QFETCH(bool, fails);
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.remove(QStringLiteral("CI"));
        if (!ci.isEmpty()) env.insert(QStringLiteral("CI"), ci);
        QProcess probe;
        probe.setProcessEnvironment(env);
        probe.setProcessChannelMode(QProcess::MergedChannels);
        probe.start(QCoreApplication::applicationDirPath() + "/required_tool_probe");
        QVERIFY2(probe.waitForFinished(20000), qPrintable(probe.errorString()));
        const QString out = QString::fromUtf8(probe.readAll());
        QCOMPARE(probe.exitStatus(), QProcess::NormalExit);
        QVERIFY2((probe.exitCode() != 0) == fails, qPrintable(out));
        const QString verdict = fails ? "FAIL!  : RequiredToolProbe::needsAMissingTool()"
                                      : "SKIP   : RequiredToolProbe::needsAMissingTool()";
        QVERIFY2(out.contains(verdict), qPrintable(out));
        QVERIFY2(out.contains("statelab-no-such-tool is not installed"), qPrintable(out)); // says what
    }

    void findsAToolInPath() {
        const QString sh = statelab::test::find_tool("sh");
        QVERIFY(!sh.isEmpty());
        QCOMPARE(sh, QStandardPaths::findExecutable("sh"));
    }
};

QTEST_GUILESS_MAIN(TestRequiredTool)
#include "tst_required_tool.moc"
