#include "support/http_client.hpp"

#include <QDeadlineTimer>

namespace statelab::test {

QByteArray HttpResponse::set_cookie(const QByteArray& name) const {
    for (const QByteArray& value : set_cookies)
        if (value.startsWith(name + '=')) return value;
    return {};
}

QString HttpResponse::describe() const {
    if (!ok()) return QStringLiteral("no response: %1").arg(error);
    QByteArray shown = body.left(300);
    shown.replace('\n', ' ');
    return QStringLiteral("status %1, X-Served-By '%2', X-Session '%3', body '%4'")
        .arg(status)
        .arg(QString::fromUtf8(served_by()), QString::fromUtf8(session_state()), QString::fromUtf8(shown));
}

HttpClient::HttpClient(quint16 port, QHostAddress source) : m_port(port), m_source(std::move(source)) {}

HttpClient::~HttpClient() { disconnect(); }

bool HttpClient::connected() const { return m_socket && m_socket->state() == QAbstractSocket::ConnectedState; }

void HttpClient::disconnect() {
    if (m_socket) m_socket->abort();
    m_socket.reset();
    m_buffer.clear();
    m_reused = false;
}

bool HttpClient::connect_now() {
    QString error;
    return ensure_connected(error);
}

bool HttpClient::ensure_connected(QString& error) {
    if (connected()) {
        // Notices a keep-alive connection the server has closed meanwhile (reads the EOF).
        m_socket->waitForReadyRead(0);
        if (connected() && m_buffer.isEmpty() && m_socket->bytesAvailable() == 0) return true;
    }
    disconnect();
    m_socket = std::make_unique<QTcpSocket>();
    // A distinct loopback source address makes this client a distinct IP to the server.
    if (!m_source.isNull() && !m_socket->bind(m_source, 0)) {
        error = QStringLiteral("cannot bind to %1: %2").arg(m_source.toString(), m_socket->errorString());
        disconnect();
        return false;
    }
    m_socket->connectToHost(QHostAddress::LocalHost, m_port);
    if (!m_socket->waitForConnected(m_timeout_ms)) {
        error = QStringLiteral("cannot connect to 127.0.0.1:%1: %2").arg(m_port).arg(m_socket->errorString());
        disconnect();
        return false;
    }
    m_socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
    return true;
}

HttpResponse HttpClient::get(const QByteArray& target, const HttpHeaders& headers) {
    return request("GET", target, headers);
}

HttpResponse HttpClient::post(const QByteArray& target, const HttpHeaders& headers) {
    return request("POST", target, headers);
}

HttpResponse HttpClient::request(const QByteArray& method, const QByteArray& target, const HttpHeaders& headers,
                                 const QByteArray& body) {
    QByteArray out = method + ' ' + target + " HTTP/1.1\r\nHost: 127.0.0.1:" + QByteArray::number(m_port) + "\r\n";
    bool own_cookie_header = false;
    for (const auto& [name, value] : headers) {
        own_cookie_header = own_cookie_header || name.toLower() == "cookie";
        out += name + ": " + value + "\r\n";
    }
    if (!own_cookie_header && !m_cookies.isEmpty()) {
        QByteArrayList pairs;
        for (auto it = m_cookies.cbegin(); it != m_cookies.cend(); ++it) pairs << it.key() + '=' + it.value();
        out += "Cookie: " + pairs.join("; ") + "\r\n";
    }
    if (!body.isEmpty() || method == "POST" || method == "PUT")
        out += "Content-Length: " + QByteArray::number(body.size()) + "\r\n";
    out += "\r\n" + body;
    HttpResponse response = exchange(out, true);
    store_cookies(response);
    return response;
}

HttpResponse HttpClient::send_raw(const QByteArray& bytes) {
    disconnect();
    HttpResponse response = exchange(bytes, false);
    disconnect();
    return response;
}

HttpResponse HttpClient::exchange(const QByteArray& bytes, bool may_retry) {
    HttpResponse response;
    if (!ensure_connected(response.error)) return response;
    const bool reused = m_reused;
    m_socket->write(bytes);
    QDeadlineTimer deadline(m_timeout_ms);
    while (m_socket->bytesToWrite() > 0 && connected() && !deadline.hasExpired())
        m_socket->waitForBytesWritten(static_cast<int>(deadline.remainingTime()));
    response = read_response();
    if (response.ok()) {
        m_reused = connected();
        return response;
    }
    const bool nothing_came = response.error.startsWith(QLatin1String("closed before"));
    disconnect();
    // The server closed the idle kept-alive connection just as we sent: nothing was processed,
    // so one retry on a new connection is what every HTTP client does.
    if (may_retry && reused && nothing_came) return exchange(bytes, false);
    return response;
}

namespace {

// Reads from the socket into `buffer` until `done(buffer)` or EOF/timeout. True when done.
template <typename Done>
bool fill(QTcpSocket& socket, QByteArray& buffer, QDeadlineTimer deadline, Done done) {
    while (!done(buffer)) {
        if (deadline.hasExpired()) return false;
        const bool readable = socket.waitForReadyRead(static_cast<int>(qMax<qint64>(1, deadline.remainingTime())));
        buffer += socket.readAll();
        if (!readable && socket.state() != QAbstractSocket::ConnectedState && !done(buffer)) return false;
    }
    return true;
}

} // namespace

HttpResponse HttpClient::read_response() {
    HttpResponse response;
    QDeadlineTimer deadline(m_timeout_ms);
    QTcpSocket& socket = *m_socket;
    if (!fill(socket, m_buffer, deadline, [](const QByteArray& b) { return b.contains("\r\n\r\n"); })) {
        response.error = m_buffer.isEmpty() && socket.state() != QAbstractSocket::ConnectedState
                             ? QStringLiteral("closed before any response (%1)").arg(socket.errorString())
                         : deadline.hasExpired() ? QStringLiteral("timeout waiting for the response head")
                                                 : QStringLiteral("connection closed in the response head");
        return response;
    }
    const qsizetype head_end = m_buffer.indexOf("\r\n\r\n");
    const QList<QByteArray> lines = m_buffer.left(head_end).split('\n');
    m_buffer.remove(0, head_end + 4);
    const QList<QByteArray> status_line = lines.value(0).trimmed().split(' ');
    bool status_ok = false;
    response.status = status_line.value(1).toInt(&status_ok);
    if (!status_line.value(0).startsWith("HTTP/1.") || !status_ok) {
        response.error = QStringLiteral("bad status line '%1'").arg(QString::fromUtf8(lines.value(0)));
        response.status = 0;
        return response;
    }
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const qsizetype colon = lines[i].indexOf(':');
        if (colon <= 0) continue;
        const QByteArray name = lines[i].left(colon).trimmed().toLower();
        const QByteArray value = lines[i].mid(colon + 1).trimmed();
        if (name == "set-cookie") response.set_cookies << value;
        auto it = response.headers.find(name);
        if (it == response.headers.end()) response.headers.insert(name, value);
        else *it += ", " + value;
    }

