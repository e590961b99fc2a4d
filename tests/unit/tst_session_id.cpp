// Session ids are the only thing between a user and someone else's cart: 128 bits from a CSPRNG,
// so they must look random (distinct, every bit about half the time) and have one exact format.
#include "server/session_id.hpp"

#include <QtTest>

#include <array>
#include <unordered_set>

using namespace statelab;

class TestSessionId : public QObject {
    Q_OBJECT
private slots:
    void formatIs32LowercaseHex() {
        for (int i = 0; i < 100; ++i) {
            const std::string id = new_session_id();
            QCOMPARE(id.size(), std::size_t{32});
            QVERIFY2(id.find_first_not_of("0123456789abcdef") == std::string::npos, id.c_str());
            QVERIFY(looks_like_session_id(id));
        }
        QCOMPARE(random_hex(8).size(), std::size_t{16});
    }

    void tenThousandDistinctWithBalancedBits() {
        constexpr int count = 10'000;
        std::unordered_set<std::string> seen;
        std::array<int, 128> ones{};
        for (int n = 0; n < count; ++n) {
            const std::string id = new_session_id();
            QVERIFY2(seen.insert(id).second, "duplicate session id");
            for (int digit = 0; digit < 32; ++digit) {
                const char c = id[static_cast<std::size_t>(digit)];
                const int value = c <= '9' ? c - '0' : c - 'a' + 10;
                for (int bit = 0; bit < 4; ++bit) ones[static_cast<std::size_t>(digit * 4 + bit)] += (value >> bit) & 1;
            }
        }
        // Binomial(10000, 0.5) has a standard deviation of 50: 40..60 % is 20 sigma wide, so a
        // failure here means a stuck or biased bit, not bad luck.
        for (int bit = 0; bit < 128; ++bit) {
            const int set = ones[static_cast<std::size_t>(bit)];
            QVERIFY2(set >= 4000 && set <= 6000, qPrintable(QStringLiteral("bit %1 set in %2 of %3 ids").arg(bit).arg(set).arg(count)));
        }
    }

    void looksLikeSessionId_data() {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<bool>("expected");
        QTest::newRow("valid") << QByteArray("0123456789abcdef0123456789abcdef") << true;
        QTest::newRow("uppercase") << QByteArray("0123456789ABCDEF0123456789abcdef") << false;
        QTest::newRow("31 digits") << QByteArray("0123456789abcdef0123456789abcde") << false;
        QTest::newRow("33 digits") << QByteArray("0123456789abcdef0123456789abcdef0") << false;
        QTest::newRow("non-hex letter") << QByteArray("0123456789abcdeg0123456789abcdef") << false;
        QTest::newRow("empty") << QByteArray() << false;
        QTest::newRow("token") << QByteArray("v1.eyJ1IjoiYSJ9.c2ln") << false;
        QTest::newRow("space") << QByteArray("0123456789abcdef 123456789abcdef") << false;
    }
    void looksLikeSessionId() {
        QFETCH(QByteArray, text);
        QFETCH(bool, expected);
        QCOMPARE(looks_like_session_id(text.toStdString()), expected);
    }

    void logTagDoesNotRevealTheId() {
        const std::string id = new_session_id();
        const std::string tag = session_log_tag(id);
        QVERIFY(tag.starts_with("sid#"));
        QVERIFY(tag.find(id.substr(0, 8)) == std::string::npos);
        QCOMPARE(session_log_tag(id), tag); // stable, so log lines about one session correlate
        QVERIFY(session_log_tag(new_session_id()) != tag);
    }
};

QTEST_APPLESS_MAIN(TestSessionId)
#include "tst_session_id.moc"
