// The token store trusts a cookie only if its signature checks out: any change to the payload,
// the signature or the version tag, or a token made with another key, must be refused.
#include "server/token_codec.hpp"

#include <QtTest>

using namespace statelab;

namespace {

// Splits "v1.<payload>.<signature>".
struct Parts {
    std::string version, payload, signature;
};
Parts split(const std::string& token) {
    const auto first = token.find('.'), last = token.rfind('.');
    return {token.substr(0, first), token.substr(first + 1, last - first - 1), token.substr(last + 1)};
}
std::string join(const Parts& p) { return p.version + "." + p.payload + "." + p.signature; }

// Another valid base64url character in place of the one at `at` (so the change is not a
// decoding error but a real forgery attempt).
std::string flip(std::string text, std::size_t at) {
    text[at] = text[at] == 'A' ? 'B' : 'A';
    return text;
}

} // namespace

class TestTokenCodec : public QObject {
    Q_OBJECT
    const TokenCodec m_codec{"0123456789abcdef-the-shared-secret"};

private slots:
    void roundTrip_data() {
        QTest::addColumn<QByteArray>("payload");
        QTest::newRow("json") << QByteArray(R"({"u":"alice","i":["apple"],"v":1})");
        QTest::newRow("empty") << QByteArray();
        QTest::newRow("binary with dots") << QByteArray("a.b.c\0\xff\x01", 8);
        QTest::newRow("large") << QByteArray(3000, 'x');
    }
    void roundTrip() {
        QFETCH(QByteArray, payload);
        const std::string token = m_codec.sign(payload.toStdString());
        QVERIFY(token.starts_with("v1."));
        const auto verified = m_codec.verify(token);
        QVERIFY(verified);
        QCOMPARE(QByteArray::fromStdString(*verified), payload);
        // Cookie-safe: no characters a Cookie header would need to quote.
        QVERIFY(token.find_first_of(" ;,\"=+/\\") == std::string::npos);
    }

    void tamperedPayloadRefused() {
        const std::string token = m_codec.sign(R"({"u":"alice","i":[],"v":1})");
        Parts parts = split(token);
        for (std::size_t at : {std::size_t{0}, parts.payload.size() / 2, parts.payload.size() - 1}) {
            Parts forged = parts;
            forged.payload = flip(parts.payload, at);
            QVERIFY2(!m_codec.verify(join(forged)), join(forged).c_str());
        }
        // A payload swapped in whole from another valid token, with the old signature.
        Parts other = split(m_codec.sign(R"({"u":"mallory","i":[],"v":1})"));
        other.signature = parts.signature;
        QVERIFY(!m_codec.verify(join(other)));
    }

    void tamperedSignatureRefused() {
        Parts parts = split(m_codec.sign("payload"));
        Parts forged = parts;
        forged.signature = flip(parts.signature, 5);
        QVERIFY(!m_codec.verify(join(forged)));
        forged.signature = parts.signature.substr(0, parts.signature.size() - 4); // truncated
        QVERIFY(!m_codec.verify(join(forged)));
        forged.signature = "";
        QVERIFY(!m_codec.verify(join(forged)));
    }

    // A 32-byte MAC is 43 base64url characters: the last one carries two unused bits, so four
    // characters would decode to the same bytes. Only the canonical one (unused bits zero) is a
    // valid token; the others are refused like any tampering.
    void nonCanonicalSignatureRefused() {
        static const std::string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        for (const char* payload : {"payload", "another", "{\"u\":\"ann\"}"}) {
            const std::string token = m_codec.sign(payload);
            QVERIFY(m_codec.verify(token));
            Parts parts = split(token);
            const auto last = alphabet.find(parts.signature.back());
            QCOMPARE(last & 3u, 0u); // what we sign is canonical
            for (std::size_t low = 1; low < 4; ++low) {
                Parts variant = parts;
                variant.signature.back() = alphabet[last | low];
                QVERIFY2(!m_codec.verify(join(variant)), join(variant).c_str());
            }
        }
    }

    void wrongKeyRefused() {
        const TokenCodec other("another-secret");
        QVERIFY(!other.verify(m_codec.sign("payload")));
        QVERIFY(!m_codec.verify(other.sign("payload")));
        // Same key, separate object: accepted (what lets any node verify any node's token).
        const TokenCodec same("0123456789abcdef-the-shared-secret");
        QCOMPARE(same.verify(m_codec.sign("payload")).value_or("<refused>"), std::string("payload"));
    }

    void wrongVersionRefused() {
        Parts parts = split(m_codec.sign("payload"));
        for (const char* version : {"v2", "V1", "", "v1 "}) {
            Parts forged = parts;
            forged.version = version;
            QVERIFY2(!m_codec.verify(join(forged)), version);
        }
    }

    void garbageRefused_data() {
        QTest::addColumn<QByteArray>("token");
        QTest::newRow("empty") << QByteArray();
        QTest::newRow("dot") << QByteArray(".");
        QTest::newRow("dots") << QByteArray("..");
        QTest::newRow("version only") << QByteArray("v1");
        QTest::newRow("two parts") << QByteArray("v1.cGF5bG9hZA");
        QTest::newRow("empty parts") << QByteArray("v1..");
        QTest::newRow("four parts") << QByteArray("v1.a.b.c");
        QTest::newRow("not base64") << QByteArray("v1.!!!!.@@@@");
        QTest::newRow("standard base64 chars") << QByteArray("v1.a+b/.c+d/");
        QTest::newRow("hex session id") << QByteArray("0123456789abcdef0123456789abcdef");
        QTest::newRow("nul bytes") << QByteArray("v1.\0\0.\0", 7);
    }
    void garbageRefused() {
        QFETCH(QByteArray, token);
        QVERIFY(!m_codec.verify(std::string_view(token.constData(), static_cast<std::size_t>(token.size()))));
    }

    void base64urlEveryByteValue() {
        std::string all;
        for (int i = 0; i < 256; ++i) all.push_back(static_cast<char>(i));
        // Every length mod 3 (padding cases), and every byte value at every position mod 3.
        for (std::size_t start = 0; start < 3; ++start) {
            for (std::size_t length : {std::size_t{0}, std::size_t{1}, std::size_t{2}, std::size_t{3}, std::size_t{253}}) {
                const std::string bytes = all.substr(start, length);
                const std::string encoded = base64url_encode(bytes);
                QVERIFY2(encoded.find_first_of("+/=") == std::string::npos, encoded.c_str());
                QCOMPARE(encoded.size(), (bytes.size() * 4 + 2) / 3);
                QCOMPARE(base64url_decode(encoded).value_or("<failed>"), bytes);
            }
        }
        // Bytes 0xfb..0xff encode to the url-safe characters.
        QCOMPARE(base64url_encode("\xfb\xff\xff"), std::string("-___"));
        QCOMPARE(base64url_decode("-___").value_or(""), std::string("\xfb\xff\xff"));
    }

    void base64urlRejectsNonUrlAlphabet() {
        QVERIFY(!base64url_decode("ab+c"));
        QVERIFY(!base64url_decode("ab/c"));
        QVERIFY(!base64url_decode("YQ=="));  // padding is not part of base64url here
        QVERIFY(!base64url_decode("abcde")); // 5 chars: no byte string encodes to that length
        QVERIFY(!base64url_decode("ab c"));
        QCOMPARE(base64url_decode("").value_or("<failed>"), std::string());
    }
};

QTEST_APPLESS_MAIN(TestTokenCodec)
#include "tst_token_codec.moc"
