// The engine's reading of a node's /metrics: the samples it needs, however the text around
// them is written (labels with spaces or braces, timestamps, CRLF), and -1 for what is not a
// count rather than a made-up number.
#include "metrics/server_report.hpp"

#include <QtTest>

using namespace statelab;

class TestServerReport : public QObject {
    Q_OBJECT
private slots:
    void readsWhatANodeWrites() {
        const ServerReport r = parse_server_report(
            "# HELP statelab_requests_total User requests handled.\n"
            "# TYPE statelab_requests_total counter\n"
            "statelab_requests_total{node=\"node-1\"} 1234\n"
            "statelab_sessions_active{node=\"node-1\"} 56\n"
            "statelab_session_hits_total{node=\"node-1\"} 900\n"
            "statelab_session_misses_total{node=\"node-1\"} 7\n"
            "statelab_resident_memory_bytes{node=\"node-1\"} 10485760\n"
            "statelab_session_state_bytes{node=\"node-1\",store=\"memory\"} 20480\n");
        QCOMPARE(r.requests, 1234);
        QCOMPARE(r.sessions_active, 56);
        QCOMPARE(r.hits, 900);
        QCOMPARE(r.misses, 7);
        QCOMPARE(r.rss_bytes, 10485760);
        QCOMPARE(r.state_bytes, 20480);
    }

    void labelsTimestampsAndLineEnds() {
        // A label value with a space, a brace and an escaped quote; a timestamp after the value.
        const ServerReport r = parse_server_report(
            "statelab_requests_total{node=\"a b} \\\"c\"} 42 1700000000000\r\n"
            "statelab_sessions_active 3\r\n");
        QCOMPARE(r.requests, 42); // the value, not the timestamp and not the 'c"}' in the label
        QCOMPARE(r.sessions_active, 3);
    }

    void aLongerNameIsAnotherSeries() {
        const ServerReport r = parse_server_report("statelab_requests_total_created 99\nstatelab_requests_total 5\n");
        QCOMPARE(r.requests, 5);
    }

    void whatIsNotACountIsNotReported_data() {
        QTest::addColumn<QByteArray>("text");
        QTest::newRow("negative") << QByteArray("statelab_requests_total -5\n");
        QTest::newRow("fraction") << QByteArray("statelab_requests_total 1.5\n");
        QTest::newRow("NaN") << QByteArray("statelab_requests_total NaN\n");
        QTest::newRow("overflow") << QByteArray("statelab_requests_total 99999999999999999999999\n");
        QTest::newRow("no value") << QByteArray("statelab_requests_total\n");
        QTest::newRow("open label set") << QByteArray("statelab_requests_total{node=\"x 5\n");
        QTest::newRow("absent") << QByteArray("other_total 5\n");
    }
    void whatIsNotACountIsNotReported() {
        QFETCH(QByteArray, text);
        QCOMPARE(parse_server_report(text.toStdString()).requests, -1);
    }

    void aCountWrittenAsAFloat() { QCOMPARE(parse_server_report("statelab_requests_total 12.0\n").requests, 12); }
};

QTEST_GUILESS_MAIN(TestServerReport)
#include "tst_server_report.moc"
