#pragma once
// A small blocking HTTP/1.1 client for tests: one keep-alive connection, its own cookie jar,
// optionally from a chosen loopback source address (127.0.0.2, ...) so that a server sees
// distinct client IPs. Deliberately independent of the engine's client.
#include <QByteArray>
#include <QHostAddress>
#include <QList>
#include <QMap>
#include <QPair>
#include <QString>
#include <QTcpSocket>

#include <memory>

namespace statelab::test {

struct HttpResponse {
    int status = 0;                       // 0 when there was no answer: see error
    QMap<QByteArray, QByteArray> headers; // lower-case names; repeated headers joined by ", "
    QList<QByteArray> set_cookies;        // every Set-Cookie value, verbatim
    QByteArray body;
    QString error; // transport failure (connect, timeout, reset, unparsable); empty on success

    bool ok() const { return error.isEmpty(); }
    QByteArray header(const QByteArray& name) const { return headers.value(name.toLower()); }
    QByteArray served_by() const { return header("x-served-by"); }
    QByteArray session_state() const { return header("x-session"); }
    // The Set-Cookie value for cookie `name` (verbatim, with attributes), or empty.
    QByteArray set_cookie(const QByteArray& name) const;
    // "status 401, X-Served-By node-2, X-Session miss, body '...'" for failure messages.
    QString describe() const;
};

using HttpHeaders = QList<QPair<QByteArray, QByteArray>>;

class HttpClient {
public:
    explicit HttpClient(quint16 port, QHostAddress source = {});
    ~HttpClient();

    HttpResponse get(const QByteArray& target, const HttpHeaders& headers = {});
    HttpResponse post(const QByteArray& target, const HttpHeaders& headers = {});
    HttpResponse request(const QByteArray& method, const QByteArray& target, const HttpHeaders& headers = {},
                         const QByteArray& body = {});
    // Sends bytes as they are on a fresh connection and reads one response (for malformed input).
    HttpResponse send_raw(const QByteArray& bytes);

    // Connects now (a later request reuses this connection).
    bool connect_now();
    void disconnect();
    bool connected() const;
    // The source address of the current connection (what the server sees as the client).
    QHostAddress local_address() const { return m_socket ? m_socket->localAddress() : QHostAddress(); }

    // The cookie jar: what Set-Cookie stored, sent back as one Cookie header.
    QMap<QByteArray, QByteArray>& cookies() { return m_cookies; }
    QByteArray cookie(const QByteArray& name) const { return m_cookies.value(name); }
    void set_cookie(const QByteArray& name, const QByteArray& value) { m_cookies.insert(name, value); }

    void set_timeout_ms(int ms) { m_timeout_ms = ms; }
    quint16 port() const { return m_port; }

private:
    bool ensure_connected(QString& error);
    HttpResponse exchange(const QByteArray& bytes, bool may_retry);
    HttpResponse read_response();
    void store_cookies(const HttpResponse& response);

    quint16 m_port;
    QHostAddress m_source;
    std::unique_ptr<QTcpSocket> m_socket;
    QByteArray m_buffer; // received bytes not yet consumed
    bool m_reused = false;
    int m_timeout_ms = 5000;
    QMap<QByteArray, QByteArray> m_cookies;
};

} // namespace statelab::test