    const bool close = response.header("connection").toLower().contains("close") ||
                       (status_line.value(0) == "HTTP/1.0" && !response.header("connection").toLower().contains("keep-alive"));
    const bool no_body = response.status == 204 || response.status == 304 || response.status / 100 == 1;
    bool complete = true;
    if (no_body) {
        // 1xx, 204 and 304 never carry a body, whatever their headers say.
    } else if (response.headers.contains("content-length")) {
        const qsizetype length = response.header("content-length").toLongLong();
        complete = fill(socket, m_buffer, deadline, [&](const QByteArray& b) { return b.size() >= length; });
        response.body = m_buffer.left(length);
        m_buffer.remove(0, response.body.size());
    } else if (response.header("transfer-encoding").toLower().contains("chunked")) {
        for (;;) {
            complete = fill(socket, m_buffer, deadline, [](const QByteArray& b) { return b.contains("\r\n"); });
            if (!complete) break;
            const qsizetype line_end = m_buffer.indexOf("\r\n");
            const qsizetype size = m_buffer.left(line_end).split(';').value(0).trimmed().toLongLong(nullptr, 16);
            complete = fill(socket, m_buffer, deadline,
                            [&](const QByteArray& b) { return b.size() >= line_end + 2 + size + 2; });
            if (!complete) break;
            response.body += m_buffer.mid(line_end + 2, size);
            m_buffer.remove(0, line_end + 2 + size + 2);
            if (size == 0) break; // (no trailers from our servers or haproxy)
        }
    } else {
        // No length: the body runs to the end of the connection.
        fill(socket, m_buffer, deadline, [](const QByteArray&) { return false; });
        complete = socket.state() != QAbstractSocket::ConnectedState;
        response.body = m_buffer;
        m_buffer.clear();
    }
    if (!complete) response.error = QStringLiteral("incomplete body (%1 bytes so far)").arg(m_buffer.size());
    if (close || !complete || !connected()) disconnect();
    return response;
}

void HttpClient::store_cookies(const HttpResponse& response) {
    for (const QByteArray& header : response.set_cookies) {
        const QList<QByteArray> parts = header.split(';');
        const QByteArray pair = parts.value(0).trimmed();
        const qsizetype eq = pair.indexOf('=');
        if (eq <= 0) continue;
        const QByteArray name = pair.left(eq).trimmed();
        bool expired = false;
        for (qsizetype i = 1; i < parts.size(); ++i) {
            const QByteArray attribute = parts[i].trimmed().toLower();
            if (attribute.startsWith("max-age=")) expired = attribute.mid(8).toLongLong() <= 0;
        }
        if (expired) m_cookies.remove(name);
        else m_cookies.insert(name, pair.mid(eq + 1).trimmed());
    }
}

} // namespace statelab::test
