// Cookie parsing decides which session and which node a request belongs to: a near-miss
// ("XSID" read as "SID", a quoted value kept with its quotes) would silently lose sessions.
#include "common/cookies.hpp"

#include <QtTest>

using namespace statelab;

namespace {

QString found(std::string_view header, std::string_view name) {
    auto v = find_cookie(header, name);
    return v ? QString::fromUtf8(v->data(), static_cast<qsizetype>(v->size())) : QStringLiteral("<none>");
}

Request request_with_cookies(std::initializer_list<const char*> headers) {
    Request req{http::verb::get, "/cart", 11};
    for (const char* h : headers) req.insert(http::field::cookie, h);
    return req;
}

QStringList cookie_headers(const Request& req) {
    QStringList out;
    for (auto it = req.find(http::field::cookie); it != req.end() && it->name() == http::field::cookie; ++it)
        out << QString::fromUtf8(it->value().data(), static_cast<qsizetype>(it->value().size()));
    return out;
}

} // namespace

class TestCookies : public QObject {
    Q_OBJECT
private slots:
    void findCookie_data() {
        QTest::addColumn<QString>("header");
        QTest::addColumn<QString>("expected");
        QTest::newRow("only") << "SID=ab12" << "ab12";
        QTest::newRow("among others") << "a=1; SID=ab12; b=2" << "ab12";
        QTest::newRow("spaces around") << "  a=1 ;   SID = ab12  ; b=2" << "ab12";
        QTest::newRow("tabs") << "a=1;\tSID=ab12\t" << "ab12";
        QTest::newRow("no space after ;") << "a=1;SID=ab12" << "ab12";
        QTest::newRow("quoted value") << "SID=\"ab12\"" << "ab12";
        QTest::newRow("lone quote kept") << "SID=\"ab12" << "\"ab12";
        QTest::newRow("missing value") << "a=1; SID" << "";
        QTest::newRow("empty value") << "SID=; a=1" << "";
        QTest::newRow("prefix name is another cookie") << "XSID=evil" << "<none>";
        QTest::newRow("suffix name is another cookie") << "SIDX=evil" << "<none>";
        QTest::newRow("prefix before the real one") << "XSID=evil; SID=good" << "good";
        QTest::newRow("names are case-sensitive") << "sid=lower" << "<none>";
        QTest::newRow("first of duplicates wins") << "SID=first; SID=second" << "first";
        QTest::newRow("value with =") << "SID=a=b" << "a=b";
        QTest::newRow("empty header") << "" << "<none>";
        QTest::newRow("only separators") << " ; ;; " << "<none>";
        QTest::newRow("name in a value") << "a=SID; b=SID=x" << "<none>";
    }
    void findCookie() {
        QFETCH(QString, header);
        QFETCH(QString, expected);
        const std::string h = header.toStdString();
        QCOMPARE(found(h, "SID"), expected);
    }

    void removeCookie_data() {
        QTest::addColumn<QString>("header");
        QTest::addColumn<QString>("expected");
        QTest::newRow("middle") << "a=1; SID=x; b=2" << "a=1; b=2";
        QTest::newRow("first") << "SID=x; b=2" << "b=2";
        QTest::newRow("last") << "a=1; SID=x" << "a=1";
        QTest::newRow("only") << "SID=x" << "";
        QTest::newRow("every duplicate") << "SID=x; a=1; SID=y" << "a=1";
        QTest::newRow("absent") << "a=1; b=2" << "a=1; b=2";
        QTest::newRow("prefix kept") << "XSID=1; SID=2; SIDX=3" << "XSID=1; SIDX=3";
        QTest::newRow("untidy spacing normalised") << " a=1 ;SID=x;  b=2 " << "a=1; b=2";
        QTest::newRow("valueless") << "SID; a=1" << "a=1";
    }
    void removeCookie() {
        QFETCH(QString, header);
        QFETCH(QString, expected);
        QCOMPARE(QString::fromStdString(remove_cookie(header.toStdString(), "SID")), expected);
    }

    void requestCookieSearchesEveryHeader() {
        const Request req = request_with_cookies({"a=1; SRV=node-2", "SID=abc"});
        QCOMPARE(request_cookie(req, "SID").value_or("<none>"), std::string_view("abc"));
        QCOMPARE(request_cookie(req, "SRV").value_or("<none>"), std::string_view("node-2"));
        QVERIFY(!request_cookie(req, "XSID"));
        QVERIFY(!request_cookie(request_with_cookies({}), "SID"));
        // The first header that has it wins, as in find_cookie.
        QCOMPARE(request_cookie(request_with_cookies({"SID=one", "SID=two"}), "SID").value_or(""),
                 std::string_view("one"));
    }

    void stripRequestCookie() {
        Request req = request_with_cookies({"SRV=node-1; SID=abc", "SRV=node-2", "b=2"});
        strip_request_cookie(req, "SRV");
        QCOMPARE(cookie_headers(req), (QStringList{"SID=abc", "b=2"}));
        QVERIFY(!request_cookie(req, "SRV"));
        QCOMPARE(request_cookie(req, "SID").value_or(""), std::string_view("abc"));
    }

    // Found by fuzz_cookie: rewritten with "; ", what is left of this header is exactly as long
    // as the header was, and a length check took that for "nothing removed".
    void stripRemovesACookieWhateverTheLengthLeft() {
        Request req = request_with_cookies({"SRV=1;a;b;c;d;e;f;g"});
        strip_request_cookie(req, "SRV");
        QVERIFY(!request_cookie(req, "SRV"));
        QCOMPARE(cookie_headers(req), (QStringList{"a; b; c; d; e; f; g"}));
    }

    void stripLeavesOtherRequestsAlone() {
        Request req = request_with_cookies({"a=1 ;b=2", "XSRV=keep"});
        strip_request_cookie(req, "SRV");
        // Untouched byte for byte: nothing named SRV was there.
        QCOMPARE(cookie_headers(req), (QStringList{"a=1 ;b=2", "XSRV=keep"}));

        Request only = request_with_cookies({"SRV=node-1"});
        strip_request_cookie(only, "SRV");
        QVERIFY(cookie_headers(only).isEmpty());
    }

    void setCookieValues() {
        QCOMPARE(QString::fromStdString(session_cookie("SID", "ab12")),
                 QStringLiteral("SID=ab12; Path=/; HttpOnly; SameSite=Lax"));
        const QString gone = QString::fromStdString(expired_cookie("SID"));
        QVERIFY2(gone.startsWith("SID=;") && gone.contains("Max-Age=0") && gone.contains("Path=/"),
                 qPrintable(gone));
    }
};

QTEST_APPLESS_MAIN(TestCookies)
#include "tst_cookies.moc"
