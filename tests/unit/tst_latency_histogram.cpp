#include "model/latency_histogram.hpp"

#include <QtTest>

#include <random>

using namespace statelab;

class TestLatencyHistogram : public QObject {
    Q_OBJECT
private slots:
    void emptyHistogramReportsZero() {
        LatencyHistogram h;
        QCOMPARE(h.count(), 0u);
        QCOMPARE(h.quantile_us(0.99), 0u);
    }

    void quantilesWithinThreePercent() {
        LatencyHistogram h;
        for (std::uint64_t v = 1; v <= 100000; ++v) h.record_us(v);
        for (double q : {0.5, 0.9, 0.95, 0.99}) {
            const double exact = q * 100000;
            const double got = static_cast<double>(h.quantile_us(q));
            QVERIFY2(got >= exact * 0.999 && got <= exact * 1.035,
                     qPrintable(QString("q=%1 exact=%2 got=%3").arg(q).arg(exact).arg(got)));
        }
        QCOMPARE(h.max_us(), 100000u);
        QCOMPARE(h.quantile_us(1.0), 100000u);
    }

    void mergingEqualsRecordingEverythingInOne() {
        LatencyHistogram a, b, all;
        std::mt19937 rng(42);
        std::lognormal_distribution<double> dist(6.0, 1.5);
        for (int i = 0; i < 50000; ++i) {
            const auto v = static_cast<std::uint64_t>(dist(rng));
            (i % 2 ? a : b).record_us(v);
            all.record_us(v);
        }
        a.merge(b);
        QCOMPARE(a.count(), all.count());
        for (double q : {0.5, 0.95, 0.99, 0.999}) QCOMPARE(a.quantile_us(q), all.quantile_us(q));
        QCOMPARE(a.max_us(), all.max_us());
    }

    void hugeValuesAreClampedNotLost() {
        LatencyHistogram h;
        h.record_us(1ull << 40);
        h.record_us(5);
        QCOMPARE(h.count(), 2u);
        QCOMPARE(h.max_us(), 1ull << 40);
    }
};

QTEST_APPLESS_MAIN(TestLatencyHistogram)
#include "tst_latency_histogram.moc"
