#include "support/required_tool.hpp"

#include <QStandardPaths>

namespace statelab::test {

QString find_tool(const QString& program) {
    const QString in_path = QStandardPaths::findExecutable(program);
    if (!in_path.isEmpty()) return in_path;
    return QStandardPaths::findExecutable(
        program, {QStringLiteral("/usr/sbin"), QStringLiteral("/usr/local/sbin")});
}

bool running_in_ci() {
    const QByteArray ci = qgetenv("CI").trimmed().toLower();
    return ci == "true" || ci == "1";
}

} // namespace statelab::test
